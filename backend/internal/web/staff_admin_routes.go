package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// adminPageRoutes registers the admin's pages: staff accounts, offices,
// the working-day calendar and the outbox's delivery. Every change is a
// POST answered by a redirect with a flash message, and is audited by the
// service.
func (s *Server) adminPageRoutes(g *gin.RouterGroup) {
	// The admin area's own address leads to its first page.
	g.GET("/admin", func(c *gin.Context) { c.Redirect(http.StatusFound, "/staff/admin/offices") })
	g.GET("/admin/staff", s.adminStaffPage)
	g.POST("/admin/staff", s.adminStaffCreate)
	g.GET("/admin/staff/:id", s.adminStaffEditPage)
	g.POST("/admin/staff/:id", s.adminStaffUpdate)
	g.POST("/admin/staff/:id/active", s.adminStaffActive)
	g.POST("/admin/staff/:id/password", s.adminStaffPassword)
	g.GET("/admin/offices", s.adminOfficesPage)
	g.GET("/admin/offices/:id", s.adminOfficeEditPage)
	g.POST("/admin/offices/:id", s.adminOfficeUpdate)
	g.GET("/admin/calendar", s.adminCalendarPage)
	g.POST("/admin/calendar", s.adminCalendarImport)
	g.GET("/admin/calendar/export.csv", s.adminCalendarExport)
	g.GET("/admin/outbox", s.adminOutboxPage)
	g.POST("/admin/outbox/retry", s.adminOutboxRetryChannel)
	g.POST("/admin/outbox/:id/retry", s.adminOutboxRetryOne)
	g.GET("/admin/payments", s.adminPaymentsPage)
}

// adminPage is the signed-in system admin of a page request (offices,
// calendar, outbox), or an error page.
func (s *Server) adminPage(c *gin.Context) (service.Actor, *service.StaffMe, bool) {
	return s.rolePage(c, domain.RoleAdmin)
}

// securityAdminPage is the signed-in security administrator of a page
// request (staff accounts and roles), or an error page.
func (s *Server) securityAdminPage(c *gin.Context) (service.Actor, *service.StaffMe, bool) {
	return s.rolePage(c, domain.RoleSecurityAdmin)
}

// rolePage is the signed-in staff member of a page request when it has one
// of the roles, or an error page (403).
func (s *Server) rolePage(c *gin.Context, roles ...domain.Role) (service.Actor, *service.StaffMe, bool) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, roles...) {
		return service.Actor{}, nil, false
	}
	return a, me, true
}

// adminFail shows a refused action on the page it came from.
func (s *Server) adminFail(c *gin.Context, to string, err error) {
	s.flashError(c, domain.ErrorMessage(err))
	c.Redirect(303, to)
}

// idParam reads the :id of the path; 0 when it is not a positive number.
func idParam(c *gin.Context) int64 {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
