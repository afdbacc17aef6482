package service

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// TemporaryCardView is a temporary ID card request and, once issued, the card.
type TemporaryCardView struct {
	CaseNo      string  `json:"case_no"`
	Status      string  `json:"status"`
	CardNo      *string `json:"card_no"`
	FeeYuan     int     `json:"fee_yuan"`
	RequestedAt string  `json:"requested_at"`
	IssuedAt    *string `json:"issued_at"`
	ValidUntil  *string `json:"valid_until"`
}

func temporaryView(no string, t store.TemporaryCard) TemporaryCardView {
	return TemporaryCardView{CaseNo: no, Status: t.Status, CardNo: t.CardNo, FeeYuan: t.FeeYuan,
		RequestedAt: fmtTime(t.RequestedAt), IssuedAt: fmtTimePtr(t.IssuedAt), ValidUntil: datePtr(t.ValidUntil)}
}

var tempCardNoRe = regexp.MustCompile(`^[0-9A-Z]{6,20}$`)

// RequestTemporaryCard asks for a temporary card (¥10, valid 3 months) while
// an accepted case runs. Returns INVALID_TRANSITION before acceptance or
// after the case ended, CONFLICT when one was asked for already.
func (s *Service) RequestTemporaryCard(ctx context.Context, a Actor, no string) (TemporaryCardView, error) {
	c, err := s.ownCase(ctx, a, no)
	if err != nil {
		return TemporaryCardView{}, err
	}
	switch domain.Status(c.Status) {
	case domain.StatusAccepted, domain.StatusIssued, domain.StatusProduced, domain.StatusShipped, domain.StatusReadyForPickup:
	default:
		return TemporaryCardView{}, domain.Errorf(domain.CodeInvalidTransition, "办件受理后、领证前方可申领临时身份证")
	}
	t := store.TemporaryCard{CaseID: c.ID, PersonID: c.PersonID, Status: "requested", FeeYuan: domain.TemporaryCardFeeYuan, RequestedAt: s.now()}
	err = s.st.Tx(ctx, func(q *store.Q) error {
		if err := q.InsertTemporaryCard(&t); err != nil {
			return err
		}
		return q.AppendAudit(&store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), Role: string(a.Role), Action: "temporary_card.request",
			ObjectType: "case", ObjectID: c.No, IP: a.IP, Outcome: "ok", Detail: "{}"})
	})
	if errors.Is(err, store.ErrDuplicate) {
		return TemporaryCardView{}, domain.Errorf(domain.CodeConflict, "该办件已申领过临时身份证")
	}
	if err != nil {
		return TemporaryCardView{}, s.internal(ctx, "temporary card", err)
	}
	return temporaryView(c.No, t), nil
}

// IssueTemporaryCard is the household county's issue of a requested
// temporary card with its number; it is valid for 3 months.
func (s *Service) IssueTemporaryCard(ctx context.Context, a Actor, no, cardNo string) (TemporaryCardView, error) {
	if a.Role != domain.RoleCountyReviewer {
		return TemporaryCardView{}, domain.E(domain.CodeForbidden)
	}
	cardNo = strings.ToUpper(strings.TrimSpace(cardNo))
	if !tempCardNoRe.MatchString(cardNo) {
		return TemporaryCardView{}, domain.Errorf(domain.CodeValidationFailed, "临时身份证号码应为6至20位数字或大写字母")
	}
	c, err := s.ownCase(ctx, a, no)
	if err != nil {
		return TemporaryCardView{}, err
	}
	if domain.Status(c.Status).IsFinal() {
		return TemporaryCardView{}, domain.Errorf(domain.CodeInvalidTransition, "办件已办结，无需再签发临时身份证")
	}
	var t store.TemporaryCard
	err = s.st.Tx(ctx, func(q *store.Q) error {
		if t, err = q.TemporaryCardOfCase(c.ID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return domain.Errorf(domain.CodeNotFound, "该办件没有临时身份证申请")
			}
			return err
		}
		if t.Status != "requested" {
			return domain.Errorf(domain.CodeInvalidTransition, "临时身份证已签发")
		}
		now := s.now()
		until := store.DateOf(now.In(calendar.Location()).AddDate(0, 3, 0), calendar.Location())
		t.Status, t.CardNo, t.IssuedAt, t.ValidUntil, t.IssuedBy = "issued", &cardNo, &now, &until, a.idPtr()
		if err := q.SaveTemporaryCard(&t); err != nil {
			return err
		}
		msgs, err := notify.Messages(q, &c, notify.TemporaryCardIssued, notify.Detail{Note: cardNo, Until: until})
		if err != nil {
			return err
		}
		if err := q.Enqueue(now, msgs...); err != nil {
			return err
		}
		return q.AppendAudit(&store.AuditEntry{At: now, ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
			Action: "temporary_card.issue", ObjectType: "case", ObjectID: c.No, IP: a.IP, Outcome: "ok",
			Detail: detail(map[string]any{"card_no": cardNo})})
	})
	if err != nil {
		return TemporaryCardView{}, s.internal(ctx, "temporary card issue", err)
	}
	return temporaryView(c.No, t), nil
}

