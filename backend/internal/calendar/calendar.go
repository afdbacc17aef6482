// Package calendar decides which days are working days in Guizhou and
// computes the deadlines of the ID card procedure from them (docs/procedure.md,
// "Time"). Working days are Monday to Friday unless the State Council
// holiday schedule, loaded from the calendar_days table, says otherwise. A
// year without a schedule is provisional: its statutory holidays
// (StatutoryDays) are off on top of the weekends.
//
// All dates are Asia/Shanghai dates. The package does no I/O: the caller
// reads the schedule and passes it to New.
package calendar

import (
	"sort"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai must load on hosts without zoneinfo.
)

// shanghai is Asia/Shanghai, loaded once from the embedded tzdata. It is
// never modified.
var shanghai = loadShanghai()

// loadShanghai loads Asia/Shanghai, falling back to a fixed UTC+8 zone,
// which gives the same dates since 1991.
func loadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}

// Location returns the Asia/Shanghai time zone in which every date of the
// service is counted.
func Location() *time.Location { return shanghai }

// DateLayout is the layout of Day.Date and of dates in import files.
const DateLayout = "2006-01-02"

// Day overrides the default for one date: a public holiday that is off, or
// an adjusted weekend day that is worked (调休上班).
type Day struct {
	// Date is the date as 2006-01-02.
	Date string `json:"date"`
	// Working reports whether the day is worked.
	Working bool `json:"working"`
	// Note says why, e.g. 国庆节 or 调休上班.
	Note string `json:"note"`
}

// Calendar answers which days are working days. It is immutable after New
// and safe for concurrent use.
type Calendar struct {
	overrides     map[int]bool // yyyymmdd → working
	years         map[int]bool // years with at least one override
	onUnknownYear func(year int)
	fallback      sync.Map // provisional year → map[int]bool (yyyymmdd → off), built on first use
}

// New returns a calendar with the given overrides on top of Monday–Friday.
// A later row for the same date wins; rows whose Date does not parse as
// 2006-01-02 are ignored (ParseImport and the store only produce valid
// ones). A year without any override row is provisional: its working days
// are Monday to Friday minus the year's StatutoryDays, and onUnknownYear,
// when not nil, is called once per such year the first time one of its
// days is asked about, so the caller can log that the holiday schedule is
// missing. onUnknownYear must be safe for concurrent use and must not call
// back into the calendar.
func New(days []Day, onUnknownYear func(year int)) *Calendar {
	c := &Calendar{
		overrides:     make(map[int]bool, len(days)),
		years:         map[int]bool{},
		onUnknownYear: onUnknownYear,
	}
	for _, d := range days {
		t, err := time.Parse(DateLayout, d.Date)
		if err != nil {
			continue
		}
		c.overrides[key(t)] = d.Working
		c.years[t.Year()] = true
	}
	return c
}

// Years returns the years that have overrides, in ascending order.
func (c *Calendar) Years() []int {
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// key returns yyyymmdd of a civil date.
func key(d time.Time) int {
	return d.Year()*10000 + int(d.Month())*100 + d.Day()
}

// dateOf returns t's date in Shanghai as midnight UTC, a zone-free civil
// date that AddDate can step through without offset effects.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// endOf returns 23:59:59 in Shanghai of civil date d.
func endOf(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, shanghai)
}

// working reports whether civil date d is a working day.
func (c *Calendar) working(d time.Time) bool {
	if w, ok := c.overrides[key(d)]; ok {
		return w
	}
	if !c.years[d.Year()] && c.statutoryOff(d.Year())[key(d)] {
		return false
	}
	return !isWeekend(d)
}

// statutoryOff returns the statutory days off of a provisional year,
// computing them (and calling onUnknownYear) the first time the year is
// asked about.
func (c *Calendar) statutoryOff(year int) map[int]bool {
	if m, ok := c.fallback.Load(year); ok {
		return m.(map[int]bool)
	}
	off := map[int]bool{}
	for _, d := range StatutoryDays(year) {
		t, _ := time.Parse(DateLayout, d.Date)
		off[key(t)] = true
	}
	m, seen := c.fallback.LoadOrStore(year, off)
	if !seen && c.onUnknownYear != nil {
		c.onUnknownYear(year)
	}
	return m.(map[int]bool)
}

// Provisional reports whether year has no State Council schedule, so that
// its working days are the statutory fallback and any deadline counted
// through it may move when the notice is imported.
func (c *Calendar) Provisional(year int) bool { return !c.years[year] }

// ProvisionalYears returns, in ascending order, the provisional years that
// a span from one time to another touches: the years of the Shanghai dates
// after from's date up to and including to's date, the days a deadline
// from from to to is counted over. It is empty when to's date is not after
// from's.
func (c *Calendar) ProvisionalYears(from, to time.Time) []int {
	a, b := dateOf(from).AddDate(0, 0, 1), dateOf(to)
	var out []int
	for y := a.Year(); !a.After(b) && y <= b.Year(); y++ {
		if c.Provisional(y) {
			out = append(out, y)
		}
	}
	return out
}

// IsWorkingDay reports whether t's date in Shanghai is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	return c.working(dateOf(t))
}

// EndOfDay returns 23:59:59 (+08:00, no fraction) of t's date in Shanghai,
// the moment a deadline on that date expires.
func EndOfDay(t time.Time) time.Time {
	return endOf(dateOf(t))
}

// EndOfDay returns 23:59:59 (+08:00) of t's date in Shanghai; it is the
// package function EndOfDay, offered on the calendar for convenience.
func (c *Calendar) EndOfDay(t time.Time) time.Time {
	return EndOfDay(t)
}

// AddWorkingDays returns the end of the n-th working day after from's date
// in Shanghai; the day of from itself is not counted, whether or not it is
// a working day. For n ≤ 0 it returns the end of from's own day.
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	d := dateOf(from)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.working(d) {
			n--
		}
	}
	return endOf(d)
}

// AddCalendarDaysRolled returns the end of the day n calendar days after
// from's date in Shanghai, moved forward to the next working day when that
// last day is a holiday or a weekend day off.
func (c *Calendar) AddCalendarDaysRolled(from time.Time, n int) time.Time {
	d := dateOf(from).AddDate(0, 0, n)
	for !c.working(d) {
		d = d.AddDate(0, 0, 1)
	}
	return endOf(d)
}

// WorkingDaysLeft returns how many working days remain before a deadline:
// the working days after now's date up to and including due's date, both
// in Shanghai, so 0 when due is today. When due's date has passed the
// result is negative: minus the working days after due's date up to and
// including now's date, and at most -1, so an overdue deadline never reads
// as 0 over a weekend. A zero due gives 0.
func (c *Calendar) WorkingDaysLeft(now, due time.Time) int {
	if due.IsZero() {
		return 0
	}
	nd, dd := dateOf(now), dateOf(due)
	if !dd.Before(nd) {
		return c.countWorking(nd, dd)
	}
	return -max(1, c.countWorking(dd, nd))
}

// countWorking counts the working days in the civil-date interval (a, b].
func (c *Calendar) countWorking(a, b time.Time) int {
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if c.working(d) {
			n++
		}
	}
	return n
}

// FormatTime formats t as RFC 3339 in Shanghai time, e.g.
// 2026-10-09T23:59:59+08:00, the form every time takes in the API.
func FormatTime(t time.Time) string {
	return t.In(shanghai).Format(time.RFC3339)
}

// FormatDate formats t's date in Shanghai as 2006-01-02.
func FormatDate(t time.Time) string {
	return t.In(shanghai).Format(DateLayout)
}
