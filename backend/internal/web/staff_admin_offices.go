package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/service"
)

// officesView is the office list's data.
type officesView struct {
	Filter    map[string]string
	Page      service.OfficePage
	Next      string
	Prev      string
	First     string
	Divisions []service.DivisionOption
	Kinds     []option
	Self      string // this page, for the edit page's way back
}

var officeKinds = []option{{"station", "派出所"}, {"county_bureau", "县级公安机关"}, {"production_centre", "制证中心"},
	{"prefecture_bureau", "市（州）公安局"}, {"provincial_department", "省公安厅"}}

// adminOfficesPage: GET /staff/admin/offices — offices by code, with
// filters, 50 a page.
func (s *Server) adminOfficesPage(c *gin.Context) {
	a, me, ok := s.adminPage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	v := officesView{Filter: map[string]string{}, Kinds: officeKinds, Self: c.Request.URL.RequestURI()}
	for _, k := range []string{"kind", "division", "q", "remote"} {
		v.Filter[k] = strings.TrimSpace(c.Query(k))
	}
	after, before := c.Query("after"), c.Query("before")
	var err error
	v.Page, err = s.deps.Service.AdminOffices(ctx, a, service.OfficeListQuery{Kind: v.Filter["kind"], Division: v.Filter["division"],
		Q: v.Filter["q"], Remote: v.Filter["remote"], After: after, Before: before})
	if err == nil {
		v.Divisions, err = s.deps.Service.DivisionOptions(ctx)
	}
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	if v.Page.Next != "" {
		v.Next = officesLink(v.Filter, "after", v.Page.Next)
	}
	if v.Page.Prev != "" {
		v.Prev = officesLink(v.Filter, "before", v.Page.Prev)
	}
	if after != "" || before != "" {
		v.First = officesLink(v.Filter, "", "")
	}
	s.render(c, http.StatusOK, "staff/admin/offices.html", pageData{Title: "机构管理", Me: me, Nav: "admin-offices",
		Error: s.popError(c), Data: v})
}

// officesLink is the office list with the filter at a page: key "after"
// (the page after), "before" (the page before) or "" (the first).
func officesLink(filter map[string]string, key, code string) string {
	q := url.Values{}
	for k, v := range filter {
		if v != "" {
			q.Set(k, v)
		}
	}
	if key != "" && code != "" {
		q.Set(key, code)
	}
	return "/staff/admin/offices?" + q.Encode()
}

// officeEditView is one office's page.
type officeEditView struct {
	Office service.OfficeRow
	Back   string
}

// adminOfficeEditPage: GET /staff/admin/offices/:id — the phone, hours and
// remote flag of one office.
func (s *Server) adminOfficeEditPage(c *gin.Context) {
	a, me, ok := s.adminPage(c)
	if !ok {
		return
	}
	o, err := s.deps.Service.AdminOffice(c.Request.Context(), a, idParam(c))
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	s.render(c, http.StatusOK, "staff/admin/office_edit.html", pageData{Title: o.Name, Me: me, Nav: "admin-offices",
		Error: s.popError(c), Data: officeEditView{Office: o, Back: officesBack(c.Query("back"))}})
}

// officesBack keeps a link back to a page of the office list.
func officesBack(b string) string {
	if strings.HasPrefix(b, "/staff/admin/offices") && !strings.ContainsAny(b, "\\\r\n") {
		return b
	}
	return "/staff/admin/offices"
}

// adminOfficeUpdate: POST /staff/admin/offices/:id.
func (s *Server) adminOfficeUpdate(c *gin.Context) {
	a, _, ok := s.adminPage(c)
	if !ok {
		return
	}
	id := idParam(c)
	back := officesBack(c.PostForm("back"))
	o, err := s.deps.Service.AdminUpdateOffice(c.Request.Context(), a, id, service.OfficeChange{Phone: c.PostForm("phone"),
		Hours: c.PostForm("hours"), Remote: c.PostForm("remote") == "1"})
	if err != nil {
		s.adminFail(c, fmt.Sprintf("/staff/admin/offices/%d?back=%s", id, url.QueryEscape(back)), err)
		return
	}
	s.flash(c, fmt.Sprintf("已保存“%s”的联系电话、办公时间和边远地区标记", o.Name))
	c.Redirect(http.StatusSeeOther, back)
}