// TemporaryCardRow is a temporary card request of the county's list.
type TemporaryCardRow struct {
	CaseNo          string
	CaseStatus      string
	CaseStatusLabel string
	CaseOpen        bool
	KindLabel       string
	HolderMasked    string
	Status          string
	CardNo          *string
	FeeYuan         int
	RequestedAt     string
	IssuedAt        *string
	ValidUntil      *string
}

// TemporaryCardsPerPage is the length of a page of the temporary card list.
const TemporaryCardsPerPage = 50

// TemporaryCardPage is one page of a county's temporary cards: Page counts
// from 1 and Pages is at least 1.
type TemporaryCardPage struct {
	Rows        []TemporaryCardRow
	Total       int64
	Page, Pages int
}

// CountyTemporaryCards lists, a page at a time, the temporary card requests
// ("requested") or issued cards ("issued") of cases whose person is
// registered in the county reviewer's county; a page past the last gives
// the last. Returns FORBIDDEN for any other role and VALIDATION_FAILED for
// another status.
func (s *Service) CountyTemporaryCards(ctx context.Context, a Actor, status string, page int) (TemporaryCardPage, error) {
	if a.Role != domain.RoleCountyReviewer || a.OfficeKind != store.OfficeCountyBureau || a.OfficeDiv == "" {
		return TemporaryCardPage{}, domain.Errorf(domain.CodeForbidden, "临时身份证由户籍地县级公安机关签发，您的岗位无权办理")
	}
	if status == "" {
		status = "requested"
	}
	if status != "requested" && status != "issued" {
		return TemporaryCardPage{}, domain.Errorf(domain.CodeValidationFailed, "未知的临时身份证状态：%s", status)
	}
	page = max(page, 1)
	q := s.st.Q(ctx)
	rows, total, err := q.TemporaryCardsOfHousehold(a.OfficeDiv, status, (page-1)*TemporaryCardsPerPage, TemporaryCardsPerPage)
	if err != nil {
		return TemporaryCardPage{}, s.internal(ctx, "temporary cards", err)
	}
	pages := max(int((total+TemporaryCardsPerPage-1)/TemporaryCardsPerPage), 1)
	if page > pages {
		page = pages
		if rows, total, err = q.TemporaryCardsOfHousehold(a.OfficeDiv, status, (page-1)*TemporaryCardsPerPage, TemporaryCardsPerPage); err != nil {
			return TemporaryCardPage{}, s.internal(ctx, "temporary cards", err)
		}
	}
	out := make([]TemporaryCardRow, 0, len(rows))
	for _, r := range rows {
		st := domain.Status(r.CaseStatus)
		out = append(out, TemporaryCardRow{CaseNo: r.CaseNo, CaseStatus: r.CaseStatus, CaseStatusLabel: st.Label(),
			CaseOpen: !st.IsFinal(), KindLabel: domain.Kind(r.CaseKind).Label(), HolderMasked: pii.MaskName(r.PersonName),
			Status: r.Status, CardNo: r.CardNo, FeeYuan: r.FeeYuan, RequestedAt: fmtTime(r.RequestedAt),
			IssuedAt: fmtTimePtr(r.IssuedAt), ValidUntil: datePtr(r.ValidUntil)})
	}
	return TemporaryCardPage{Rows: out, Total: total, Page: page, Pages: pages}, nil
}
