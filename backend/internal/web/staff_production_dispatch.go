package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// dispatchData is the dispatch list page: one day's list with the links to
// the days around it and to its downloads.
type dispatchData struct {
	service.Dispatch
	Prev    string
	Next    string
	Today   string
	IsToday bool
}

// productionOperator is the signed-in production operator of a request, or
// an error page for anyone else.
func (s *Server) productionOperator(c *gin.Context) (service.Actor, *service.StaffMe, bool) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleProductionOperator) {
		return service.Actor{}, nil, false
	}
	return a, me, true
}

// dispatchPage: GET /staff/dispatch?date=2006-01-02 — the cards shipped that
// day (today by default, Asia/Shanghai): window parcels by station, then
// EMS items, with CSV and XLSX downloads.
func (s *Server) dispatchPage(c *gin.Context) {
	a, me, ok := s.productionOperator(c)
	if !ok {
		return
	}
	status, errMsg := http.StatusOK, ""
	d, err := s.deps.Service.DispatchList(c.Request.Context(), a, c.Query("date"))
	if err != nil && domain.ErrorCode(err) == domain.CodeValidationFailed {
		// A mistyped date shows today's list with the mistake explained.
		status, errMsg = http.StatusUnprocessableEntity, domain.ErrorMessage(err)
		d, err = s.deps.Service.DispatchList(c.Request.Context(), a, "")
	}
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	day, _ := time.ParseInLocation(calendar.DateLayout, d.Date, calendar.Location())
	today := time.Now().In(calendar.Location()).Format(calendar.DateLayout)
	data := dispatchData{Dispatch: d, Today: today, IsToday: d.Date == today,
		Prev: day.AddDate(0, 0, -1).Format(calendar.DateLayout),
		Next: day.AddDate(0, 0, 1).Format(calendar.DateLayout)}
	s.render(c, status, "staff/production/dispatch.html", pageData{Title: "发件清单 " + d.Date, Me: me, Nav: "dispatch",
		Error: errMsg, Data: data})
}
