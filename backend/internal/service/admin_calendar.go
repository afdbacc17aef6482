package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// CalendarYear is one year of the working-day calendar as the database
// holds it, laid out as month grids.
type CalendarYear struct {
	Year      int             `json:"year"`
	Months    []CalendarMonth `json:"months"`
	Overrides []calendar.Day  `json:"overrides"`
	Working   int             `json:"working_days"`
	Holidays  int             `json:"holidays"`   // days off by the schedule
	Adjusted  int             `json:"adjusted"`   // weekend days worked
	Known     bool            `json:"known"`      // the year has a schedule
	Stale     int             `json:"stale_days"` // days this instance counts otherwise
}

// CalendarMonth is one month: weeks from Monday to Sunday, blank cells
// (Day 0) before the first and after the last day.
type CalendarMonth struct {
	Month int              `json:"month"`
	Weeks [][]CalendarCell `json:"weeks"`
}

// CalendarCell is one day: Kind is work, rest (a weekend), holiday (off by
// the holiday schedule) or adjusted (a weekend day worked, 调休上班).
type CalendarCell struct {
	Day   int    `json:"day"`
	Date  string `json:"date"`
	Kind  string `json:"kind"`
	Note  string `json:"note"`
	Today bool   `json:"today"`
}

// validYear keeps calendar years sane.
func validYear(y int) error {
	if y < 2000 || y > 2100 {
		return domain.Errorf(domain.CodeValidationFailed, "年份应在2000至2100之间")
	}
	return nil
}

// AdminCalendar lays out one year from the calendar_days table, and counts
// the days on which this running instance's calendar (loaded at start-up)
// disagrees with it. Returns FORBIDDEN for anyone but an admin.
func (s *Service) AdminCalendar(ctx context.Context, a Actor, year int) (CalendarYear, error) {
	if err := requireAdmin(a); err != nil {
		return CalendarYear{}, err
	}
	if err := validYear(year); err != nil {
		return CalendarYear{}, err
	}
	rows, err := s.st.Q(ctx).CalendarYear(year)
	if err != nil {
		return CalendarYear{}, s.internal(ctx, "calendar year", err)
	}
	cy := CalendarYear{Year: year, Known: len(rows) > 0}
	over := map[string]calendar.Day{}
	for _, r := range rows {
		d := calendar.Day{Date: r.Day.UTC().Format(calendar.DateLayout), Working: r.Working, Note: r.Note}
		over[d.Date] = d
		cy.Overrides = append(cy.Overrides, d)
	}
	if !cy.Known { // the statutory fallback the service counts with, provisionally
		for _, d := range calendar.StatutoryDays(year) {
			d.Note += "（法定节假日，暂定）"
			over[d.Date] = d
		}
	}
	today := calendar.FormatDate(s.now())
	for m := time.January; m <= time.December; m++ {
		first := time.Date(year, m, 1, 12, 0, 0, 0, calendar.Location())
		month := CalendarMonth{Month: int(m)}
		week := make([]CalendarCell, (int(first.Weekday())+6)%7) // blanks before Monday-based day 1
		for d := first; d.Month() == m; d = d.AddDate(0, 0, 1) {
			c := CalendarCell{Day: d.Day(), Date: d.Format(calendar.DateLayout), Today: d.Format(calendar.DateLayout) == today}
			weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
			working := !weekend
			o, set := over[c.Date]
			if set {
				working, c.Note = o.Working, o.Note
			}
			switch {
			case working && weekend:
				c.Kind = "adjusted"
				cy.Adjusted++
			case working:
				c.Kind = "work"
			case set:
				c.Kind = "holiday" // a public holiday, also when it falls on a weekend
				cy.Holidays++
			default:
				c.Kind = "rest"
			}
			if working {
				cy.Working++
			}
			if s.calendar().IsWorkingDay(d) != working {
				cy.Stale++
			}
			week = append(week, c)
			if len(week) == 7 {
				month.Weeks = append(month.Weeks, week)
				week = nil
			}
		}
		if len(week) > 0 {
			week = append(week, make([]CalendarCell, 7-len(week))...)
			month.Weeks = append(month.Weeks, week)
		}
		cy.Months = append(cy.Months, month)
	}
	return cy, nil
}

// CalendarImport is what a calendar import changed.
type CalendarImport struct {
	// Years are the years whose overrides were replaced, ascending.
	Years []int
	// Days is the number of override rows imported.
	Days int
	// MovedCases are the numbers of the open cases whose due times moved.
	MovedCases []string
}

