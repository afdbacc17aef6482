package calendar

import (
	"sort"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// statutoryHoliday is one public holiday of 《全国年节及纪念日放假办法》
// (2024 revision, art. 2) for all citizens: its name and its days in a
// given year.
type statutoryHoliday struct {
	name  string
	first time.Time // civil date, midnight UTC
	days  int
}

// Years the lunar computation is trusted for; outside them no statutory
// holiday is assumed (weekends only).
const (
	statutoryFirstYear = 1901
	statutoryLastYear  = 2099
)

// makeUpSuffix ends the note of a day off that makes up for a holiday on a
// weekend (art. 6: 补假).
const makeUpSuffix = "补假"

// civil returns the civil date y-m-d as midnight UTC, like dateOf.
func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// solarDate turns a lunar-go solar date into a civil date.
func solarDate(s *lunar.Solar) time.Time {
	return civil(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
}

// statutoryHolidays lists the year's holidays of art. 2: 元旦 1 day, 春节 4
// days from 除夕, 清明节 1 (the solar term), 劳动节 2 (1–2 May), 端午节 1
// (5th of the 5th lunar month), 中秋节 1 (15th of the 8th), 国庆节 3
// (1–3 October).
func statutoryHolidays(year int) []statutoryHoliday {
	newYear := solarDate(lunar.NewLunarFromYmd(year, 1, 1).GetSolar())
	qingming := solarDate(lunar.NewSolarFromYmd(year, 4, 15).GetLunar().GetJieQiTable()["清明"])
	return []statutoryHoliday{
		{"元旦", civil(year, time.January, 1), 1},
		{"春节", newYear.AddDate(0, 0, -1), 4},
		{"清明节", qingming, 1},
		{"劳动节", civil(year, time.May, 1), 2},
		{"端午节", solarDate(lunar.NewLunarFromYmd(year, 5, 5).GetSolar()), 1},
		{"中秋节", solarDate(lunar.NewLunarFromYmd(year, 8, 15).GetSolar()), 1},
		{"国庆节", civil(year, time.October, 1), 3},
	}
}

// StatutoryDays returns the days off of a year by 《全国年节及纪念日放假办法》
// alone (2024 revision), for a year whose State Council notice is not yet
// in the calendar: each holiday day of art. 2, noted with the holiday's
// name, and, by art. 6, for each holiday day on a Saturday or Sunday a
// make-up day off on the next working day (noted e.g. "国庆节补假"). Unlike
// a notice it has no bridge days and no adjusted working weekends. The
// days come back in date order; outside 1901–2099 there are none.
func StatutoryDays(year int) []Day {
	if year < statutoryFirstYear || year > statutoryLastYear {
		return nil
	}
	off := map[int]string{}
	type weekendDay struct {
		date time.Time
		name string
	}
	var weekend []weekendDay
	for _, h := range statutoryHolidays(year) {
		for i := range h.days {
			d := h.first.AddDate(0, 0, i)
			if prev, dup := off[key(d)]; dup {
				off[key(d)] = prev + "、" + h.name // e.g. 中秋节 on 1 October: one day off, not two
				continue
			}
			off[key(d)] = h.name
			if isWeekend(d) {
				weekend = append(weekend, weekendDay{d, h.name})
			}
		}
	}
	sort.Slice(weekend, func(i, j int) bool { return weekend[i].date.Before(weekend[j].date) })
	for _, w := range weekend {
		d := w.date.AddDate(0, 0, 1)
		for _, taken := off[key(d)]; taken || isWeekend(d); _, taken = off[key(d)] {
			d = d.AddDate(0, 0, 1)
		}
		off[key(d)] = w.name + makeUpSuffix
	}
	days := make([]Day, 0, len(off))
	for k, note := range off {
		d := civil(k/10000, time.Month(k/100%100), k%100)
		days = append(days, Day{Date: d.Format(DateLayout), Working: false, Note: note})
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	return days
}

// isWeekend reports whether civil date d is a Saturday or Sunday.
func isWeekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
