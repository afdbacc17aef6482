package domain

import (
	"fmt"
	"time"
)

// FraudFlagCode names one anti-fraud warning. The values appear in the staff
// pages (data-flag).
type FraudFlagCode string

// Anti-fraud flags of the review (审核签发 guards against 冒领、骗领).
const (
	// FlagLossRecent: a loss replacement accepted in the past 12 months.
	FlagLossRecent FraudFlagCode = "loss_12m"
	// FlagLossRepeat: more than one loss replacement in 3 years, this one
	// included.
	FlagLossRepeat FraudFlagCode = "losses_3y"
	// FlagRebound: the applying account was bound to the person recently,
	// or the person was moved to it from another account.
	FlagRebound FraudFlagCode = "rebound"
	// FlagFarStation: the station is in another prefecture than the
	// person's household.
	FlagFarStation FraudFlagCode = "far_station"
)

// Windows of the anti-fraud rules, in calendar months or days in China
// Standard Time.
const (
	LossRecentMonths   = 12
	LossRepeatMonths   = 36
	ReboundMovedMonths = 12
	ReboundBoundDays   = 30
)

// EarlierLoss is an earlier loss replacement of the same person that was
// accepted: its lost card was declared invalid then.
type EarlierLoss struct {
	CaseNo     string
	AcceptedAt time.Time
}

// FraudFacts are the stored facts the anti-fraud rules judge, for one case
// under review.
type FraudFacts struct {
	Kind Kind
	// StationDivision and HouseholdDivision are county codes; StationPlace
	// and HouseholdPlace name them for the reviewer (贵阳市南明区).
	StationDivision, HouseholdDivision string
	StationPlace, HouseholdPlace       string
	// EarlierLosses are the person's other accepted loss replacements.
	EarlierLosses []EarlierLoss
	// BoundAt is when the applying account was bound to the person;
	// ReboundAt when the person was moved to it from another account (nil
	// for a first binding).
	BoundAt, ReboundAt *time.Time
}

// FraudFlag is one warning of the anti-fraud panel.
type FraudFlag struct {
	Code   FraudFlagCode
	Title  string
	Detail string
	Severe bool
}

// SamePrefecture reports whether two division codes lie in one prefecture
// (市州): their first four digits agree.
func SamePrefecture(a, b string) bool {
	return len(a) >= 4 && len(b) >= 4 && a[:4] == b[:4]
}

// FraudFlags applies the anti-fraud rules to the facts on date today: loss
// replacements accepted within LossRecentMonths, more than one within
// LossRepeatMonths (counting this application if it is one), an account
// rebound within ReboundMovedMonths or bound within ReboundBoundDays, and a
// station in another prefecture. Windows count calendar dates in China
// Standard Time, as the eligibility rule does.
func FraudFlags(f FraudFacts, today time.Time) []FraudFlag {
	day := civilDate(today)
	var out []FraudFlag
	recentSince, repeatSince := addMonthsClamped(day, -LossRecentMonths), addMonthsClamped(day, -LossRepeatMonths)
	var last *EarlierLoss
	recent, repeat := 0, 0
	for i, l := range f.EarlierLosses {
		d := civilDate(l.AcceptedAt)
		if d.Before(repeatSince) {
			continue
		}
		repeat++
		if !d.Before(recentSince) {
			recent++
			if last == nil || l.AcceptedAt.After(last.AcceptedAt) {
				last = &f.EarlierLosses[i]
			}
		}
	}
	if last != nil {
		out = append(out, FraudFlag{Code: FlagLossRecent, Severe: true, Title: "近12个月内已丢失补领过身份证",
			Detail: fmt.Sprintf("办件%s于%s受理丢失补领（近12个月共%d次）。", last.CaseNo, formatChineseDate(civilDate(last.AcceptedAt)), recent)})
	}
	if f.Kind == KindLossReplacement {
		repeat++
	}
	if repeat > 1 {
		out = append(out, FraudFlag{Code: FlagLossRepeat, Severe: true, Title: fmt.Sprintf("3年内丢失补领%d次", repeat),
			Detail: "多次挂失补领是冒领、骗领的常见迹象，请重点核验本人身份。"})
	}
	if fl, ok := reboundFlag(f, day); ok {
		out = append(out, fl)
	}
	if !SamePrefecture(f.StationDivision, f.HouseholdDivision) {
		out = append(out, FraudFlag{Code: FlagFarStation, Title: "异地受理：受理派出所与户籍地不在同一市州",
			Detail: fmt.Sprintf("户籍地为%s，受理派出所位于%s。请核实申请人在当地的居住或工作情况。", f.HouseholdPlace, f.StationPlace)})
	}
	return out
}

// reboundFlag is the account rule of FraudFlags: a move from another
// account outweighs a fresh binding.
func reboundFlag(f FraudFacts, day time.Time) (FraudFlag, bool) {
	if f.ReboundAt != nil && !civilDate(*f.ReboundAt).Before(addMonthsClamped(day, -ReboundMovedMonths)) {
		return FraudFlag{Code: FlagRebound, Severe: true, Title: "实名账号近期变更",
			Detail: fmt.Sprintf("%s，该身份由另一账号转绑至当前申请账号，原账号已收到站内信和短信提醒。请确认申请人为本人，防止他人冒用身份信息。",
				formatChineseDate(civilDate(*f.ReboundAt)))}, true
	}
	if f.BoundAt == nil {
		return FraudFlag{}, false
	}
	bound := civilDate(*f.BoundAt)
	days := int(day.Sub(bound).Hours() / 24)
	if days >= ReboundBoundDays {
		return FraudFlag{}, false
	}
	ago := "今天"
	if days > 0 {
		ago = fmt.Sprintf("%d天前", days)
	}
	return FraudFlag{Code: FlagRebound, Title: "申请账号近30天内绑定身份",
		Detail: fmt.Sprintf("账号于%s绑定本人身份（%s）。新绑定的账号请核对相片与本人是否一致。", formatChineseDate(bound), ago)}, true
}

// CardMismatch judges the registry card against the kind applied for, on
// the day the application was submitted, with the eligibility rule of the
// application form (Eligibility). It returns "" when they agree, else a
// note for the reviewer. A card issued on or after that day is the new
// card this case already put in hand, and a loss replacement's card is
// declared invalid by its own acceptance: neither is a mismatch.
func CardMismatch(k Kind, c Card, submitted time.Time) string {
	if !c.IssuedOn.IsZero() && !civilDate(c.IssuedOn).Before(civilDate(submitted)) {
		return ""
	}
	if k == KindLossReplacement {
		c.Valid = true
	}
	switch why, _ := Eligibility(k, c, submitted); why {
	case IneligibleNoCard:
		return "户籍库中原证已作废"
	case IneligibleCardTooOld:
		return "原证签发已超过2年，应到派出所现场办理"
	case IneligibleNoFingerprints:
		return "原证未采集指纹，应到派出所现场办理"
	case IneligibleLongTerm:
		return "原证长期有效，无需到期换领"
	case IneligibleTooEarly:
		return "原证有效期尚未进入到期前3个月"
	}
	return ""
}
