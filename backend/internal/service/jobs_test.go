package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// TestJobs covers the background jobs: closing pickup windows, pickup
// reminders and the daily overdue digest.
func TestJobs(t *testing.T) {
	t.Parallel()
	t.Run("ClosePickupWindows", func(t *testing.T) {
		f := newFixture(t)
		early := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
		f.clk.Set(baseTime.AddDate(0, 0, 21)) // accepted three weeks later: a later window
		late := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
		due := *f.caseRow(early.no).PickupDueAt
		if !f.caseRow(late.no).PickupDueAt.After(due.Add(24 * time.Hour)) {
			t.Fatal("the two windows should end on different days")
		}

		f.clk.Set(due.Add(-time.Minute))
		n, err := f.svc.ClosePickupWindows(f.ctx)
		mustOK(t, err)
		if n != 0 || f.caseRow(early.no).Status != string(domain.StatusReadyForPickup) {
			t.Fatalf("closed %d windows before the end", n)
		}

		f.clk.Set(due.Add(time.Minute))
		n, err = f.svc.ClosePickupWindows(f.ctx)
		mustOK(t, err)
		if n != 1 {
			t.Fatalf("closed %d windows, want 1", n)
		}
		c := f.caseRow(early.no)
		if c.Status != string(domain.StatusUncollected) || c.StageDueAt != nil || c.ActivePersonID == nil {
			t.Fatalf("after closing: %s, stage due %v, active %v", c.Status, c.StageDueAt, c.ActivePersonID)
		}
		if f.caseRow(late.no).Status != string(domain.StatusReadyForPickup) {
			t.Fatal("a window that is still open was closed")
		}
		if k := f.count("SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'close_pickup' AND actor_kind = 'system'", c.ID); k != 1 {
			t.Fatalf("%d close events by the system", k)
		}
		if k := f.count("SELECT COUNT(*) FROM outbox WHERE case_id = ? AND template = 'close_pickup'", c.ID); k != 2 {
			t.Fatalf("%d close notifications, want in-app and SMS", k)
		}
		n, err = f.svc.ClosePickupWindows(f.ctx)
		mustOK(t, err)
		if n != 0 {
			t.Fatalf("second run closed %d", n)
		}
		// The card can still be handed over once a supervisor re-opens.
		_, err = f.svc.IssuePickupToken(f.ctx, early.applicant, early.no)
		wantCode(t, err, domain.CodeNotReadyForPickup)
		_, err = f.svc.ReopenPickup(f.ctx, f.supervisorOver(early), early.no, "", nil)
		mustOK(t, err)
		_, err = f.svc.Handover(f.ctx, early.station, f.token(early), true)
		mustOK(t, err)
	})

	t.Run("SendPickupReminders", func(t *testing.T) {
		f := newFixture(t)
		tc := f.caseAt(caseSpec{wechat: true}, domain.StatusReadyForPickup)
		c := f.caseRow(tc.no)
		due := *c.PickupDueAt
		// The first day with 5 working days left, and the one before it.
		day := time.Date(2026, 3, 2, 9, 0, 0, 0, due.Location())
		for f.cal.WorkingDaysLeft(day, due) > 5 {
			day = day.AddDate(0, 0, 1)
		}
		f.clk.Set(day.AddDate(0, 0, -1))
		if f.cal.WorkingDaysLeft(f.clk.Now(), due) <= 5 {
			t.Fatal("test set-up: the day before should have more than 5 working days left")
		}
		n, err := f.svc.SendPickupReminders(f.ctx)
		mustOK(t, err)
		if n != 0 {
			t.Fatalf("reminded %d with more than 5 working days left", n)
		}
		f.clk.Set(day)
		n, err = f.svc.SendPickupReminders(f.ctx)
		mustOK(t, err)
		if n != 1 {
			t.Fatalf("reminded %d, want 1", n)
		}
		if k := f.count("SELECT COUNT(*) FROM outbox WHERE case_id = ? AND template = 'pickup_reminder'", c.ID); k != 3 {
			t.Fatalf("%d reminder messages, want in-app, WeChat and SMS", k)
		}
		for range 2 {
			f.clk.Advance(24 * time.Hour)
			n, err = f.svc.SendPickupReminders(f.ctx)
			mustOK(t, err)
			if n != 0 {
				t.Fatalf("reminded again: %d", n)
			}
		}
		if k := f.count("SELECT COUNT(*) FROM outbox WHERE case_id = ? AND template = 'pickup_reminder'", c.ID); k != 3 {
			t.Fatalf("%d reminder messages after the reruns", k)
		}
		// A collected card is not reminded of.
		other := f.caseAt(caseSpec{}, domain.StatusCollected)
		n, err = f.svc.SendPickupReminders(f.ctx)
		mustOK(t, err)
		if k := f.count("SELECT COUNT(*) FROM outbox WHERE case_id = ? AND template = 'pickup_reminder'", f.caseRow(other.no).ID); n != 0 || k != 0 {
			t.Fatalf("reminded a collected case: %d, %d", n, k)
		}
	})

	t.Run("DailyDigest", func(t *testing.T) {
		f := newFixture(t)
		tc := f.newCase(caseSpec{}) // pre-check due Thursday 5 March, 23:59:59
		// A nightly run, an hour after the due time passed.
		f.clk.Set(time.Date(2026, 3, 6, 1, 0, 0, 0, baseTime.Location()))
		n, err := f.svc.DailyDigest(f.ctx)
		mustOK(t, err)
		// supervisor-5201 (the prefecture) and supervisor (the province).
		if n != 2 {
			t.Fatalf("digest to %d supervisors, want 2", n)
		}
		rows := f.rawRows("outbox")
		var to []string
		for _, r := range rows {
			if r["template"] == "overdue_digest" {
				to = append(to, r["recipient_id"])
				if r["recipient_kind"] != service.ActorStaff || !strings.Contains(r["payload"], "1件") {
					t.Fatalf("digest row %v", r)
				}
			}
		}
		want := map[string]bool{}
		for _, u := range []string{"supervisor-5201", "supervisor"} {
			want[itoa(f.staff(u).ID)] = true
		}
		if len(to) != 2 || !want[to[0]] || !want[to[1]] {
			t.Fatalf("digest went to %v, want %v", to, want)
		}
		// Once a day, whichever instance asks.
		other := f.serviceOn(f.db)
		f.clk.Set(time.Date(2026, 3, 6, 23, 0, 0, 0, baseTime.Location()))
		for _, svc := range []*service.Service{f.svc, other} {
			n, err = svc.DailyDigest(f.ctx)
			mustOK(t, err)
			if n != 0 {
				t.Fatalf("second digest the same day: %d", n)
			}
		}
		f.clk.Set(time.Date(2026, 3, 7, 8, 0, 0, 0, baseTime.Location()))
		n, err = other.DailyDigest(f.ctx)
		mustOK(t, err)
		if n != 2 {
			t.Fatalf("next day's digest to %d supervisors, want 2", n)
		}
		// Nothing overdue once the station acts: no digest the day after.
		_, err = f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true})
		mustOK(t, err)
		f.clk.Set(time.Date(2026, 3, 8, 8, 0, 0, 0, baseTime.Location()))
		n, err = f.svc.DailyDigest(f.ctx)
		mustOK(t, err)
		if n != 0 {
			t.Fatalf("digest with nothing overdue: %d", n)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
