package store

import (
	"fmt"
	"time"
)

// CalendarDay overrides the Monday–Friday default for one date.
type CalendarDay struct {
	Day     time.Time `gorm:"primaryKey"`
	Working bool
	Note    string
}

// TableName names the table.
func (CalendarDay) TableName() string { return "calendar_days" }

// CalendarDays returns every override, in date order.
func (q *Q) CalendarDays() ([]CalendarDay, error) {
	var out []CalendarDay
	err := q.g.Order("day").Find(&out).Error
	return out, translate(err)
}

// ReplaceCalendarYear replaces the overrides of one year.
func (q *Q) ReplaceCalendarYear(year int, days []CalendarDay) error {
	// String bounds compare right with both '2025-01-01' (written by the
	// migrations) and a full timestamp (written by the SQLite driver).
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	if err := q.g.Where("day >= ? AND day < ?", from, to).Delete(&CalendarDay{}).Error; err != nil {
		return translate(err)
	}
	if len(days) == 0 {
		return nil
	}
	return translate(q.g.Create(days).Error)
}
