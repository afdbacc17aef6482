package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// keyAdminSecret keeps a new password until the admin's next page shows it,
// once.
const keyAdminSecret = "admin_secret"

// secret is a password shown once.
type secret struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// staffPageView is the account list's data.
type staffPageView struct {
	Filter    map[string]string
	Rows      []service.StaffAccount
	Total     int64
	Page      int
	Pages     int
	PrevURL   string            // the page before, "" on the first
	NextURL   string            // the page after, "" on the last
	Form      map[string]string // the create form, refilled after an error
	Secret    *secret
	Roles     []option
	Offices   []service.OfficeRow
	Divisions []service.DivisionOption
	MinPass   int
	MeID      int64
}

// staffRoles are the roles an account may have.
func staffRoles() []option {
	var out []option
	for _, r := range domain.AllRoles() {
		if r.IsStaff() {
			out = append(out, option{string(r), r.Label()})
		}
	}
	return out
}

// adminStaffPage: GET /staff/admin/staff — the accounts, with filters and
// the create form.
func (s *Server) adminStaffPage(c *gin.Context) {
	a, me, ok := s.securityAdminPage(c)
	if !ok {
		return
	}
	s.renderStaffList(c, a, me, http.StatusOK, nil, s.popError(c))
}

func (s *Server) renderStaffList(c *gin.Context, a service.Actor, me *service.StaffMe, status int, form map[string]string, errMsg string) {
	ctx := c.Request.Context()
	v := staffPageView{Filter: map[string]string{}, Form: form, Roles: staffRoles(), MinPass: domain.PasswordMinLength, MeID: a.ID}
	for _, k := range []string{"q", "role", "office", "active"} {
		v.Filter[k] = strings.TrimSpace(c.Query(k))
	}
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	n, _ := strconv.Atoi(c.Query("page"))
	page, err := s.deps.Service.AdminStaff(ctx, a, service.StaffListQuery{Q: v.Filter["q"], Role: v.Filter["role"],
		OfficeCode: v.Filter["office"], Active: v.Filter["active"], Page: n})
	v.Rows, v.Total, v.Page, v.Pages = page.Rows, page.Total, page.Page, page.Pages
	if v.Page > 1 {
		v.PrevURL = staffListURL(v.Filter, v.Page-1)
	}
	if v.Page < v.Pages {
		v.NextURL = staffListURL(v.Filter, v.Page+1)
	}
	if err == nil {
		v.Offices, err = s.deps.Service.OfficeOptions(ctx, a)
	}
	if err == nil {
		v.Divisions, err = s.deps.Service.DivisionOptions(ctx)
	}
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	v.Secret = s.popSecret(c)
	s.render(c, status, "staff/admin/staff.html", pageData{Title: "账号管理", Me: me, Nav: "admin-staff", Error: errMsg, Data: v})
}

// staffListURL is the account list with the filter at a page.
func staffListURL(filter map[string]string, page int) string {
	q := url.Values{}
	for k, val := range filter {
		if val != "" {
			q.Set(k, val)
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return "/staff/admin/staff"
	}
	return "/staff/admin/staff?" + q.Encode()
}

func (s *Server) popSecret(c *gin.Context) *secret {
	raw := s.deps.Sessions.Staff.PopString(c.Request.Context(), keyAdminSecret)
	if raw == "" {
		return nil
	}
	var sec secret
	if json.Unmarshal([]byte(raw), &sec) != nil {
		return nil
	}
	return &sec
}

func (s *Server) keepSecret(c *gin.Context, username, password string) {
	b, _ := json.Marshal(secret{username, password})
	s.deps.Sessions.Staff.Put(c.Request.Context(), keyAdminSecret, string(b))
}

// adminStaffCreate: POST /staff/admin/staff — a new account; a blank
// password makes a random one, shown once.
func (s *Server) adminStaffCreate(c *gin.Context) {
	a, me, ok := s.securityAdminPage(c)
	if !ok {
		return
	}
	form := map[string]string{}
	for _, k := range []string{"username", "name", "role", "office", "scope"} {
		form[k] = strings.TrimSpace(c.PostForm(k))
	}
	acc, pw, err := s.deps.Service.AdminCreateStaff(c.Request.Context(), a, service.NewStaff{Username: form["username"],
		Name: form["name"], Password: c.PostForm("password"),
		StaffPost: service.StaffPost{Role: form["role"], OfficeCode: form["office"], Scope: form["scope"]}})
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeInternal {
			s.pageError(c, me, err)
			return
		}
		s.renderStaffList(c, a, me, httpStatus(domain.ErrorCode(err)), form, domain.ErrorMessage(err))
		return
	}
	if pw != "" {
		s.keepSecret(c, acc.Username, pw)
	}
	s.flash(c, fmt.Sprintf("已创建账号 %s（%s，%s）", acc.Username, acc.Name, domain.Role(acc.Role).Label()))
	c.Redirect(http.StatusSeeOther, "/staff/admin/staff/"+fmt.Sprint(acc.ID))
}

