package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// at is a moment on a day in China Standard Time.
func at(s string, hour int) time.Time { return day(s).Add(time.Duration(hour) * time.Hour) }

func atPtr(s string, hour int) *time.Time {
	t := at(s, hour)
	return &t
}

func flagCodes(fs []FraudFlag) []FraudFlagCode {
	var out []FraudFlagCode
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestFraudFlags(t *testing.T) {
	today := at("2026-03-02", 10)
	home := FraudFacts{Kind: KindDamageRenewal, StationDivision: "520102", HouseholdDivision: "520103",
		StationPlace: "贵阳市南明区", HouseholdPlace: "贵阳市云岩区", BoundAt: atPtr("2025-06-01", 9)}
	with := func(fn func(*FraudFacts)) FraudFacts { f := home; fn(&f); return f }
	loss := func(no, d string) EarlierLoss { return EarlierLoss{CaseNo: no, AcceptedAt: at(d, 15)} }
	tests := []struct {
		name   string
		facts  FraudFacts
		want   []FraudFlagCode
		severe []FraudFlagCode
		detail string
	}{
		{"Clean", home, nil, nil, ""},
		{"LossElevenMonthsAgo", with(func(f *FraudFacts) { f.EarlierLosses = []EarlierLoss{loss("GZ250402000001", "2025-04-02")} }),
			[]FraudFlagCode{FlagLossRecent}, []FraudFlagCode{FlagLossRecent}, "GZ250402000001于2025年4月2日受理"},
		// 12 months back to the day still counts; the day before does not.
		{"LossTwelveMonthsToTheDay", with(func(f *FraudFacts) { f.EarlierLosses = []EarlierLoss{loss("A", "2025-03-02")} }),
			[]FraudFlagCode{FlagLossRecent}, nil, ""},
		{"LossThirteenMonthsAgo", with(func(f *FraudFacts) { f.EarlierLosses = []EarlierLoss{loss("A", "2025-03-01")} }), nil, nil, ""},
		// Late at night on 1 March UTC is already 2 March in China.
		{"LossByChinaDate", with(func(f *FraudFacts) {
			f.EarlierLosses = []EarlierLoss{{CaseNo: "A", AcceptedAt: time.Date(2025, 3, 1, 17, 0, 0, 0, time.UTC)}}
		}), []FraudFlagCode{FlagLossRecent}, nil, ""},
		{"SecondLossInThreeYears", with(func(f *FraudFacts) {
			f.Kind = KindLossReplacement
			f.EarlierLosses = []EarlierLoss{loss("A", "2024-01-10")}
		}), []FraudFlagCode{FlagLossRepeat}, nil, "3年内丢失补领2次"},
		{"TwoEarlierLossesNotThisOne", with(func(f *FraudFacts) {
			f.EarlierLosses = []EarlierLoss{loss("A", "2024-01-10"), loss("B", "2025-10-01")}
		}), []FraudFlagCode{FlagLossRecent, FlagLossRepeat}, nil, "B于2025年10月1日"},
		{"LossBeyondThreeYears", with(func(f *FraudFacts) {
			f.Kind = KindLossReplacement
			f.EarlierLosses = []EarlierLoss{loss("A", "2023-03-01")}
		}), nil, nil, ""},
		{"BoundToday", with(func(f *FraudFacts) { f.BoundAt = atPtr("2026-03-02", 8) }),
			[]FraudFlagCode{FlagRebound}, nil, "（今天）"},
		{"BoundTwentyNineDaysAgo", with(func(f *FraudFacts) { f.BoundAt = atPtr("2026-02-01", 23) }),
			[]FraudFlagCode{FlagRebound}, nil, "29天前"},
		{"BoundThirtyDaysAgo", with(func(f *FraudFacts) { f.BoundAt = atPtr("2026-01-31", 23) }), nil, nil, ""},
		{"MovedFromAnotherAccount", with(func(f *FraudFacts) { f.BoundAt, f.ReboundAt = atPtr("2025-09-01", 9), atPtr("2025-09-01", 9) }),
			[]FraudFlagCode{FlagRebound}, []FraudFlagCode{FlagRebound}, "2025年9月1日，该身份由另一账号转绑"},
		{"MovedLongAgo", with(func(f *FraudFacts) { f.BoundAt, f.ReboundAt = atPtr("2025-03-01", 9), atPtr("2025-03-01", 9) }), nil, nil, ""},
		{"NeverBound", with(func(f *FraudFacts) { f.BoundAt = nil }), nil, nil, ""},
		{"FarStation", with(func(f *FraudFacts) { f.StationDivision, f.StationPlace = "520302", "遵义市红花岗区" }),
			[]FraudFlagCode{FlagFarStation}, nil, "户籍地为贵阳市云岩区，受理派出所位于遵义市红花岗区"},
		{"AllAtOnce", FraudFacts{Kind: KindLossReplacement, StationDivision: "522601", HouseholdDivision: "520102",
			EarlierLosses: []EarlierLoss{loss("A", "2025-09-01")}, BoundAt: atPtr("2026-02-20", 9)},
			[]FraudFlagCode{FlagLossRecent, FlagLossRepeat, FlagRebound, FlagFarStation}, []FraudFlagCode{FlagLossRecent, FlagLossRepeat}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FraudFlags(tc.facts, today)
			if codes := flagCodes(got); !slices.Equal(codes, tc.want) {
				t.Fatalf("flags %v, want %v", codes, tc.want)
			}
			var text strings.Builder
			for _, f := range got {
				if f.Title == "" || f.Detail == "" {
					t.Errorf("%s without text", f.Code)
				}
				if tc.severe != nil && f.Severe != slices.Contains(tc.severe, f.Code) {
					t.Errorf("%s severe = %v", f.Code, f.Severe)
				}
				text.WriteString(f.Title + f.Detail)
			}
			if !strings.Contains(text.String(), tc.detail) {
				t.Errorf("text %q lacks %q", text.String(), tc.detail)
			}
		})
	}
}

