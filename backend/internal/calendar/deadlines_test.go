package calendar_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/calendar/calendartest"
)

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func TestAddWorkingDays(t *testing.T) {
	cal := calendartest.Calendar()
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"Ordinary", at(t, "2026-03-09 10:00"), 3, "2026-03-12T23:59:59+08:00"},
		{"OverWeekend", at(t, "2026-03-12 10:00"), 3, "2026-03-17T23:59:59+08:00"},
		{"FromSaturday", at(t, "2026-03-14 10:00"), 1, "2026-03-16T23:59:59+08:00"},
		{"Zero", at(t, "2026-03-14 10:00"), 0, "2026-03-14T23:59:59+08:00"},
		// Friday 13 Feb 2026: Sat 14 worked, 15–23 off, Tue 24, Wed 25.
		{"SpringFestival2026", at(t, "2026-02-13 10:00"), 3, "2026-02-25T23:59:59+08:00"},
		// 2025: Sun 26 Jan worked, Mon 27, then 28 Jan–4 Feb off, Wed 5 Feb.
		{"SpringFestival2025", at(t, "2025-01-24 16:00"), 3, "2025-02-05T23:59:59+08:00"},
		{"NationalDay2026", at(t, "2026-09-29 10:00"), 3, "2026-10-09T23:59:59+08:00"},
		{"NationalDay2026FromHoliday", at(t, "2026-10-03 10:00"), 3, "2026-10-10T23:59:59+08:00"},
		// 17:30 UTC on 30 Sep is 1 Oct in Shanghai: 8, 9 and Sat 10 Oct.
		{"UTCNextDayInShanghai", time.Date(2026, 9, 30, 17, 30, 0, 0, time.UTC), 3, "2026-10-10T23:59:59+08:00"},
		{"UTCSameDayInShanghai", time.Date(2026, 9, 30, 15, 30, 0, 0, time.UTC), 1, "2026-10-08T23:59:59+08:00"},
		// 30 working days from Monday 7 Sep 2026 skip 25 Sep and 1–7 Oct, count Sun 20 Sep and Sat 10 Oct.
		{"Pickup30", at(t, "2026-09-07 10:00"), 30, "2026-10-23T23:59:59+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rfc(cal.AddWorkingDays(tt.from, tt.n)); got != tt.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", rfc(tt.from), tt.n, got, tt.want)
			}
		})
	}
}

func TestAddCalendarDaysRolled(t *testing.T) {
	cal := calendartest.Calendar()
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"Weekday", at(t, "2026-03-01 10:00"), 60, "2026-04-30T23:59:59+08:00"},
		// 3 Aug 2025 + 60 = Thu 2 Oct 2025, inside National Day → Thu 9 Oct.
		{"Holiday", at(t, "2025-08-03 10:00"), 60, "2025-10-09T23:59:59+08:00"},
		// 4 Jan 2026 + 60 = Thu 5 Mar, a weekday.
		{"NoRoll", at(t, "2026-01-04 10:00"), 60, "2026-03-05T23:59:59+08:00"},
		// 7 Jan 2026 + 60 = Sun 8 Mar → Mon 9 Mar.
		{"Sunday", at(t, "2026-01-07 10:00"), 60, "2026-03-09T23:59:59+08:00"},
		// 30 Dec 2025 + 60 = Sat 28 Feb 2026, an adjusted working day: no roll.
		{"AdjustedSaturday", at(t, "2025-12-30 10:00"), 60, "2026-02-28T23:59:59+08:00"},
		// 17 Dec 2025 + 60 = Sun 15 Feb 2026, Spring Festival → Tue 24 Feb.
		{"SpringFestival", at(t, "2025-12-17 10:00"), 60, "2026-02-24T23:59:59+08:00"},
		// 17:30 UTC on 3 Aug is 4 Aug in Shanghai; +60 = Fri 3 Oct → Thu 9 Oct.
		{"UTCNextDayInShanghai", time.Date(2025, 8, 3, 17, 30, 0, 0, time.UTC), 60, "2025-10-09T23:59:59+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rfc(cal.AddCalendarDaysRolled(tt.from, tt.n)); got != tt.want {
				t.Errorf("AddCalendarDaysRolled(%s, %d) = %s, want %s", rfc(tt.from), tt.n, got, tt.want)
			}
		})
	}
}

