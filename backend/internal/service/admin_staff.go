package service

import (
	"context"
	"crypto/rand"
	"errors"
	"regexp"
	"strings"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// AdminStaffPageSize is the number of accounts on a page of the list.
const AdminStaffPageSize = 50

// StaffAccount is a staff account as the admin sees it (never its hash).
type StaffAccount struct {
	ID         int64  `json:"id"`
	Username   string `json:"username"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	OfficeCode string `json:"office_code"`
	OfficeName string `json:"office_name"`
	Scope      string `json:"scope_division"`
	Active     bool   `json:"active"`
	LastLogin  string `json:"last_login_at"`
	Created    string `json:"created_at"`
}

// StaffListQuery filters the account list.
type StaffListQuery struct {
	Q, Role, OfficeCode string
	Active              string // "", "1" or "0"
	Page                int    // from 1; 0 is the first
}

// StaffAccountPage is one page of the account list.
type StaffAccountPage struct {
	Rows        []StaffAccount
	Total       int64 // the accounts of every page
	Page, Pages int   // this page and the number of pages, from 1
}

// requireAdmin returns FORBIDDEN unless a is the system admin, who keeps
// the offices, the calendar and the outbox's delivery.
func requireAdmin(a Actor) error {
	if a.Role != domain.RoleAdmin {
		return domain.Errorf(domain.CodeForbidden, "仅系统管理员可管理机构、工作日历和消息投递")
	}
	return nil
}

// requireSecurityAdmin returns FORBIDDEN unless a is the security
// administrator, who alone manages staff accounts and roles (三权分立).
func requireSecurityAdmin(a Actor) error {
	if a.Role != domain.RoleSecurityAdmin {
		return domain.Errorf(domain.CodeForbidden, "仅安全管理员可管理工作人员账号和岗位")
	}
	return nil
}

// AdminStaff lists a page of the staff accounts that match lq, by
// username, with their count; a page past the last shows the last.
// Returns FORBIDDEN for anyone but the security administrator.
func (s *Service) AdminStaff(ctx context.Context, a Actor, lq StaffListQuery) (StaffAccountPage, error) {
	if err := requireSecurityAdmin(a); err != nil {
		return StaffAccountPage{}, err
	}
	q := s.st.Q(ctx)
	page := StaffAccountPage{Page: max(lq.Page, 1), Pages: 1}
	f := store.StaffFilter{Q: strings.TrimSpace(lq.Q), Role: lq.Role, Limit: AdminStaffPageSize}
	if lq.Active == "1" || lq.Active == "0" {
		f.Active = ptr(lq.Active == "1")
	}
	if code := officeCodeOf(lq.OfficeCode); code != "" {
		o, err := q.OfficeByCode(code)
		if errors.Is(err, store.ErrNotFound) {
			page.Page = 1
			return page, nil
		}
		if err != nil {
			return StaffAccountPage{}, s.internal(ctx, "admin staff", err)
		}
		f.OfficeID = o.ID
	}
	total, err := q.CountStaffMatching(f)
	if err != nil {
		return StaffAccountPage{}, s.internal(ctx, "admin staff", err)
	}
	page.Total = total
	page.Pages = max(1, int((total+AdminStaffPageSize-1)/AdminStaffPageSize))
	page.Page = min(page.Page, page.Pages)
	f.Offset = (page.Page - 1) * AdminStaffPageSize
	rows, err := q.ListStaff(f)
	if err != nil {
		return StaffAccountPage{}, s.internal(ctx, "admin staff", err)
	}
	var ids []int64
	for _, r := range rows {
		if r.OfficeID != nil {
			ids = append(ids, *r.OfficeID)
		}
	}
	offices, err := q.OfficesByIDs(ids)
	if err != nil {
		return StaffAccountPage{}, s.internal(ctx, "admin staff", err)
	}
	page.Rows = make([]StaffAccount, 0, len(rows))
	for _, r := range rows {
		page.Rows = append(page.Rows, staffAccount(r, offices))
	}
	return page, nil
}

func staffAccount(r store.Staff, offices map[int64]store.Office) StaffAccount {
	sa := StaffAccount{ID: r.ID, Username: r.Username, Name: r.Name, Role: r.Role, Scope: r.ScopeDivision,
		Active: r.Active, Created: calendar.FormatTime(r.CreatedAt)}
	if r.OfficeID != nil {
		o := offices[*r.OfficeID]
		sa.OfficeCode, sa.OfficeName = o.Code, o.Name
	}
	if r.LastLoginAt != nil {
		sa.LastLogin = calendar.FormatTime(*r.LastLoginAt)
	}
	return sa
}

// officeCodeOf takes the code from "code" or "code name" (a datalist pick).
func officeCodeOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t"); i > 0 {
		s = s[:i]
	}
	return s
}

// AdminStaffAccount returns one account. Returns NOT_FOUND for an unknown id.
func (s *Service) AdminStaffAccount(ctx context.Context, a Actor, id int64) (StaffAccount, error) {
	if err := requireSecurityAdmin(a); err != nil {
		return StaffAccount{}, err
	}
	q := s.st.Q(ctx)
	r, err := q.StaffByID(id)
	if errors.Is(err, store.ErrNotFound) {
		return StaffAccount{}, domain.Errorf(domain.CodeNotFound, "账号不存在")
	}
	if err != nil {
		return StaffAccount{}, s.internal(ctx, "admin staff", err)
	}
	return s.accountView(q, r)
}

func (s *Service) accountView(q *store.Q, r store.Staff) (StaffAccount, error) {
	offices := map[int64]store.Office{}
	if r.OfficeID != nil {
		o, err := q.Office(*r.OfficeID)
		if err != nil {
			return StaffAccount{}, err
		}
		offices[o.ID] = o
	}
	return staffAccount(r, offices), nil
}

// NewStaff is an account to create. An empty Password makes a random one.
type NewStaff struct {
	Username, Name, Password string
	StaffPost
}

// StaffPost is what an account does and where: the role, the office (a
// code, for station, county and production staff) and the scope (a
// division code prefix, for supervisors).
type StaffPost struct {
	Role, OfficeCode, Scope string
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// resolvePost checks a post and returns the office and the scope it gives:
// office staff work for their office's division, the production centre and
// the admin for the province, a supervisor over the division it is given.
// Fields a role does not use are ignored.
func resolvePost(q *store.Q, p StaffPost) (*int64, string, error) {
	bad := func(f string, args ...any) (*int64, string, error) {
		return nil, "", domain.Errorf(domain.CodeValidationFailed, f, args...)
	}
	role := domain.Role(p.Role)
	kind := map[domain.Role]string{domain.RoleStationOfficer: store.OfficeStation,
		domain.RoleCountyReviewer: store.OfficeCountyBureau, domain.RoleProductionOperator: store.OfficeProductionCentre}[role]
	switch {
	case !role.IsStaff():
		return bad("请选择岗位")
	case role.IsAdministrator():
		return overseeingOffice(q, domain.ProvinceCode)
	case role == domain.RoleSupervisor:
		scope := strings.TrimSpace(p.Scope)
		if scope != domain.ProvinceCode && len(scope) != 4 && len(scope) != 6 {
			return bad("请选择监督范围（全省、市州或区县）")
		}
		if scope != domain.ProvinceCode {
			if _, err := q.Division(divisionCode(scope)); errors.Is(err, store.ErrNotFound) {
				return bad("监督范围 %s 不是贵州省的行政区划", scope)
			} else if err != nil {
				return nil, "", err
			}
		}
		return overseeingOffice(q, scope)
	}
	code := officeCodeOf(p.OfficeCode)
	if code == "" {
		return bad("%s须填写所在机构（派出所、县级公安机关或制证中心的代码）", role.Label())
	}
	o, err := q.OfficeByCode(code)
	if errors.Is(err, store.ErrNotFound) {
		return bad("机构代码 %s 不存在", code)
	}
	if err != nil {
		return nil, "", err
	}
	if o.Kind != kind {
		return bad("%s不能在“%s”工作，请选择%s", role.Label(), o.Name, officeKindLabel(kind))
	}
	if !o.Active {
		return bad("机构“%s”已撤销", o.Name)
	}
	return &o.ID, o.DivisionCode, nil
}

// overseeingOffice is the office of the staff who oversee scope, and the
// scope: the county bureau of a county, a prefecture's bureau (市(州)公安局),
// the provincial department (省公安厅) for the province. Every supervisor
// and the admin work there, so every account has an office.
func overseeingOffice(q *store.Q, scope string) (*int64, string, error) {
	kind, div := store.OfficeProvincialDepartment, domain.ProvinceCode
	switch len(scope) {
	case 4:
		kind, div = store.OfficePrefectureBureau, divisionCode(scope)
	case 6:
		kind, div = store.OfficeCountyBureau, scope
	}
	os, err := q.OfficesByKind(kind, div)
	if err != nil {
		return nil, "", err
	}
	for _, o := range os {
		if o.DivisionCode == div {
			return &o.ID, scope, nil
		}
	}
	return nil, "", domain.Errorf(domain.CodeValidationFailed, "监督范围 %s 没有可供任职的%s", scope, officeKindLabel(kind))
}

// officeKindLabel names an office kind in Chinese.
func officeKindLabel(kind string) string {
	switch kind {
	case store.OfficeStation:
		return "派出所"
	case store.OfficeCountyBureau:
		return "县级公安机关"
	case store.OfficeProductionCentre:
		return "制证中心"
	case store.OfficePrefectureBureau:
		return "市（州）公安局"
	case store.OfficeProvincialDepartment:
		return "省公安厅"
	}
	return kind
}

// checkPassword applies the password rule (domain.CheckPassword).
func checkPassword(pw string) error { return domain.CheckPassword(pw) }

// passwordAlphabet leaves out look-alikes (0/O, 1/l/I).
const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

// randomPassword is 14 characters of the alphabet (about 81 bits) that
// meet the password rule (three classes), drawn again until they do.
func randomPassword() string {
	for {
		if pw := randomFrom(passwordAlphabet, 14); domain.CheckPassword(pw) == nil {
			return pw
		}
	}
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		// Reject the top of the byte range so every letter is equally likely.
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue
		}
		b[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(b)
}
