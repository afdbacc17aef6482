package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
	"net/url"
)

// dashStages are the stages of the dashboard with their working days.
var dashStages = map[string]int{"submitted": 3, "accepted": 3, "issued": 3, "produced": 3, "ready_for_pickup": 0}

// TestDashboardMatchesCases compares the dashboard of the provincial and a
// prefecture supervisor with counts made here from the tables: cases by
// status, overdue cases, the stage exits of the last 30 days and how many
// were in time, and the submissions per day; a second render (finished
// days from the cache) shows the same.
func TestDashboardMatchesCases(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Persons: 400, Cases: 600})
	for _, sc := range []struct{ user, prefix string }{{"supervisor", "52"}, {"supervisor-5201", "5201"}} {
		t.Run(sc.user, func(t *testing.T) {
			c := webtest.StaffPages(t, env, sc.user)
			want := dashExpected(t, env, sc.prefix)
			for round := range 2 {
				st, body := c.Get("/staff/dashboard").Page()
				if st != http.StatusOK {
					t.Fatalf("round %d: status %d", round, st)
				}
				statuses := webtest.Cells(t, body, "data-status")
				var total int64
				for _, s := range domain.AllStatuses() {
					cells := statuses[string(s)]
					if len(cells) < 4 {
						t.Fatalf("no row for %s", s)
					}
					if got := webtest.CellNum(t, cells[1]); got != want.byStatus[string(s)] {
						t.Errorf("round %d: %s = %d, want %d", round, s, got, want.byStatus[string(s)])
					}
					if got := webtest.CellNum(t, cells[3]); got != want.overdue[string(s)] {
						t.Errorf("round %d: overdue %s = %d, want %d", round, s, got, want.overdue[string(s)])
					}
					total += want.byStatus[string(s)]
				}
				if total == 0 {
					t.Fatal("no cases in scope: the test proves nothing")
				}
				if !strings.Contains(body, `id="kpi-total">`+strconv.FormatInt(total, 10)+`<`) {
					t.Errorf("round %d: total KPI is not %d", round, total)
				}
				stages := webtest.Cells(t, body, "data-stage")
				for s := range dashStages {
					cells := stages[s]
					if len(cells) < 7 {
						t.Fatalf("no stage row for %s", s)
					}
					if got, w := webtest.CellNum(t, cells[4]), want.done[s]; got != w {
						t.Errorf("round %d: %s exits = %d, want %d", round, s, got, w)
					}
					if got, w := webtest.CellNum(t, cells[5]), want.onTime[s]; got != w {
						t.Errorf("round %d: %s in time = %d, want %d", round, s, got, w)
					}
				}
				var submitted int64
				for _, cells := range webtest.Cells(t, body, "data-day") {
					submitted += webtest.CellNum(t, cells[1])
				}
				if submitted != want.submitted {
					t.Errorf("round %d: trend submissions %d, want %d", round, submitted, want.submitted)
				}
				if !strings.Contains(body, `<script type="application/json" id="trend-data">`) {
					t.Error("no chart data block")
				}
			}
		})
	}
}

type dashWant struct {
	byStatus, overdue map[string]int64
	done, onTime      map[string]int64
	submitted         int64
}

// dashExpected counts what the dashboard must show, from the rows, with
// the rules the page states.
func dashExpected(t *testing.T, env *webtest.Env, prefix string) dashWant {
	t.Helper()
	ctx := context.Background()
	db := env.Store.DB().SQL()
	now := time.Now()
	w := dashWant{byStatus: map[string]int64{}, overdue: map[string]int64{}, done: map[string]int64{}, onTime: map[string]int64{}}
	rows, err := db.QueryContext(ctx, `SELECT status, stage_due_at, submitted_at FROM cases WHERE station_division LIKE ?`, prefix+"%")
	if err != nil {
		t.Fatal(err)
	}
	loc := calendar.Location()
	y, m, d := now.In(loc).Date()
	first := time.Date(y, m, d, 0, 0, 0, 0, loc).AddDate(0, 0, -29)
	for rows.Next() {
		var status string
		var due sql.NullTime
		var submitted time.Time
		if err := rows.Scan(&status, &due, &submitted); err != nil {
			t.Fatal(err)
		}
		w.byStatus[status]++
		if _, staged := dashStages[status]; staged && due.Valid && due.Time.Before(now) {
			w.overdue[status]++
		}
		if !submitted.Before(first) {
			w.submitted++
		}
	}
	rows.Close()
	cal := env.Service.Calendar()
	rows, err = db.QueryContext(ctx, `SELECT e.from_status, e.to_status, e.at, c.submitted_at, c.accepted_at, c.issued_at
		FROM case_events e JOIN cases c ON c.id = e.case_id
		WHERE c.station_division LIKE ? AND e.from_status IS NOT NULL`, prefix+"%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var from, to string
		var at, submitted time.Time
		var accepted, issued sql.NullTime
		if err := rows.Scan(&from, &to, &at, &submitted, &accepted, &issued); err != nil {
			t.Fatal(err)
		}
		n, staged := dashStages[from]
		if !staged || to == from || to == "cancelled" || at.Before(first) {
			continue
		}
		w.done[from]++
		start := map[string]sql.NullTime{"submitted": {Time: submitted, Valid: true}, "accepted": accepted, "issued": issued, "produced": issued}[from]
		switch {
		case from == "ready_for_pickup":
			if to == "collected" {
				w.onTime[from]++
			}
		// In time when the exit's Shanghai date is on or before the due
		// date (the page's rule): by date, so an exit in the last second
		// of the due day counts as in time.
		case start.Valid && calendar.FormatDate(at) <= calendar.FormatDate(cal.AddWorkingDays(start.Time, n)):
			w.onTime[from]++
		}
	}
	return w
}

// TestSupervisorPagesRefuseOthers: every other role gets the error page,
// with none of the data, for the dashboard, the export, the audit log and
// the chain check; a stranger is sent to sign in.
func TestSupervisorPagesRefuseOthers(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Cases: 40})
	for _, user := range []string{"station-520102", "county-520102", "production", "admin"} {
		t.Run(user, func(t *testing.T) {
			c := webtest.StaffPages(t, env, user)
			st, body := c.Get("/staff/dashboard").Page()
			webtest.Denied(t, st, body, "kpi-total", "by-status", "trend-data")
			st, body = c.Get("/staff/audit").Page()
			webtest.Denied(t, st, body, "audit-rows", "auth.staff_login")
			for _, p := range []string{"/staff/cases/export.csv", "/staff/cases/export.xlsx?status=submitted"} {
				resp := c.Get(p)
				webtest.Denied(t, resp.Status, resp.Text(), "办件编号,")
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("%s: content type %s", p, ct)
				}
			}
			st, body = c.Post("/staff/audit/verify", url.Values{}).Page()
			webtest.Denied(t, st, body, "verify-result")
		})
	}
	anon := webtest.NewClient(t, env.URL)
	for _, p := range []string{"/staff/dashboard", "/staff/audit", "/staff/cases/export.csv"} {
		if r := anon.Get(p); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/staff/login") {
			t.Errorf("%s without signing in: %d %s", p, r.Status, r.Location())
		}
	}
}
