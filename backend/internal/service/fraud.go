package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// Anti-fraud flag codes.
const (
	FlagLossRecent  = "loss_12m"    // a loss replacement in the past 12 months
	FlagLossRepeat  = "losses_3y"   // more than one loss in 3 years
	FlagRebound     = "rebound"     // the account was bound, or re-bound, recently
	FlagFarStation  = "far_station" // the station is in another prefecture
	reboundWindow   = 30 * 24 * time.Hour
	movedLookback   = -12 // months in which a move between accounts counts
	lossRecentMonth = -12
	lossRepeatYears = -3
)

// FraudFlag is one warning of the anti-fraud panel.
type FraudFlag struct {
	Code   string
	Title  string
	Detail string
	Severe bool
}

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
	Flags              []FraudFlag
	Rows               []CompareRow
	ApplicationPhotoID *int64
	RegistryPhotoID    *int64
	PhotoReceiptNo     *string
}

// FraudCheck computes the anti-fraud panel of a case in the actor's
// jurisdiction. Returns FORBIDDEN for roles other than county reviewers and
// supervisors, NOT_FOUND outside the jurisdiction.
func (s *Service) FraudCheck(ctx context.Context, a Actor, no string) (FraudPanel, error) {
	if a.Role != domain.RoleCountyReviewer && a.Role != domain.RoleSupervisor {
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

// fraudPanel computes the panel from the case, its person and application.
func (s *Service) fraudPanel(q *store.Q, c *store.Case, p store.Person, av ApplicationView) (FraudPanel, error) {
	fp := FraudPanel{ApplicationPhotoID: c.PhotoID, RegistryPhotoID: p.PhotoID, PhotoReceiptNo: c.PhotoReceiptNo}
	now := s.now()
	loss, err := lossFlags(q, c, now)
	if err != nil {
		return fp, err
	}
	fp.Flags = append(fp.Flags, loss...)
	rb, err := reboundFlag(q, c, now)
	if err != nil {
		return fp, err
	}
	if rb != nil {
		fp.Flags = append(fp.Flags, *rb)
	}
	if len(c.StationDivision) >= 4 && len(c.HouseholdDivision) >= 4 && c.StationDivision[:4] != c.HouseholdDivision[:4] {
		fp.Flags = append(fp.Flags, FraudFlag{Code: FlagFarStation, Title: "异地受理：受理派出所与户籍地不在同一市州",
			Detail: fmt.Sprintf("户籍地为%s，受理派出所位于%s。请核实申请人在当地的居住或工作情况。", av.HouseholdCounty, av.StationCounty)})
	}
	fp.Rows = compareRows(c, p, av)
	return fp, nil
}

// lossFlags looks at the person's earlier loss replacements that were
// accepted (the lost card was declared invalid then).
func lossFlags(q *store.Q, c *store.Case, now time.Time) ([]FraudFlag, error) {
	cases, err := q.CasesOfPerson(c.PersonID)
	if err != nil {
		return nil, err
	}
	recentSince, repeatSince := now.AddDate(0, lossRecentMonth, 0), now.AddDate(lossRepeatYears, 0, 0)
	var recent []store.Case
	inThreeYears := 0
	for _, o := range cases {
		if o.ID == c.ID || o.Kind != string(domain.KindLossReplacement) || o.AcceptedAt == nil || o.SubmittedAt.Before(repeatSince) {
			continue
		}
		inThreeYears++
		if !o.SubmittedAt.Before(recentSince) {
			recent = append(recent, o)
		}
	}
	var out []FraudFlag
	if len(recent) > 0 {
		last := recent[0] // newest first
		out = append(out, FraudFlag{Code: FlagLossRecent, Severe: true, Title: "近12个月内已丢失补领过身份证",
			Detail: fmt.Sprintf("办件%s于%s受理丢失补领（近12个月共%d次）。", last.No, calendar.FormatDate(*last.AcceptedAt), len(recent))})
	}
	if c.Kind == string(domain.KindLossReplacement) {
		inThreeYears++
	}
	if inThreeYears > 1 {
		out = append(out, FraudFlag{Code: FlagLossRepeat, Severe: true, Title: fmt.Sprintf("3年内丢失补领%d次", inThreeYears),
			Detail: "多次挂失补领是冒领、骗领的常见迹象，请重点核验本人身份。"})
	}
	return out, nil
}

// reboundFlag reports an account bound to the person within the last 30
// days, or a binding moved to it from another account within 12 months.
func reboundFlag(q *store.Q, c *store.Case, now time.Time) (*FraudFlag, error) {
	ap, err := q.Applicant(c.ApplicantID)
	if err != nil {
		return nil, err
	}
	entries, err := q.AuditEntries(store.AuditFilter{Action: "identity.bind", ObjectType: "applicant",
		ObjectID: strconv.FormatInt(ap.ID, 10), From: now.AddDate(0, movedLookback, 0), Limit: 20})
	if err != nil {
		return nil, err
	}
	var moved *store.AuditEntry
	for i := range entries {
		var d struct {
			MovedFrom int64 `json:"moved_from_applicant"`
		}
		if json.Unmarshal([]byte(entries[i].Detail), &d) == nil && d.MovedFrom != 0 {
			moved = &entries[i]
			break
		}
	}
	switch {
	case moved != nil:
		return &FraudFlag{Code: FlagRebound, Severe: true, Title: "该身份近期从其他账号转绑到申请账号",
			Detail: fmt.Sprintf("%s，该身份由另一账号转绑至当前申请账号。请确认申请人为本人，防止他人冒用身份信息。", calendar.FormatDate(moved.At))}, nil
	case ap.BoundAt != nil && now.Sub(*ap.BoundAt) < reboundWindow:
		ago := "今天"
		if days := int(now.Sub(*ap.BoundAt).Hours() / 24); days > 0 {
			ago = fmt.Sprintf("%d天前", days)
		}
		return &FraudFlag{Code: FlagRebound, Title: "申请账号近30天内绑定身份",
			Detail: fmt.Sprintf("账号于%s绑定本人身份（%s）。新绑定的账号请核对相片与本人是否一致。", calendar.FormatDate(*ap.BoundAt), ago)}, nil
	}
	return nil, nil
}

// compareRows sets the registry beside the application.
func compareRows(c *store.Case, p store.Person, av ApplicationView) []CompareRow {
	rows := []CompareRow{{Label: "户籍地 / 受理地", Registry: av.HouseholdCounty, Application: av.StationCounty}}
	switch {
	case c.StationDivision[:4] != c.HouseholdDivision[:4]:
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
		if c.MailDivisionCode != nil && len(*c.MailDivisionCode) >= 4 && (*c.MailDivisionCode)[:4] != c.HouseholdDivision[:4] {
			mail.Differs, mail.Note = true, "邮寄到户籍地以外的市州"
		}
		rows = append(rows, mail)
	}
	card := CompareRow{Label: "原证件 / 申请类型", Registry: cardSummary(p), Application: domain.Kind(c.Kind).Label()}
	switch domain.Kind(c.Kind) {
	case domain.KindDamageRenewal, domain.KindLossReplacement:
		limit := c.SubmittedAt.AddDate(-domain.RecentCardYears, 0, 0)
		if p.CardIssuedOn == nil || p.CardIssuedOn.Before(store.DateOf(limit, calendar.Location())) {
			card.Differs, card.Note = true, "原证签发已超过2年，应到派出所现场办理"
		} else if !p.CardFingerprints {
			card.Differs, card.Note = true, "原证未采集指纹，应到派出所现场办理"
		}
	case domain.KindExpiryRenewal:
		if p.CardExpiresOn != nil && p.CardExpiresOn.After(c.SubmittedAt.AddDate(0, domain.ExpiryWindowMonths, 0)) {
			card.Differs, card.Note = true, "原证有效期尚未进入到期前3个月"
		}
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
