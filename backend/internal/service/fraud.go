package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// CompareRow sets a registry fact beside what the application says. Differs
// marks what the reviewer must resolve; a Note alone is for attention.
type CompareRow struct {
	Label       string
	Registry    string
	Application string
	Differs     bool
	Note        string
}

// FraudPanel is the county reviewer's anti-fraud view of a case (审核签发
// guards against 冒领、骗领): flags, the registry beside the application, and
// the photos to compare.
type FraudPanel struct {
	Flags              []domain.FraudFlag
	Rows               []CompareRow
	ApplicationPhotoID *int64
	RegistryPhotoID    *int64
	PhotoReceiptNo     *string
}

// seesFraudPanel: the anti-fraud panel is for those who judge the
// applicant — the station at pre-check (核验), the county at review
// (审核签发) — and the supervisors over them.
func seesFraudPanel(r domain.Role) bool {
	return r == domain.RoleStationOfficer || r == domain.RoleCountyReviewer || r == domain.RoleSupervisor
}

// FraudCheck computes the anti-fraud panel of a case in the actor's
// jurisdiction. Returns FORBIDDEN for roles that do not see the panel
// (seesFraudPanel), NOT_FOUND outside the jurisdiction.
func (s *Service) FraudCheck(ctx context.Context, a Actor, no string) (FraudPanel, error) {
	if !seesFraudPanel(a.Role) {
		return FraudPanel{}, domain.E(domain.CodeForbidden)
	}
	c, err := s.ownCase(ctx, a, no)
	if err != nil {
		return FraudPanel{}, err
	}
	q := s.st.Q(ctx)
	p, err := q.Person(c.PersonID)
	if err != nil {
		return FraudPanel{}, s.internal(ctx, "fraud check", err)
	}
	av, err := s.applicationView(q, &c)
	if err != nil {
		return FraudPanel{}, s.internal(ctx, "fraud check", err)
	}
	fp, err := s.fraudPanel(q, &c, p, av)
	if err != nil {
		return FraudPanel{}, s.internal(ctx, "fraud check", err)
	}
	return fp, nil
}

// fraudPanel computes the panel from the case, its person and application:
// the facts come from the case, the person's other cases and the applying
// account; the rules are domain.FraudFlags and domain.CardMismatch.
func (s *Service) fraudPanel(q *store.Q, c *store.Case, p store.Person, av ApplicationView) (FraudPanel, error) {
	fp := FraudPanel{ApplicationPhotoID: c.PhotoID, RegistryPhotoID: p.PhotoID, PhotoReceiptNo: c.PhotoReceiptNo}
	facts := domain.FraudFacts{Kind: domain.Kind(c.Kind), StationDivision: c.StationDivision, HouseholdDivision: c.HouseholdDivision,
		StationPlace: av.StationCounty, HouseholdPlace: av.HouseholdCounty}
	others, err := q.CasesOfPerson(c.PersonID)
	if err != nil {
		return fp, err
	}
	for _, o := range others {
		if o.ID != c.ID && o.Kind == string(domain.KindLossReplacement) && o.AcceptedAt != nil {
			facts.EarlierLosses = append(facts.EarlierLosses, domain.EarlierLoss{CaseNo: o.No, AcceptedAt: *o.AcceptedAt})
		}
	}
	ap, err := q.Applicant(c.ApplicantID)
	if err != nil {
		return fp, err
	}
	facts.BoundAt, facts.ReboundAt = ap.BoundAt, ap.ReboundAt
	fp.Flags = domain.FraudFlags(facts, s.now())
	fp.Rows = compareRows(c, p, av)
	return fp, nil
}

// compareRows sets the registry beside the application.
func compareRows(c *store.Case, p store.Person, av ApplicationView) []CompareRow {
	rows := []CompareRow{{Label: "户籍地 / 受理地", Registry: av.HouseholdCounty, Application: av.StationCounty}}
	switch {
	case !domain.SamePrefecture(c.StationDivision, c.HouseholdDivision):
		rows[0].Differs, rows[0].Note = true, "跨市州受理"
	case c.StationDivision != c.HouseholdDivision:
		rows[0].Note = "不在户籍所在区县受理"
	}
	if c.Collection == string(domain.CollectionMail) {
		rows = append(rows, CompareRow{Label: "姓名 / 收件人", Registry: p.Name, Application: pii.MaskName(c.MailRecipient),
			Differs: c.MailRecipient != p.Name})
		if c.MailRecipient != p.Name {
			rows[len(rows)-1].Note = "非本人收件"
		}
		mail := CompareRow{Label: "户籍地 / 收件地区", Registry: av.HouseholdCounty, Application: av.MailCounty}
		if c.MailDivisionCode != nil && !domain.SamePrefecture(*c.MailDivisionCode, c.HouseholdDivision) {
			mail.Differs, mail.Note = true, "邮寄到户籍地以外的市州"
		}
		rows = append(rows, mail)
	}
	card := CompareRow{Label: "原证件 / 申请类型", Registry: cardSummary(p), Application: domain.Kind(c.Kind).Label()}
	if note := domain.CardMismatch(domain.Kind(c.Kind), p.Card(), c.SubmittedAt); note != "" {
		card.Differs, card.Note = true, note
	}
	rows = append(rows, card)
	photo := CompareRow{Label: "相片", Registry: "户籍相片（制证时采集）", Application: "沿用户籍相片", Note: "请人工比对下方相片"}
	switch {
	case c.PhotoID != nil:
		photo.Application = "上传相片"
	case c.PhotoReceiptNo != nil:
		photo.Application = "相片回执号 " + *c.PhotoReceiptNo
	}
	if p.PhotoID == nil {
		photo.Registry = "户籍库无相片"
		if c.PhotoID == nil {
			photo.Note = "无可比对的相片，请核对相片回执"
		}
	}
	return append(rows, photo)
}

// cardSummary describes the person's current card.
func cardSummary(p store.Person) string {
	s := "无签发记录"
	if p.CardIssuedOn != nil {
		s = p.CardIssuedOn.UTC().Format(calendar.DateLayout) + "签发"
	}
	if p.CardExpiresOn != nil {
		s += "，有效期至" + p.CardExpiresOn.UTC().Format(calendar.DateLayout)
	} else if p.CardIssuedOn != nil {
		s += "，长期有效"
	}
	if p.CardFingerprints {
		s += "，有指纹"
	} else {
		s += "，无指纹"
	}
	if !p.CardValid {
		s += "，已作废"
	}
	return s
}
