package demo

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// seedNow is the pinned "now" of the seeding tests: a Tuesday afternoon.
var seedNow = time.Date(2026, 11, 24, 15, 0, 0, 0, calendar.Location())

func openSeeded(t *testing.T, persons int) (*store.DB, *store.Store, *calendar.Calendar) {
	t.Helper()
	ctx := context.Background()
	db, st := storetest.OpenStore(t)
	if _, err := Load(ctx, st, Options{Demo: true, DemoPassword: "demo1234", Persons: persons, Today: seedNow, Location: calendar.Location()}); err != nil {
		t.Fatal(err)
	}
	cal, err := service.LoadCalendar(ctx, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return db, st, cal
}

// TestCasesSeedTwiceSpread seeds cases twice into one database (the
// second run must not abort on a case number the first one drew) and
// checks how they spread: submissions evenly over the past 12 months,
// open cases recent, none in the future, staff steps in office hours.
func TestCasesSeedTwiceSpread(t *testing.T) {
	db, st, cal := openSeeded(t, 300)
	ctx := context.Background()
	for run := range 2 {
		n, err := Cases(ctx, st, cal, 1500, seedNow)
		if err != nil || n != 1500 {
			t.Fatalf("run %d: %d cases, %v", run+1, n, err)
		}
	}
	rows, err := db.SQL().QueryContext(ctx, "SELECT no, status, submitted_at FROM cases")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	months, seen := map[string]int{}, map[string]bool{}
	total, openOld, lastMonth := 0, 0, 0
	for rows.Next() {
		var no, status string
		var at time.Time
		if err := rows.Scan(&no, &status, &at); err != nil {
			t.Fatal(err)
		}
		total++
		if seen[no] {
			t.Fatalf("case number %s twice", no)
		}
		seen[no] = true
		if at.After(seedNow) || at.Before(seedNow.AddDate(-1, 0, 0)) {
			t.Errorf("case %s (%s) submitted at %s, outside the past 12 months", no, status, at)
		}
		if no[2:8] != at.In(calendar.Location()).Format("060102") {
			t.Errorf("case %s submitted on %s", no, at.In(calendar.Location()).Format(time.DateOnly))
		}
		if at.After(seedNow.AddDate(0, 0, -recentDays)) {
			lastMonth++
		}
		s := domain.Status(status)
		if s.IsFinal() {
			months[at.In(calendar.Location()).Format("2006-01")]++
		} else if s != domain.StatusUncollected && at.Before(seedNow.AddDate(0, 0, -30)) {
			openOld++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if total != 3000 {
		t.Fatalf("%d cases in the database, want 3000", total)
	}
	if len(months) < 12 {
		t.Errorf("finished cases fall in %d months, want the 12 (or 13 partial) of the past year: %v", len(months), months)
	}
	for m, k := range months {
		if k > total/4 {
			t.Errorf("%d finished cases in %s alone: %v", k, m, months)
		}
	}
	// The last month holds about a twelfth of the cases, open ones included,
	// not a pile of every open case on top of its share.
	if lastMonth > total/6 {
		t.Errorf("%d of %d cases were submitted in the last %d days", lastMonth, total, recentDays)
	}
	if openOld > 0 {
		t.Errorf("%d open cases were submitted more than 30 days ago", openOld)
	}

	// Pre-checks and reviews happen on working days in office hours.
	evs, err := db.SQL().QueryContext(ctx, "SELECT at FROM case_events WHERE action IN ('precheck_approve', 'review_approve', 'produce')")
	if err != nil {
		t.Fatal(err)
	}
	defer evs.Close()
	for evs.Next() {
		var at time.Time
		if err := evs.Scan(&at); err != nil {
			t.Fatal(err)
		}
		l := at.In(calendar.Location())
		if !cal.IsWorkingDay(l) || l.Hour() < 9 || l.Hour() >= 17 {
			t.Fatalf("a staff step at %s, outside office hours", l.Format(time.DateTime))
		}
	}
}

// TestUniqueNosDrawsAgain: numbers already in the database or twice in a
// batch are drawn again, and a number drawn again is checked again too.
func TestUniqueNosDrawsAgain(t *testing.T) {
	db, st, cal := openSeeded(t, 50)
	ctx := context.Background()
	if _, err := Cases(ctx, st, cal, 3, seedNow); err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL().QueryContext(ctx, "SELECT no FROM cases ORDER BY no")
	if err != nil {
		t.Fatal(err)
	}
	var existing []string
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			t.Fatal(err)
		}
		existing = append(existing, no)
	}
	rows.Close()
	if len(existing) != 3 {
		t.Fatalf("%d seeded cases", len(existing))
	}
	// The batch starts with a taken number, a fresh one twice and another
	// taken one; the first draws give taken numbers again.
	fresh := domain.CaseNo(seedNow, 999999)
	cs := []store.Case{{No: existing[0]}, {No: fresh}, {No: fresh}, {No: existing[1]}}
	draws := []string{existing[2], fresh, existing[0]}
	next := 1
	draw := func(time.Time) string {
		if len(draws) > 0 {
			no := draws[0]
			draws = draws[1:]
			return no
		}
		next++
		return domain.CaseNo(seedNow, next)
	}
	if err := st.Tx(ctx, func(q *store.Q) error { return uniqueNos(q, cs, draw, map[string]bool{}) }); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, no := range existing {
		seen[no] = true
	}
	for _, c := range cs {
		if seen[c.No] {
			t.Fatalf("number %s given twice: %v", c.No, cs)
		}
		seen[c.No] = true
	}
	if len(draws) != 0 {
		t.Fatalf("the taken numbers drawn again were not all rejected: %v left", draws)
	}

	// A day with no free number fails with an error instead of looping.
	full := func(time.Time) string { return existing[0] }
	err = st.Tx(ctx, func(q *store.Q) error { return uniqueNos(q, []store.Case{{No: existing[0]}}, full, map[string]bool{}) })
	if err == nil {
		t.Fatal("no error when every draw is taken")
	}
}
