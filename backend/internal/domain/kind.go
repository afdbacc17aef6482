package domain

import "time"

// Kind is the kind of application. The string values are part of the API
// contract.
type Kind string

// Application kinds open online.
const (
	// KindExpiryRenewal is renewing a card that expires soon or has expired (到期换领).
	KindExpiryRenewal Kind = "expiry_renewal"
	// KindDamageRenewal is renewing a damaged card (损坏换领).
	KindDamageRenewal Kind = "damage_renewal"
	// KindLossReplacement is replacing a lost card (丢失补领).
	KindLossReplacement Kind = "loss_replacement"
)

// TemporaryCardFeeYuan is the fee for a temporary ID card in yuan
// (发改价格[2003]2322号).
const TemporaryCardFeeYuan = 10

// Online eligibility limits in Guizhou (docs/procedure.md).
const (
	// RecentCardYears is how recent the last card must be for damage renewal
	// and loss replacement online, so the registry photo and fingerprints
	// can be reused.
	RecentCardYears = 2
	// ExpiryWindowMonths is how many months before expiry an expiry renewal
	// may be applied for online.
	ExpiryWindowMonths = 3
)

// AllKinds returns every kind in the order the application form lists them.
func AllKinds() []Kind {
	return []Kind{KindExpiryRenewal, KindDamageRenewal, KindLossReplacement}
}

// Label returns the Chinese name of the kind, or the raw value for an
// unknown kind.
func (k Kind) Label() string {
	switch k {
	case KindExpiryRenewal:
		return "到期换领"
	case KindDamageRenewal:
		return "损坏换领"
	case KindLossReplacement:
		return "丢失补领"
	default:
		return string(k)
	}
}

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool {
	return k == KindExpiryRenewal || k == KindDamageRenewal || k == KindLossReplacement
}

// FeeYuan returns the fee in yuan (发改价格[2003]2322号): 20 for an expiry
// renewal, 40 for a damaged or lost card, 0 for an unknown kind. EMS postage
// is not included.
func (k Kind) FeeYuan() int {
	switch k {
	case KindExpiryRenewal:
		return 20
	case KindDamageRenewal, KindLossReplacement:
		return 40
	default:
		return 0
	}
}

// NeedsPhoto reports whether the application needs a new photo (a studio
// receipt number or a GA 461 upload). Only expiry renewal does; the others
// reuse the registry photo.
func (k Kind) NeedsPhoto() bool {
	return k == KindExpiryRenewal
}

// ReturnsOldCard reports whether the old card must be handed back at
// handover: renewals do, a lost card is instead declared invalid on
// acceptance.
func (k Kind) ReturnsOldCard() bool {
	return k == KindExpiryRenewal || k == KindDamageRenewal
}

// CheckOldCard returns nil when a card of kind k may be handed over, given
// whether the old card came back, and CodeOldCardRequired for a renewal
// whose old card did not (Resident Identity Card Law, art. 11: 必须交回原证).
// A loss replacement has no old card to return.
func (k Kind) CheckOldCard(returned bool) error {
	if k.ReturnsOldCard() && !returned {
		return E(CodeOldCardRequired)
	}
	return nil
}

// Card is what the population registry knows of a person's current card.
type Card struct {
	// IssuedOn is the card's issue date.
	IssuedOn time.Time
	// ExpiresOn is the last day of validity; nil means long-term (长期).
	ExpiresOn *time.Time
	// Fingerprints reports whether fingerprints are on file.
	Fingerprints bool
	// Valid reports whether the registry holds the card as the person's
	// current card, i.e. it has not been cancelled or declared invalid. An
	// expired card is still Valid in this sense.
	Valid bool
}

// Ineligible says why a card does not qualify for an online application
// of a kind; IneligibleNone means it does.
type Ineligible string

// Reasons of Eligibility.
const (
	IneligibleNone Ineligible = ""
	// IneligibleKind: not a kind of this service.
	IneligibleKind Ineligible = "kind"
	// IneligibleNoCard: the registry holds no valid current card.
	IneligibleNoCard Ineligible = "no_card"
	// IneligibleCardTooOld: damage or loss online needs a card issued
	// within RecentCardYears.
	IneligibleCardTooOld Ineligible = "card_too_old"
	// IneligibleNoFingerprints: damage or loss online needs fingerprints
	// on file.
	IneligibleNoFingerprints Ineligible = "no_fingerprints"
	// IneligibleLongTerm: a long-term card does not expire.
	IneligibleLongTerm Ineligible = "long_term"
	// IneligibleTooEarly: expiry renewal opens ExpiryWindowMonths before
	// expiry.
	IneligibleTooEarly Ineligible = "too_early"
)

// Eligibility is the online eligibility rule of docs/procedure.md for a person
// holding card c who applies for kind k on date today: why not, or
// IneligibleNone, and for IneligibleTooEarly the first day it opens. Dates
// compare by calendar date in China Standard Time: damage renewal and loss
// replacement need a card issued within the last 2 years with fingerprints
// on file; expiry renewal needs a card with an expiry date that is at most 3
// months away or already past.
func Eligibility(k Kind, c Card, today time.Time) (why Ineligible, opens time.Time) {
	if !k.Valid() {
		return IneligibleKind, time.Time{}
	}
	if !c.Valid {
		return IneligibleNoCard, time.Time{}
	}
	day := civilDate(today)
	switch k {
	case KindDamageRenewal, KindLossReplacement:
		if day.After(addMonthsClamped(civilDate(c.IssuedOn), 12*RecentCardYears)) {
			return IneligibleCardTooOld, time.Time{}
		}
		if !c.Fingerprints {
			return IneligibleNoFingerprints, time.Time{}
		}
	case KindExpiryRenewal:
		if c.ExpiresOn == nil {
			return IneligibleLongTerm, time.Time{}
		}
		if opens := addMonthsClamped(civilDate(*c.ExpiresOn), -ExpiryWindowMonths); day.Before(opens) {
			return IneligibleTooEarly, opens
		}
	}
	return IneligibleNone, time.Time{}
}

// CheckEligible returns nil when a person holding card c may apply online
// for kind k on date today (the rule of Eligibility), and otherwise an
// *Error with CodeKindNotAllowed whose Chinese message says why.
func CheckEligible(k Kind, c Card, today time.Time) error {
	switch why, opens := Eligibility(k, c, today); why {
	case IneligibleKind:
		return Errorf(CodeKindNotAllowed, "不支持的办理类型“%s”", k)
	case IneligibleNoCard:
		return Errorf(CodeKindNotAllowed, "未查询到您的有效居民身份证信息，无法网上%s，请到派出所现场办理", k.Label())
	case IneligibleCardTooOld:
		return Errorf(CodeKindNotAllowed, "证件签发已超过%d年，无法网上%s，请到派出所现场办理", RecentCardYears, k.Label())
	case IneligibleNoFingerprints:
		return Errorf(CodeKindNotAllowed, "未留存指纹信息，无法网上%s，请到派出所现场办理", k.Label())
	case IneligibleLongTerm:
		return Errorf(CodeKindNotAllowed, "长期有效证件无需到期换领")
	case IneligibleTooEarly:
		return Errorf(CodeKindNotAllowed, "%s起可申请", formatChineseDate(opens))
	}
	return nil
}
