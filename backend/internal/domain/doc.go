// Package domain holds the pure rules of the online resident ID card
// (居民身份证) renewal service: error codes, case statuses and the transition
// table, roles, application kinds with their fees and online eligibility, card
// validity, jurisdiction (Scope), the anti-fraud rules of the review, citizen
// ID numbers (GB 11643-1999), UPU S10 tracking numbers and case numbers.
//
// The package imports nothing of the project and does no I/O, so every other
// layer can depend on it and its rules can be tested as plain tables.
package domain

import "time"

// cst is China Standard Time (UTC+8). China has not observed daylight saving
// time since 1991, so a fixed zone yields the same calendar dates as
// Asia/Shanghai without loading tzdata. It is never modified.
var cst = time.FixedZone("CST", 8*60*60)

// civilDate returns t's calendar date in China Standard Time as midnight UTC,
// so that date-only values stored as midnight UTC or as midnight +08:00 give
// the same day and can be compared and added without zone effects.
func civilDate(t time.Time) time.Time {
	y, m, d := t.In(cst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addMonthsClamped adds n months to a civil date, keeping the day of month
// but clamping it to the last day of the target month (31 May + 3 months is
// 31 August; 31 May − 3 months is 28 or 29 February).
func addMonthsClamped(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, d.Location())
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, d.Location())
}

// formatChineseDate prints a civil date as 2006年1月2日.
func formatChineseDate(d time.Time) string {
	return d.Format("2006年1月2日")
}
