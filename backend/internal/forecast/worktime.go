package forecast

import (
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
)

// Working time is counted in working days: each working day in Shanghai
// counts its whole 24 hours as one day, a day off counts nothing. A stage
// that starts on Friday afternoon and ends on Monday morning so lasts about
// one working day, as the stations experience it.

const day = 24 * time.Hour

// startOfDay returns midnight in Shanghai of t's date.
func startOfDay(t time.Time) time.Time {
	l := t.In(calendar.Location())
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, calendar.Location())
}

// WorkingDaysBetween returns the working time from a to b in working days
// (fractional); 0 when b is not after a.
func WorkingDaysBetween(cal *calendar.Calendar, a, b time.Time) float64 {
	if !b.After(a) {
		return 0
	}
	total := time.Duration(0)
	for d := startOfDay(a); d.Before(b); d = d.AddDate(0, 0, 1) {
		if !cal.IsWorkingDay(d) {
			continue
		}
		from, to := later(a, d), earlier(b, d.AddDate(0, 0, 1))
		if to.After(from) {
			total += to.Sub(from)
		}
	}
	return float64(total) / float64(day)
}

// AddWorkingTime returns the moment wd working days after t: days off are
// skipped, each working day advances one day.
func AddWorkingTime(cal *calendar.Calendar, t time.Time, wd float64) time.Time {
	left := time.Duration(wd * float64(day))
	for d := startOfDay(t); left > 0; d = d.AddDate(0, 0, 1) {
		if !cal.IsWorkingDay(d) {
			continue
		}
		from, end := later(t, d), d.AddDate(0, 0, 1)
		if room := end.Sub(from); room >= left {
			return from.Add(left)
		} else if room > 0 {
			left -= room
		}
	}
	return t
}

// workingDateDiff returns the working days from a's date to b's date in
// Shanghai, negative when b's date is before a's: how many working days a
// date shown to the applicant was off.
func workingDateDiff(cal *calendar.Calendar, a, b time.Time) int {
	da, db := startOfDay(a), startOfDay(b)
	sign := 1
	if db.Before(da) {
		da, db, sign = db, da, -1
	}
	n := 0
	for d := da.AddDate(0, 0, 1); !d.After(db); d = d.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
