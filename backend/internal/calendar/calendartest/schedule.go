// Package calendartest holds the official State Council holiday schedule of
// 2025 and 2026, so that tests of any package can build a realistic
// calendar, and so that the calendar migration can be checked against it.
package calendartest

import (
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
)

// Note of an adjusted weekend day that is worked.
const adjustedWorkday = "调休上班"

// span is a run of consecutive days with the same status.
type span struct {
	from, to string // inclusive, 2006-01-02
	working  bool
	note     string
}

// schedule is the State Council schedule of 2025 and 2026: every holiday
// day off (weekends inside a holiday included) and every adjusted weekend
// day worked.
func schedule() []span {
	off := func(from, to, note string) span { return span{from, to, false, note} }
	on := func(date string) span { return span{date, date, true, adjustedWorkday} }
	return []span{
		// 2025 (国办发明电〔2024〕12号).
		off("2025-01-01", "2025-01-01", "元旦"),
		on("2025-01-26"),
		off("2025-01-28", "2025-02-04", "春节"),
		on("2025-02-08"),
		off("2025-04-04", "2025-04-06", "清明节"),
		on("2025-04-27"),
		off("2025-05-01", "2025-05-05", "劳动节"),
		off("2025-05-31", "2025-06-02", "端午节"),
		on("2025-09-28"),
		off("2025-10-01", "2025-10-08", "国庆节、中秋节"),
		on("2025-10-11"),
		// 2026.
		off("2026-01-01", "2026-01-03", "元旦"),
		on("2026-01-04"),
		on("2026-02-14"),
		off("2026-02-15", "2026-02-23", "春节"),
		on("2026-02-28"),
		off("2026-04-04", "2026-04-06", "清明节"),
		off("2026-05-01", "2026-05-05", "劳动节"),
		on("2026-05-09"),
		off("2026-06-19", "2026-06-21", "端午节"),
		on("2026-09-20"),
		off("2026-09-25", "2026-09-27", "中秋节"),
		off("2026-10-01", "2026-10-07", "国庆节"),
		on("2026-10-10"),
	}
}

// OfficialDays returns every override of 2025 and 2026 in date order: each
// holiday day off and each adjusted weekend day worked, with Chinese notes.
// The result is freshly built on each call.
func OfficialDays() []calendar.Day {
	var days []calendar.Day
	for _, s := range schedule() {
		from, err1 := time.Parse(calendar.DateLayout, s.from)
		to, err2 := time.Parse(calendar.DateLayout, s.to)
		if err1 != nil || err2 != nil {
			panic("calendartest: bad date in schedule: " + s.from + ".." + s.to)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			days = append(days, calendar.Day{Date: d.Format(calendar.DateLayout), Working: s.working, Note: s.note})
		}
	}
	return days
}

// Calendar returns a calendar built from OfficialDays that ignores unknown
// years.
func Calendar() *calendar.Calendar {
	return calendar.New(OfficialDays(), nil)
}
