package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// staffHome: GET /staff/ — the role's work queues.
func (s *Server) staffHome(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	var queues []service.Queue
	if !a.Role.IsAdministrator() {
		var err error
		if queues, err = s.deps.Service.StaffQueues(c.Request.Context(), a); err != nil {
			s.pageError(c, me, err)
			return
		}
	}
	d := staffHomeData{Queues: queues}
	if s.deps.Service.PasswordWarn(*me) {
		d.PasswordDue = calendar.FormatDate(me.PasswordDue)
	}
	if a.Role == domain.RoleSupervisor || a.Role == domain.RoleAdmin {
		if years := s.deps.Service.ProvisionalYears(); len(years) > 0 {
			d.ProvisionalYears, d.FirstProvisional = provisionalYearsText(years), years[0]
		}
	}
	s.render(c, http.StatusOK, "staff/home.html", pageData{Title: "工作台", Me: me, Nav: "home", Data: d})
}

// staffHomeData is what the home page shows: the role's work queues and,
// for supervisors and admins, which coming years' deadlines are provisional.
type staffHomeData struct {
	Queues           []service.Queue
	ProvisionalYears string // e.g. "2027" or "2026、2027"; empty when none
	FirstProvisional int    // the first of them, for the admin's calendar link
	PasswordDue      string // when the password must change, shown from 14 days before
}

// provisionalYearsText joins years for a sentence.
func provisionalYearsText(years []int) string {
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, "、")
}