func TestWorkingDaysLeft(t *testing.T) {
	cal := calendartest.Calendar()
	tests := []struct {
		name     string
		now, due time.Time
		want     int
	}{
		{"DueToday", at(t, "2026-03-10 09:00"), at(t, "2026-03-10 23:59"), 0},
		{"DueTomorrow", at(t, "2026-03-10 23:00"), at(t, "2026-03-11 23:59"), 1},
		{"OverWeekend", at(t, "2026-03-13 09:00"), at(t, "2026-03-17 23:59"), 2},
		{"DueSundayFromFriday", at(t, "2026-03-13 09:00"), at(t, "2026-03-15 23:59"), 0},
		{"OverNationalDay", at(t, "2026-09-30 09:00"), at(t, "2026-10-09 23:59"), 2},
		{"OverdueOneDay", at(t, "2026-03-11 09:00"), at(t, "2026-03-10 23:59"), -1},
		{"OverdueWeekendStillNegative", at(t, "2026-03-14 09:00"), at(t, "2026-03-13 23:59"), -1},
		{"OverdueAcrossWeekend", at(t, "2026-03-17 09:00"), at(t, "2026-03-13 23:59"), -2},
		// due 16:00 UTC on 9 Oct is 10 Oct in Shanghai, an adjusted working day.
		{"DueInUTC", at(t, "2026-10-09 09:00"), time.Date(2026, 10, 9, 16, 0, 0, 0, time.UTC), 1},
		{"ZeroDue", at(t, "2026-10-09 09:00"), time.Time{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.WorkingDaysLeft(tt.now, tt.due); got != tt.want {
				t.Errorf("WorkingDaysLeft = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestDeadlines(t *testing.T) {
	cal := calendartest.Calendar()
	d := cal.Deadlines(at(t, "2026-09-29 10:00"))
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	// 30 working days: 30 Sep, 8–10 Oct, then 26 more → Mon 16 Nov.
	// 60 days: 28 Nov (Saturday) → Mon 30 Nov. 90 days: Mon 28 Dec.
	want := `{"precheck_due":"2026-10-09T23:59:59+08:00","review_due":"2026-10-09T23:59:59+08:00",` +
		`"production_due":"2026-10-09T23:59:59+08:00","pickup_due":"2026-11-16T23:59:59+08:00",` +
		`"legal_due":"2026-11-30T23:59:59+08:00","legal_due_max_extended":"2026-12-28T23:59:59+08:00",` +
		`"provisional":false,"provisional_years":[]}`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
	var back calendar.Deadlines
	if err := json.Unmarshal(b, &back); err != nil || !back.LegalDue.Equal(d.LegalDue) || !back.PickupDue.Equal(d.PickupDue) {
		t.Errorf("round trip: %v, %+v", err, back)
	}
	if z, _ := json.Marshal(calendar.Deadlines{}); string(z) != `{"precheck_due":null,"review_due":null,"production_due":null,"pickup_due":null,"legal_due":null,"legal_due_max_extended":null,"provisional":false,"provisional_years":[]}` {
		t.Errorf("zero JSON = %s", z)
	}
	// 90 days from 5 October reach Monday 4 January 2027: provisional.
	if p, _ := json.Marshal(cal.Deadlines(at(t, "2026-10-05 10:00"))); !strings.HasSuffix(string(p), `"provisional":true,"provisional_years":[2027]}`) {
		t.Errorf("a deadline into 2027 is not marked provisional: %s", p)
	}
	if got := rfc(cal.LegalDue(at(t, "2026-09-29 10:00"), 10)); got != "2026-12-08T23:59:59+08:00" {
		t.Errorf("LegalDue +10 = %s", got)
	}
	if calendar.PrecheckWorkingDays != 3 || calendar.PickupWorkingDays != 30 || calendar.LegalCalendarDays != 60 ||
		calendar.MaxExtensionDays != 30 || calendar.PickupReminderWorkingDays != 5 {
		t.Error("procedure constants changed")
	}
}

func TestFormat(t *testing.T) {
	v := time.Date(2026, 9, 30, 17, 30, 0, 0, time.UTC)
	if got := calendar.FormatTime(v); got != "2026-10-01T01:30:00+08:00" {
		t.Errorf("FormatTime = %s", got)
	}
	if got := calendar.FormatDate(v); got != "2026-10-01" {
		t.Errorf("FormatDate = %s", got)
	}
}
