package store

import (
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
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	if err := q.g.Where("day >= ? AND day < ?", from, to).Delete(&CalendarDay{}).Error; err != nil {
		return translate(err)
	}
	if len(days) == 0 {
		return nil
	}
	return translate(q.g.Create(days).Error)
}
