package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// calendarUploadMax bounds an uploaded calendar file (a year is ~3 KB).
const calendarUploadMax = 256 << 10

// calendarView is the calendar page's data.
type calendarView struct {
	service.CalendarYear
	Prev, Next int
	Weekdays   []string
}

// calendarYearOf reads ?year= (default: this year in Shanghai).
func calendarYearOf(c *gin.Context, v string) (int, error) {
	if v == "" {
		return time.Now().In(calendar.Location()).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil {
		return 0, domain.Errorf(domain.CodeValidationFailed, "年份应为四位数字，如 2026")
	}
	return y, nil
}

// adminCalendarPage: GET /staff/admin/calendar?year= — a year's month grids
// (working days, holidays, adjusted working weekends) and the import form.
func (s *Server) adminCalendarPage(c *gin.Context) {
	cy, year, me, ok := s.adminCalendarYear(c)
	if !ok {
		return
	}
	v := calendarView{CalendarYear: cy, Prev: year - 1, Next: year + 1, Weekdays: []string{"一", "二", "三", "四", "五", "六", "日"}}
	s.render(c, http.StatusOK, "staff/admin/calendar.html", pageData{Title: fmt.Sprintf("%d年工作日历", year), Me: me,
		Nav: "admin-calendar", Error: s.popError(c), Data: v})
}

// adminCalendarImport: POST /staff/admin/calendar (multipart: year, file)
// — replaces the year's holidays and adjusted working days.
func (s *Server) adminCalendarImport(c *gin.Context) {
	a, _, ok := s.adminPage(c)
	if !ok {
		return
	}
	year, err := calendarYearOf(c, c.PostForm("year"))
	back := "/staff/admin/calendar"
	if err == nil {
		back += "?year=" + strconv.Itoa(year)
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, calendarUploadMax)
	fh, ferr := c.FormFile("file")
	if err == nil && ferr != nil {
		err = domain.Errorf(domain.CodeValidationFailed, "请选择要导入的CSV文件（不超过256KB）")
	}
	if err != nil {
		s.adminFail(c, back, err)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.adminFail(c, back, domain.Errorf(domain.CodeValidationFailed, "文件无法读取，请重新选择"))
		return
	}
	defer f.Close()
	res, err := s.deps.Service.AdminImportCalendar(c.Request.Context(), a, year, f)
	if err != nil {
		s.adminFail(c, back, err)
		return
	}
	s.flash(c, fmt.Sprintf("已导入%d年的%d条节假日与调休安排，替换了该年原有的设置；%d件在办办件的办理期限已按新日历重新计算", year, res.Days, len(res.MovedCases)))
	c.Redirect(http.StatusSeeOther, back)
}

// adminCalendarExport: GET /staff/admin/calendar/export.csv?year= — the
// year's overrides in the import format, to edit and import again.
func (s *Server) adminCalendarExport(c *gin.Context) {
	cy, year, _, ok := s.adminCalendarYear(c)
	if !ok {
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="calendar-%d.csv"`, year))
	c.Status(http.StatusOK)
	_, _ = c.Writer.WriteString("\ufeff")
	w := csv.NewWriter(c.Writer)
	_ = w.Write([]string{"date", "working", "note"})
	for _, d := range cy.Overrides {
		working := "0"
		if d.Working {
			working = "1"
		}
		_ = w.Write([]string{d.Date, working, csvCell(d.Note)})
	}
	w.Flush()
}

// adminCalendarYear loads the year asked for (?year=) for an admin, or
// answers the error page.
func (s *Server) adminCalendarYear(c *gin.Context) (service.CalendarYear, int, *service.StaffMe, bool) {
	a, me, ok := s.adminPage(c)
	if !ok {
		return service.CalendarYear{}, 0, nil, false
	}
	year, err := calendarYearOf(c, c.Query("year"))
	if err == nil {
		var cy service.CalendarYear
		if cy, err = s.deps.Service.AdminCalendar(c.Request.Context(), a, year); err == nil {
			return cy, year, me, true
		}
	}
	s.pageError(c, me, err)
	return service.CalendarYear{}, 0, nil, false
}