// AdminImportCalendar replaces one year's overrides with those of a CSV
// file (date,working,note; see calendar.ParseImport) and recomputes the
// open cases' due times, as importCalendar does. Every date must lie in that year. Returns FORBIDDEN for anyone but
// an admin and VALIDATION_FAILED for a bad file.
func (s *Service) AdminImportCalendar(ctx context.Context, a Actor, year int, r io.Reader) (CalendarImport, error) {
	if err := requireAdmin(a); err != nil {
		return CalendarImport{}, err
	}
	if err := validYear(year); err != nil {
		return CalendarImport{}, err
	}
	days, err := parseCalendarFile(r)
	if err != nil {
		return CalendarImport{}, err
	}
	for _, d := range days {
		if !strings.HasPrefix(d.Date, fmt.Sprintf("%04d-", year)) {
			return CalendarImport{}, domain.Errorf(domain.CodeValidationFailed, "文件中的日期 %s 不属于%d年：每次只导入一年的安排", d.Date, year)
		}
	}
	return s.importCalendar(ctx, a, days)
}

// ImportCalendarFile is `idcard calendar import FILE`: the system imports
// every year the file covers, recomputing the open cases' due times as an
// admin's import does. Returns VALIDATION_FAILED for a bad file.
func (s *Service) ImportCalendarFile(ctx context.Context, r io.Reader) (CalendarImport, error) {
	days, err := parseCalendarFile(r)
	if err != nil {
		return CalendarImport{}, err
	}
	for _, d := range days {
		y, _ := strconv.Atoi(d.Date[:4])
		if err := validYear(y); err != nil {
			return CalendarImport{}, err
		}
	}
	a := SystemActor()
	a.Name = "idcard calendar import"
	return s.importCalendar(ctx, a, days)
}

// parseCalendarFile reads an import file, or says in Chinese what is wrong.
func parseCalendarFile(r io.Reader) ([]calendar.Day, error) {
	days, err := calendar.ParseImport(r)
	if err != nil {
		var ie *calendar.ImportError
		if errors.As(err, &ie) {
			return nil, domain.Errorf(domain.CodeValidationFailed, "日历文件%s", ie.Error())
		}
		return nil, domain.Errorf(domain.CodeValidationFailed, "日历文件无法读取：请上传“日期,是否上班,备注”格式的CSV文件")
	}
	return days, nil
}

// importCalendar replaces the overrides of every year that days cover (a
// State Council notice replaces the provisional statutory fallback) and
// recomputes the due times of every open case with the new calendar, in
// one transaction: each year audited as calendar.import, each moved case
// as case.recompute_due. This instance counts with the new calendar at
// once; the others reload it periodically. The caller checks who may.
func (s *Service) importCalendar(ctx context.Context, a Actor, days []calendar.Day) (CalendarImport, error) {
	byYear := map[int][]store.CalendarDay{}
	for _, d := range days {
		t, err := time.Parse(calendar.DateLayout, d.Date)
		if err != nil {
			return CalendarImport{}, domain.Errorf(domain.CodeValidationFailed, "日期“%s”无效，应为YYYY-MM-DD格式的真实日期", d.Date)
		}
		byYear[t.Year()] = append(byYear[t.Year()], store.CalendarDay{Day: t, Working: d.Working, Note: d.Note})
	}
	res := CalendarImport{Days: len(days)}
	for y := range byYear {
		res.Years = append(res.Years, y)
	}
	sort.Ints(res.Years)
	now := s.now()
	var cal *calendar.Calendar
	err := s.st.Tx(ctx, func(q *store.Q) error {
		for _, y := range res.Years {
			rows, off := byYear[y], 0
			for _, r := range rows {
				if !r.Working {
					off++
				}
			}
			if err := q.ReplaceCalendarYear(y, rows); err != nil {
				return err
			}
			if err := q.AppendAudit(&store.AuditEntry{At: now, ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
				Action: "calendar.import", ObjectType: "calendar", ObjectID: fmt.Sprint(y), IP: a.IP, Outcome: "ok",
				Detail: detail(map[string]any{"days": len(rows), "days_off": off, "days_worked": len(rows) - off})}); err != nil {
				return err
			}
		}
		var err error
		if cal, err = readCalendar(q, s.log); err != nil {
			return err
		}
		res.MovedCases, err = recomputeOpenDues(q, cal, a, now)
		return err
	})
	if err != nil {
		return CalendarImport{}, s.internal(ctx, "import calendar", err)
	}
	s.cal.Store(cal)
	return res, nil
}