// staffEditView is one account's page.
type staffEditView struct {
	Acc       service.StaffAccount
	Secret    *secret
	Self      bool
	Roles     []option
	Offices   []service.OfficeRow
	Divisions []service.DivisionOption
}

// adminStaffEditPage: GET /staff/admin/staff/:id — one account: its post,
// enable or disable, reset the password.
func (s *Server) adminStaffEditPage(c *gin.Context) {
	a, me, ok := s.securityAdminPage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	acc, err := s.deps.Service.AdminStaffAccount(ctx, a, idParam(c))
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	v := staffEditView{Acc: acc, Self: acc.ID == a.ID, Roles: staffRoles()}
	if v.Offices, err = s.deps.Service.OfficeOptions(ctx, a); err == nil {
		v.Divisions, err = s.deps.Service.DivisionOptions(ctx)
	}
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	v.Secret = s.popSecret(c)
	s.render(c, http.StatusOK, "staff/admin/staff_edit.html", pageData{Title: "账号 " + acc.Username, Me: me, Nav: "admin-staff",
		Error: s.popError(c), Data: v})
}

// adminStaffUpdate: POST /staff/admin/staff/:id — a new role, office and
// scope.
func (s *Server) adminStaffUpdate(c *gin.Context) {
	a, _, ok := s.securityAdminPage(c)
	if !ok {
		return
	}
	id := idParam(c)
	back := fmt.Sprintf("/staff/admin/staff/%d", id)
	acc, err := s.deps.Service.AdminUpdateStaff(c.Request.Context(), a, id, service.StaffPost{Role: c.PostForm("role"),
		OfficeCode: c.PostForm("office"), Scope: c.PostForm("scope")})
	if err != nil {
		s.adminFail(c, back, err)
		return
	}
	s.flash(c, fmt.Sprintf("已将 %s 的岗位改为%s", acc.Username, domain.Role(acc.Role).Label()))
	c.Redirect(http.StatusSeeOther, back)
}

// adminStaffActive: POST /staff/admin/staff/:id/active (active=1|0).
func (s *Server) adminStaffActive(c *gin.Context) {
	a, _, ok := s.securityAdminPage(c)
	if !ok {
		return
	}
	back := adminBack(c, fmt.Sprintf("/staff/admin/staff/%d", idParam(c)))
	active := c.PostForm("active") == "1"
	acc, err := s.deps.Service.AdminSetStaffActive(c.Request.Context(), a, idParam(c), active)
	if err != nil {
		s.adminFail(c, back, err)
		return
	}
	if active {
		s.flash(c, fmt.Sprintf("已启用账号 %s", acc.Username))
	} else {
		s.flash(c, fmt.Sprintf("已停用账号 %s：该账号不能再登录，已登录的会话随即失效", acc.Username))
	}
	c.Redirect(http.StatusSeeOther, back)
}

// adminStaffPassword: POST /staff/admin/staff/:id/password — a new random
// password, shown once on the next page.
func (s *Server) adminStaffPassword(c *gin.Context) {
	a, _, ok := s.securityAdminPage(c)
	if !ok {
		return
	}
	back := adminBack(c, fmt.Sprintf("/staff/admin/staff/%d", idParam(c)))
	acc, pw, err := s.deps.Service.AdminResetPassword(c.Request.Context(), a, idParam(c))
	if err != nil {
		s.adminFail(c, back, err)
		return
	}
	s.keepSecret(c, acc.Username, pw)
	s.flash(c, fmt.Sprintf("已重置 %s 的密码", acc.Username))
	c.Redirect(http.StatusSeeOther, back)
}

// adminBack is the form's "back" field when it is an admin staff page.
func adminBack(c *gin.Context, def string) string {
	b := c.PostForm("back")
	if strings.HasPrefix(b, "/staff/admin/staff") && !strings.ContainsAny(b, "\\\r\n") && !strings.HasPrefix(b, "//") {
		return b
	}
	return def
}
