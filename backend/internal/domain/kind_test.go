package domain

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

func dayPtr(s string) *time.Time {
	t := day(s)
	return &t
}

func TestKinds(t *testing.T) {
	tests := []struct {
		kind        Kind
		label       string
		fee         int
		photo, back bool
	}{
		{KindExpiryRenewal, "到期换领", 20, true, true},
		{KindDamageRenewal, "损坏换领", 40, false, true},
		{KindLossReplacement, "丢失补领", 40, false, false},
	}
	if len(AllKinds()) != len(tests) {
		t.Fatalf("AllKinds has %d kinds", len(AllKinds()))
	}
	for i, tt := range tests {
		k := AllKinds()[i]
		if k != tt.kind || !k.Valid() || k.Label() != tt.label || k.FeeYuan() != tt.fee ||
			k.NeedsPhoto() != tt.photo || k.ReturnsOldCard() != tt.back {
			t.Errorf("%s: label=%q fee=%d photo=%v back=%v", k, k.Label(), k.FeeYuan(), k.NeedsPhoto(), k.ReturnsOldCard())
		}
		if err := k.CheckOldCard(true); err != nil {
			t.Errorf("%s with the old card back: %v", k, err)
		}
		want := Code("")
		if tt.back {
			want = CodeOldCardRequired
		}
		if got := ErrorCode(k.CheckOldCard(false)); got != want {
			t.Errorf("%s without the old card: code %q, want %q", k, got, want)
		}
	}
	if Kind("first_card").Valid() || Kind("first_card").FeeYuan() != 0 {
		t.Error("unknown kind must be invalid and free of charge")
	}
	if TemporaryCardFeeYuan != 10 {
		t.Error("temporary card fee must be 10 yuan")
	}
}

func TestCheckEligible(t *testing.T) {
	today := day("2026-03-15")
	recent := Card{IssuedOn: day("2025-03-15"), ExpiresOn: dayPtr("2035-03-15"), Fingerprints: true, Valid: true}
	with := func(f func(*Card)) Card { c := recent; f(&c); return c }
	tests := []struct {
		name  string
		kind  Kind
		card  Card
		today time.Time
		want  string // "" = eligible, else a fragment of the message
	}{
		{"OK/DamageRecent", KindDamageRenewal, recent, today, ""},
		{"OK/LossExactlyTwoYears", KindLossReplacement, with(func(c *Card) { c.IssuedOn = day("2024-03-15") }), today, ""},
		{"ErrLossOverTwoYears", KindLossReplacement, with(func(c *Card) { c.IssuedOn = day("2024-03-14") }), today, "证件签发已超过2年"},
		{"ErrDamageOverTwoYears", KindDamageRenewal, with(func(c *Card) { c.IssuedOn = day("2016-01-01") }), today, "请到派出所现场办理"},
		{"ErrDamageNoFingerprints", KindDamageRenewal, with(func(c *Card) { c.Fingerprints = false }), today, "未留存指纹信息"},
		{"ErrLossNoFingerprints", KindLossReplacement, with(func(c *Card) { c.Fingerprints = false }), today, "未留存指纹信息"},
		{"ErrCardNotValid", KindLossReplacement, with(func(c *Card) { c.Valid = false }), today, "未查询到"},
		{"ErrExpiryCardNotValid", KindExpiryRenewal, with(func(c *Card) { c.Valid = false; c.ExpiresOn = dayPtr("2026-04-01") }), today, "未查询到"},
		{"ErrUnknownKind", "first_card", recent, today, "不支持"},
		{"ErrExpiryLongTerm", KindExpiryRenewal, with(func(c *Card) { c.ExpiresOn = nil }), today, "长期有效证件无需到期换领"},
		{"ErrExpiryTooEarly", KindExpiryRenewal, recent, today, "起可申请"},
		{"ErrExpiryOneDayEarly", KindExpiryRenewal, with(func(c *Card) { c.ExpiresOn = dayPtr("2026-06-16") }), today, "2026年3月16日起"},
		{"OK/ExpiryExactlyThreeMonths", KindExpiryRenewal, with(func(c *Card) { c.ExpiresOn = dayPtr("2026-06-15") }), today, ""},
		{"OK/ExpiryToday", KindExpiryRenewal, with(func(c *Card) { c.ExpiresOn = dayPtr("2026-03-15") }), today, ""},
		{"OK/ExpiryPast", KindExpiryRenewal, with(func(c *Card) { c.ExpiresOn = dayPtr("2020-01-01") }), today, ""},
		{"OK/ExpiryOldCardNoFingerprints", KindExpiryRenewal, Card{IssuedOn: day("2006-05-01"), ExpiresOn: dayPtr("2026-05-01"), Valid: true}, today, ""},
		{"OK/ExpiryMonthEndClamped", KindExpiryRenewal, with(func(c *Card) { c.ExpiresOn = dayPtr("2026-05-31") }), day("2026-02-28"), ""},
		{"ErrExpiryMonthEndClamped", KindExpiryRenewal, with(func(c *Card) { c.ExpiresOn = dayPtr("2026-05-31") }), day("2026-02-27"), "2026年2月28日起"},
		// 2026-03-14T16:30Z is already 15 March in China.
		{"OK/TodayGivenInUTC", KindLossReplacement, with(func(c *Card) { c.IssuedOn = day("2024-03-15") }), time.Date(2026, 3, 14, 16, 30, 0, 0, time.UTC), ""},
		{"ErrTodayGivenInUTC", KindLossReplacement, with(func(c *Card) { c.IssuedOn = day("2024-03-15") }), time.Date(2026, 3, 15, 16, 30, 0, 0, time.UTC), "超过2年"},
		// A date-only value read from the database as midnight UTC.
		{"OK/IssuedOnMidnightUTC", KindLossReplacement, with(func(c *Card) { c.IssuedOn = time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC) }), today, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckEligible(tt.kind, tt.card, tt.today)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("want eligible, got %v", err)
				}
				return
			}
			if ErrorCode(err) != CodeKindNotAllowed || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want KIND_NOT_ALLOWED containing %q", err, tt.want)
			}
		})
	}
}
