package calendar_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/calendar/calendartest"
)

// at parses a Shanghai wall-clock time "2006-01-02 15:04".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLocation(t *testing.T) {
	loc := calendar.Location()
	if loc.String() != "Asia/Shanghai" || loc != calendar.Location() {
		t.Fatalf("Location = %v", loc)
	}
	if _, off := time.Date(2026, 7, 1, 0, 0, 0, 0, loc).Zone(); off != 8*3600 {
		t.Errorf("offset = %d", off)
	}
}

func TestOfficialDays(t *testing.T) {
	days := calendartest.OfficialDays()
	if len(days) != 33+39 { // 2025: 33 rows, 2026: 39 rows
		t.Errorf("got %d official days, want 72", len(days))
	}
	cal := calendar.New(days, func(y int) { t.Errorf("year %d reported unknown", y) })
	prev := ""
	for _, d := range days {
		if d.Date <= prev {
			t.Errorf("%s not after %s", d.Date, prev)
		}
		prev = d.Date
		if d.Note == "" {
			t.Errorf("%s has no note", d.Date)
		}
		noon, err := time.ParseInLocation("2006-01-02 15:04", d.Date+" 12:00", calendar.Location())
		if err != nil {
			t.Fatal(err)
		}
		if got := cal.IsWorkingDay(noon); got != d.Working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", d.Date, got, d.Working, d.Note)
		}
		wd := noon.Weekday()
		if d.Working && wd != time.Saturday && wd != time.Sunday {
			t.Errorf("%s: adjusted working day on a weekday (%s)", d.Date, wd)
		}
	}
	if got := cal.Years(); len(got) != 2 || got[0] != 2025 || got[1] != 2026 {
		t.Errorf("Years = %v", got)
	}
}

func TestIsWorkingDay(t *testing.T) {
	cal := calendartest.Calendar()
	tests := []struct {
		when time.Time
		want bool
	}{
		{at(t, "2026-03-09 09:00"), true},  // Monday
		{at(t, "2026-03-13 17:00"), true},  // Friday
		{at(t, "2026-03-14 10:00"), false}, // Saturday
		{at(t, "2026-03-15 10:00"), false}, // Sunday
		{at(t, "2026-02-14 10:00"), true},  // Saturday worked before Spring Festival
		{at(t, "2026-02-16 10:00"), false}, // Monday in Spring Festival
		{at(t, "2025-10-08 10:00"), false}, // Wednesday, National Day 2025
		{at(t, "2025-10-09 10:00"), true},
		{at(t, "2025-10-11 10:00"), true}, // Saturday worked
		// 17:30 UTC on 30 September is 01:30 on 1 October in Shanghai.
		{time.Date(2026, 9, 30, 17, 30, 0, 0, time.UTC), false},
		{time.Date(2026, 9, 30, 15, 59, 0, 0, time.UTC), true},
		// 16:00 UTC on Friday 13 March is Saturday in Shanghai.
		{time.Date(2026, 3, 13, 16, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		if got := cal.IsWorkingDay(tt.when); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.when.Format(time.RFC3339), got, tt.want)
		}
	}
}

func TestEndOfDay(t *testing.T) {
	got := calendar.EndOfDay(time.Date(2026, 9, 30, 17, 30, 0, 123, time.UTC))
	if s := got.Format(time.RFC3339Nano); s != "2026-10-01T23:59:59+08:00" {
		t.Errorf("EndOfDay = %s", s)
	}
	if cal := calendartest.Calendar(); !cal.EndOfDay(got).Equal(got) {
		t.Error("EndOfDay must be idempotent")
	}
}

func TestUnknownYear(t *testing.T) {
	var calls atomic.Int32
	var mu sync.Mutex
	years := map[int]int{}
	cal := calendar.New(calendartest.OfficialDays(), func(y int) {
		calls.Add(1)
		mu.Lock()
		years[y]++
		mu.Unlock()
	})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// 2027 has no notice: Friday 1 January is off by statute,
			// Monday 4 January is an ordinary working day.
			if cal.IsWorkingDay(at(t, "2027-01-01 10:00")) {
				t.Error("元旦 of a year without a notice must be off")
			}
			if !cal.IsWorkingDay(at(t, "2027-01-04 10:00")) {
				t.Error("a Monday without a holiday in a year without a notice must be worked")
			}
			if cal.IsWorkingDay(at(t, "2027-01-02 10:00")) {
				t.Error("Saturday in an unknown year must be off")
			}
			cal.IsWorkingDay(at(t, "2026-05-06 10:00"))
		}()
	}
	wg.Wait()
	if calls.Load() != 1 || years[2027] != 1 {
		t.Errorf("callback calls = %d, years = %v; want 2027 once", calls.Load(), years)
	}
	// Counting into an unknown year reports it too.
	cal.AddWorkingDays(at(t, "2024-12-30 10:00"), 1)
	if years[2024] != 1 || calls.Load() != 2 {
		t.Errorf("years = %v", years)
	}
	// A nil callback is allowed.
	if !calendar.New(nil, nil).IsWorkingDay(at(t, "2030-01-02 10:00")) {
		t.Error("2030-01-02 is a Wednesday")
	}
}

func TestNewIgnoresBadRowsAndLastWins(t *testing.T) {
	cal := calendar.New([]calendar.Day{
		{Date: "2030-13-01", Working: false},
		{Date: "2030-01-07", Working: false, Note: "first"},
		{Date: "2030-01-07", Working: true, Note: "second"},
		{Date: "2030-01-08", Working: false},
	}, nil)
	if !cal.IsWorkingDay(at(t, "2030-01-07 10:00")) || cal.IsWorkingDay(at(t, "2030-01-08 10:00")) {
		t.Error("later row should win")
	}
	if got := cal.Years(); len(got) != 1 || got[0] != 2030 {
		t.Errorf("Years = %v", got)
	}
}
