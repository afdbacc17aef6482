package service

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// AdminImportCalendar replaces one year's overrides with those of a CSV
// file (date,working,note; see calendar.ParseImport) in one transaction,
// audited as calendar.import. Every date must lie in that year. It returns
// the number of days imported. Running instances keep the calendar they
// loaded at start-up until they restart (AdminCalendar reports the
// difference). Returns VALIDATION_FAILED for a bad file.
func (s *Service) AdminImportCalendar(ctx context.Context, a Actor, year int, r io.Reader) (int, error) {
	if err := requireAdmin(a); err != nil {
		return 0, err
	}
	if err := validYear(year); err != nil {
		return 0, err
	}
	days, err := calendar.ParseImport(r)
	if err != nil {
		var ie *calendar.ImportError
		if errors.As(err, &ie) {
			return 0, domain.Errorf(domain.CodeValidationFailed, "日历文件%s", ie.Error())
		}
		return 0, domain.Errorf(domain.CodeValidationFailed, "日历文件无法读取：请上传“日期,是否上班,备注”格式的CSV文件")
	}
	rows := make([]store.CalendarDay, 0, len(days))
	holidays, adjusted := 0, 0
	for _, d := range days {
		t, _ := time.Parse(calendar.DateLayout, d.Date)
		if t.Year() != year {
			return 0, domain.Errorf(domain.CodeValidationFailed, "文件中的日期 %s 不属于%d年：每次只导入一年的安排", d.Date, year)
		}
		if d.Working {
			adjusted++
		} else {
			holidays++
		}
		rows = append(rows, store.CalendarDay{Day: t, Working: d.Working, Note: d.Note})
	}
	err = s.st.Tx(ctx, func(q *store.Q) error {
		if err := q.ReplaceCalendarYear(year, rows); err != nil {
			return err
		}
		return q.AppendAudit(&store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
			Action: "calendar.import", ObjectType: "calendar", ObjectID: fmt.Sprint(year), IP: a.IP, Outcome: "ok",
			Detail: detail(map[string]any{"days": len(rows), "days_off": holidays, "days_worked": adjusted})})
	})
	if err != nil {
		return 0, s.internal(ctx, "import calendar", err)
	}
	if err := s.ReloadCalendar(ctx); err != nil {
		return 0, s.internal(ctx, "reload calendar", err)
	}
	return len(rows), nil
}
