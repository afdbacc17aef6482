package service

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// StaffMe is the signed-in staff member.
type StaffMe struct {
	Username string       `json:"username"`
	Name     string       `json:"name"`
	Role     string       `json:"role"`
	RoleName string       `json:"role_label"`
	Scope    string       `json:"scope_division"`
	Office   *OfficeBrief `json:"office"`
	// OTPEnabled: the second factor is enrolled (the pages say so).
	OTPEnabled bool `json:"-"`
	// PasswordDue is when the password must be changed (90 days after it
	// was set); the pages warn from 14 days before.
	PasswordDue time.Time `json:"-"`
}

// PasswordWarn reports whether the password's change is due within 14
// days (or overdue) at now.
func (m StaffMe) PasswordWarn(now time.Time) bool {
	return !m.PasswordDue.IsZero() && now.After(m.PasswordDue.Add(-domain.PasswordWarnBefore))
}

// passwordDue is when st's password must change: 90 days after it was set,
// or after the account was created for a password of before the policy.
func passwordDue(st store.Staff) time.Time {
	set := st.CreatedAt
	if st.PasswordChangedAt != nil {
		set = *st.PasswordChangedAt
	}
	return domain.PasswordDue(set)
}

// OfficeBrief names an office.
type OfficeBrief struct {
	ID           int64  `json:"id"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	DivisionCode string `json:"division_code"`
}

// StaffMe describes the actor.
func (s *Service) StaffMe(ctx context.Context, a Actor) (StaffMe, error) {
	_, m, err := s.StaffSession(ctx, a.ID, a.IP)
	return m, err
}

// CaseQuery is a staff list request.
type CaseQuery struct {
	Status, Kind, Collection, County, No string
	OfficeID                             int64
	Overdue, DueFirst                    bool
	From, To                             time.Time
	Cursor                               string
	// Before asks for the page before this cursor (a page's PrevCursor).
	Before string
	Limit  int
}

// CasePage is one page of a staff list.
type CasePage struct {
	Items      []CaseView `json:"items"`
	NextCursor *string    `json:"next_cursor"`
	// PrevCursor is the Before of the page before this one; nil on the
	// first page. The staff pages use it (the API pages forward only).
	PrevCursor *string `json:"-"`
}

// scopeFilter limits a list to the actor's jurisdiction. Returns FORBIDDEN
// for an actor that sees no cases.
func scopeFilter(a Actor) (store.CaseFilter, error) {
	sc := a.Scope()
	if !sc.SeesCases() || !a.Role.IsStaff() {
		return store.CaseFilter{}, domain.E(domain.CodeForbidden)
	}
	return store.CaseFilter{Scope: sc}, nil
}

// StaffCases lists cases in the actor's jurisdiction, newest first (or
// soonest due first), with keyset pagination both ways. Returns
// VALIDATION_FAILED for a bad filter or cursor.
func (s *Service) StaffCases(ctx context.Context, a Actor, cq CaseQuery) (CasePage, error) {
	f, limit, err := s.staffCaseFilter(a, cq)
	if err != nil {
		return CasePage{}, err
	}
	f.Limit = limit + 1
	key := func(c store.Case) string {
		if cq.DueFirst {
			return makeCursor(*c.StageDueAt, c.ID)
		}
		return makeCursor(c.SubmittedAt, c.ID)
	}
	switch {
	case cq.Before != "":
		if f.AfterAt, f.AfterID, err = parseCursor(cq.Before); err != nil {
			return CasePage{}, err
		}
		f.Before = true
	case cq.Cursor != "":
		if f.AfterAt, f.AfterID, err = parseCursor(cq.Cursor); err != nil {
			return CasePage{}, err
		}
	}
	q := s.st.Q(ctx)
	cs, err := q.ListCases(f)
	if err != nil {
		return CasePage{}, s.internal(ctx, "staff cases", err)
	}
	more := len(cs) > limit
	if more {
		cs = cs[:limit]
	}
	page := CasePage{}
	if f.Before {
		// Nearest first: turn round; more means pages before this one, and
		// the page after is the one the cursor came from.
		slices.Reverse(cs)
		if more {
			page.PrevCursor = ptr(key(cs[0]))
		}
		if len(cs) > 0 {
			page.NextCursor = ptr(key(cs[len(cs)-1]))
		}
	} else {
		if more {
			page.NextCursor = ptr(key(cs[len(cs)-1]))
		}
		if cq.Cursor != "" && len(cs) > 0 {
			page.PrevCursor = ptr(key(cs[0]))
		}
	}
	if page.Items, err = s.views(q, cs); err != nil {
		return CasePage{}, s.internal(ctx, "staff cases", err)
	}
	return page, nil
}

// staffCaseFilter checks a staff list request and turns it into the store
// filter of the actor's jurisdiction (no keyset, no limit) and the page size.
func (s *Service) staffCaseFilter(a Actor, cq CaseQuery) (store.CaseFilter, int, error) {
	f, err := scopeFilter(a)
	if err != nil {
		return f, 0, err
	}
	if cq.Status != "" && !domain.Status(cq.Status).Valid() {
		return f, 0, domain.Errorf(domain.CodeValidationFailed, "未知的办件状态：%s", cq.Status)
	}
	if cq.Kind != "" && !domain.Kind(cq.Kind).Valid() {
		return f, 0, domain.Errorf(domain.CodeValidationFailed, "未知的办理类型：%s", cq.Kind)
	}
	if cq.Collection != "" && !domain.Collection(cq.Collection).Valid() {
		return f, 0, domain.Errorf(domain.CodeValidationFailed, "未知的领证方式：%s", cq.Collection)
	}
	if !cq.From.IsZero() && !cq.To.IsZero() && !cq.From.Before(cq.To) {
		return f, 0, domain.Errorf(domain.CodeValidationFailed, "开始日期不能晚于结束日期")
	}
	limit := cq.Limit
	if limit <= 0 {
		limit = 20
	}
	if limit > 100 {
		return f, 0, domain.Errorf(domain.CodeValidationFailed, "limit 不能超过100")
	}
	f.Status, f.Kind, f.Collection, f.County, f.No, f.OfficeID = cq.Status, cq.Kind, cq.Collection, cq.County, strings.ToUpper(cq.No), cq.OfficeID
	f.Overdue, f.DueFirst, f.From, f.To, f.Now = cq.Overdue, cq.DueFirst, cq.From, cq.To, s.now()
	return f, limit, nil
}

// StaffCaseCount counts the cases a staff list request lists, all pages
// together. Returns what StaffCases returns for a bad request.
func (s *Service) StaffCaseCount(ctx context.Context, a Actor, cq CaseQuery) (int64, error) {
	f, _, err := s.staffCaseFilter(a, cq)
	if err != nil {
		return 0, err
	}
	n, err := s.st.Q(ctx).CountCases(f)
	if err != nil {
		return 0, s.internal(ctx, "staff case count", err)
	}
	return n, nil
}

func makeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d.%d", at.UnixMicro(), id)))
}

func parseCursor(c string) (time.Time, int64, error) {
	bad := domain.Errorf(domain.CodeValidationFailed, "cursor 无效，请从第一页重新查询")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, bad
	}
	a, b, ok := strings.Cut(string(raw), ".")
	us, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 {
		return time.Time{}, 0, bad
	}
	return time.UnixMicro(us).UTC(), id, nil
}

// StaffCaseDetail is a case with the registry record, for staff.
type StaffCaseDetail struct {
	CaseView
	Person PersonView `json:"person"`
}

// StaffCase shows a case in the actor's jurisdiction with the person
// (masked); every such view is audited. Returns NOT_FOUND outside it.
func (s *Service) StaffCase(ctx context.Context, a Actor, no string) (StaffCaseDetail, error) {
	if _, err := scopeFilter(a); err != nil {
		return StaffCaseDetail{}, err
	}
	v, err := s.Case(ctx, a, no)
	if err != nil {
		return StaffCaseDetail{}, err
	}
	q := s.st.Q(ctx)
	c, err := q.CaseByNo(no)
	if err != nil {
		return StaffCaseDetail{}, s.internal(ctx, "staff case", err)
	}
	p, err := q.Person(c.PersonID)
	if err != nil {
		return StaffCaseDetail{}, s.internal(ctx, "staff case", err)
	}
	if err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "case.view", ObjectType: "case", ObjectID: no, IP: a.IP, Outcome: "ok", Detail: "{}"}); err != nil {
		return StaffCaseDetail{}, s.internal(ctx, "staff case audit", err)
	}
	return StaffCaseDetail{CaseView: v, Person: personView(p)}, nil
}
