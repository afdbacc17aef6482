package calendar_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/calendar"
)

// TestStatutoryDaysAgreeWithTheNotices checks the lunar library's dates
// (除夕, 清明, 端午, 中秋) and the make-up rule against the State Council
// notices of 2025 and 2026 in the calendar migration: every day the
// fallback gives off is off in the notice, under a note that names the same
// holiday. The notices also bridge days and move weekends, which the
// fallback does not, so only this inclusion must hold.
func TestStatutoryDaysAgreeWithTheNotices(t *testing.T) {
	notice := map[string]calendar.Day{}
	for _, d := range migrationDays(t) {
		notice[d.Date] = d
	}
	for _, year := range []int{2025, 2026} {
		days := calendar.StatutoryDays(year)
		holidays := 0
		for _, d := range days {
			if d.Working || !strings.HasPrefix(d.Date, fmt.Sprint(year)+"-") {
				t.Errorf("%d: unexpected fallback day %+v", year, d)
			}
			n, ok := notice[d.Date]
			if !ok || n.Working {
				t.Errorf("%s (%s) is off by statute but not in the %d notice", d.Date, d.Note, year)
				continue
			}
			for _, name := range strings.Split(strings.TrimSuffix(d.Note, "补假"), "、") {
				if !strings.Contains(n.Note, name) {
					t.Errorf("%s: fallback says %s, the notice %s", d.Date, d.Note, n.Note)
				}
			}
			if !strings.HasSuffix(d.Note, "补假") {
				holidays++
			}
		}
		if holidays != 13 {
			t.Errorf("%d: %d statutory holiday days, want 13 (art. 2)", year, holidays)
		}
	}
}

// TestStatutoryDays2027 pins the fallback for the first year without a
// notice, worked out by hand: 除夕 is Friday 5 February, 清明 Monday 5
// April, 端午 Wednesday 9 June, 中秋 Wednesday 15 September; each holiday
// day on a weekend is made up on the next working day (art. 6).
func TestStatutoryDays2027(t *testing.T) {
	want := []calendar.Day{
		{Date: "2027-01-01", Note: "元旦"},
		{Date: "2027-02-05", Note: "春节"}, {Date: "2027-02-06", Note: "春节"},
		{Date: "2027-02-07", Note: "春节"}, {Date: "2027-02-08", Note: "春节"},
		{Date: "2027-02-09", Note: "春节补假"}, {Date: "2027-02-10", Note: "春节补假"},
		{Date: "2027-04-05", Note: "清明节"},
		{Date: "2027-05-01", Note: "劳动节"}, {Date: "2027-05-02", Note: "劳动节"},
		{Date: "2027-05-03", Note: "劳动节补假"}, {Date: "2027-05-04", Note: "劳动节补假"},
		{Date: "2027-06-09", Note: "端午节"},
		{Date: "2027-09-15", Note: "中秋节"},
		{Date: "2027-10-01", Note: "国庆节"}, {Date: "2027-10-02", Note: "国庆节"}, {Date: "2027-10-03", Note: "国庆节"},
		{Date: "2027-10-04", Note: "国庆节补假"}, {Date: "2027-10-05", Note: "国庆节补假"},
	}
	if got := calendar.StatutoryDays(2027); !reflect.DeepEqual(got, want) {
		t.Errorf("StatutoryDays(2027):\n got %v\nwant %v", got, want)
	}
}

// TestStatutoryDaysEdgeCases: a holiday sharing a day with another is one
// day off, not two; years outside the library's range have none.
func TestStatutoryDaysEdgeCases(t *testing.T) {
	// 2020: 中秋节 on Thursday 1 October; 3 October a Saturday → Monday 5th.
	got := map[string]string{}
	for _, d := range calendar.StatutoryDays(2020) {
		got[d.Date] = d.Note
	}
	if got["2020-10-01"] != "中秋节、国庆节" || got["2020-10-05"] != "国庆节补假" {
		t.Errorf("2020: %v", got)
	}
	if d := calendar.StatutoryDays(1900); d != nil {
		t.Errorf("1900: %v", d)
	}
}

// TestProvisionalYears: a deadline counted into a year without a notice is
// provisional, and 1 January 2027 is not counted as a working day.
func TestProvisionalYears(t *testing.T) {
	cal := calendar.New(migrationDays(t), nil)
	if cal.Provisional(2026) || !cal.Provisional(2027) {
		t.Fatal("2026 has a notice, 2027 not")
	}
	from := at(t, "2026-12-31 10:00")
	d := cal.Deadlines(from)
	if s := calendar.FormatTime(d.PrecheckDue); s != "2027-01-06T23:59:59+08:00" {
		t.Errorf("precheck due = %s, want 2027-01-06 (1 January off, then a weekend)", s)
	}
	if got := cal.ProvisionalYears(from, d.PrecheckDue); !reflect.DeepEqual(got, []int{2027}) {
		t.Errorf("ProvisionalYears = %v", got)
	}
	if !reflect.DeepEqual(d.ProvisionalYears, []int{2027}) {
		t.Errorf("Deadlines.ProvisionalYears = %v", d.ProvisionalYears)
	}
	// Counted within 2026 only: not provisional.
	early := at(t, "2026-03-02 10:00")
	if d := cal.Deadlines(early); len(d.ProvisionalYears) != 0 {
		t.Errorf("a March 2026 event touches %v", d.ProvisionalYears)
	}
	// The event's own day is not counted: 31 December to 31 December is empty.
	if got := cal.ProvisionalYears(at(t, "2027-12-31 09:00"), at(t, "2027-12-31 18:00")); len(got) != 0 {
		t.Errorf("an empty span touches %v", got)
	}
	if got := cal.ProvisionalYears(at(t, "2026-12-30 09:00"), at(t, "2028-01-03 18:00")); !reflect.DeepEqual(got, []int{2027, 2028}) {
		t.Errorf("a span over two years touches %v", got)
	}
}
