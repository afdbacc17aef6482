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

// Online eligibility limits in Guizhou (DESIGN §2).
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

// CheckEligible returns nil when a person holding card c may apply online
// for kind k on date today, and otherwise an *Error with CodeKindNotAllowed
// whose Chinese message says why. Dates compare by calendar date in China
// Standard Time. The rules (DESIGN §2): damage renewal and loss replacement
// need a card issued within the last 2 years with fingerprints on file;
// expiry renewal needs a card with an expiry date that is at most 3 months
// away or already past.
func CheckEligible(k Kind, c Card, today time.Time) error {
	if !k.Valid() {
		return Errorf(CodeKindNotAllowed, "不支持的办理类型“%s”", k)
	}
	if !c.Valid {
		return Errorf(CodeKindNotAllowed, "未查询到您的有效居民身份证信息，无法网上%s，请到派出所现场办理", k.Label())
	}
	day := civilDate(today)
	switch k {
	case KindDamageRenewal, KindLossReplacement:
		limit := addMonthsClamped(civilDate(c.IssuedOn), 12*RecentCardYears)
		if day.After(limit) {
			return Errorf(CodeKindNotAllowed, "证件签发已超过%d年，无法网上%s，请到派出所现场办理", RecentCardYears, k.Label())
		}
		if !c.Fingerprints {
			return Errorf(CodeKindNotAllowed, "未留存指纹信息，无法网上%s，请到派出所现场办理", k.Label())
		}
	case KindExpiryRenewal:
		if c.ExpiresOn == nil {
			return Errorf(CodeKindNotAllowed, "长期有效证件无需到期换领")
		}
		opens := addMonthsClamped(civilDate(*c.ExpiresOn), -ExpiryWindowMonths)
		if day.Before(opens) {
			return Errorf(CodeKindNotAllowed, "证件有效期截止前%d个月内方可网上换领，您可于%s起申请", ExpiryWindowMonths, formatChineseDate(opens))
		}
	}
	return nil
}