func TestCardMismatch(t *testing.T) {
	submitted := at("2026-03-02", 10)
	recent := Card{IssuedOn: day("2025-03-02"), ExpiresOn: dayPtr("2045-03-02"), Fingerprints: true, Valid: true}
	with := func(fn func(*Card)) Card { c := recent; fn(&c); return c }
	tests := []struct {
		name string
		kind Kind
		card Card
		want string
	}{
		{"DamageRecentCard", KindDamageRenewal, recent, ""},
		// The same boundary as the application form: two years to the day
		// still qualifies, one day more does not.
		{"DamageTwoYearsToTheDay", KindDamageRenewal, with(func(c *Card) { c.IssuedOn = day("2024-03-02") }), ""},
		{"DamageTwoYearsAndADay", KindDamageRenewal, with(func(c *Card) { c.IssuedOn = day("2024-03-01") }), "原证签发已超过2年"},
		{"LossWithoutFingerprints", KindLossReplacement, with(func(c *Card) { c.Fingerprints = false }), "原证未采集指纹"},
		{"LossCardInvalidatedByAcceptance", KindLossReplacement, with(func(c *Card) { c.Valid = false }), ""},
		{"DamageCardInvalid", KindDamageRenewal, with(func(c *Card) { c.Valid = false }), "户籍库中原证已作废"},
		{"ExpiryTooEarly", KindExpiryRenewal, recent, "原证有效期尚未进入到期前3个月"},
		{"ExpiryWindowOpen", KindExpiryRenewal, with(func(c *Card) { c.IssuedOn, c.ExpiresOn = day("2006-05-20"), dayPtr("2026-06-02") }), ""},
		{"ExpiryLongTerm", KindExpiryRenewal, with(func(c *Card) { c.IssuedOn, c.ExpiresOn = day("2006-05-20"), nil }), "原证长期有效"},
		{"NoCardOnRecord", KindDamageRenewal, Card{Valid: true, Fingerprints: true}, "原证签发已超过2年"},
		// After handover the registry holds the new card: not a mismatch.
		{"NewCardInHand", KindExpiryRenewal, with(func(c *Card) { c.IssuedOn, c.ExpiresOn = day("2026-03-20"), dayPtr("2046-03-20") }), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CardMismatch(tc.kind, tc.card, submitted)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Fatalf("CardMismatch = %q, want %q", got, tc.want)
			}
			// The panel and the application form apply one rule.
			if tc.card.Valid && !tc.card.IssuedOn.IsZero() && tc.card.IssuedOn.Before(submitted) {
				if formOK := CheckEligible(tc.kind, tc.card, submitted) == nil; formOK != (got == "") {
					t.Fatalf("form says eligible=%v, panel says %q", formOK, got)
				}
			}
		})
	}
}

func TestSamePrefecture(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{{"520102", "520103", true}, {"520102", "520302", false}, {"5201", "520199", true}, {"52", "520102", false}, {"", "", false}} {
		if got := SamePrefecture(tc.a, tc.b); got != tc.want {
			t.Errorf("SamePrefecture(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
