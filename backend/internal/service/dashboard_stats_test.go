package service_test

import (
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// TestDashboardOnTimeFollowsTheCalendar drives cases through pre-check and
// review around the Qingming holiday of 2026 (Saturday 4 to Monday 6
// April off) and checks the dashboard's counts, overdue cases and on-time
// rates against the dates worked out by hand.
func TestDashboardOnTimeFollowsTheCalendar(t *testing.T) {
	f := newFixture(t)
	at := func(day, hour int) time.Time { return time.Date(2026, 4, day, hour, 0, 0, 0, calendar.Location()) }
	// Submitted Thursday 2 April: pre-check is due at the end of Wednesday
	// 8 April (Fri 3, Tue 7, Wed 8); accepted the same day, review too.
	f.clk.Set(at(2, 10))
	quick, slow, late := f.newCase(caseSpec{}), f.newCase(caseSpec{}), f.newCase(caseSpec{})
	f.newCase(caseSpec{}) // never pre-checked
	cancelled := f.newCase(caseSpec{})
	other := f.newCase(caseSpec{household: "520302", station: "520302"})
	f.clk.Set(at(2, 11))
	for _, tc := range []*tcase{quick, slow, other} {
		f.drive(tc, domain.StatusAccepted)
	}
	_, err := f.perform(cancelled, domain.ActionCancel)
	mustOK(t, err)
	f.clk.Set(at(8, 17)) // the last day of review: in time
	f.drive(quick, domain.StatusIssued)
	f.clk.Set(at(9, 9)) // a day late for pre-check and for review
	f.drive(late, domain.StatusAccepted)
	f.drive(slow, domain.StatusIssued)
	f.clk.Set(at(10, 12))

	d, err := f.svc.Dashboard(f.ctx, f.staff("supervisor"))
	mustOK(t, err)
	status := map[string]int64{}
	for _, s := range d.Statuses {
		status[s.Status] = s.N
	}
	want := map[string]int64{"submitted": 1, "accepted": 2, "issued": 2, "cancelled": 1}
	for s, n := range want {
		if status[s] != n {
			t.Errorf("%s: %d cases, want %d", s, status[s], n)
		}
	}
	if d.Total != 6 || d.Open != 5 {
		t.Errorf("total %d open %d, want 6 and 5", d.Total, d.Open)
	}
	// Overdue: the case never pre-checked, and the other prefecture's case
	// accepted on 2 April and not reviewed by 8 April.
	stage := func(d service.Dashboard, s domain.Status) service.StageStat {
		for _, st := range d.Stages {
			if st.Status == string(s) {
				return st
			}
		}
		t.Fatalf("no stage %s", s)
		return service.StageStat{}
	}
	if d.Overdue != 2 || stage(d, domain.StatusSubmitted).Overdue != 1 || stage(d, domain.StatusAccepted).Overdue != 1 {
		t.Errorf("overdue %d (submitted %d, accepted %d), want 2 (1, 1)", d.Overdue,
			stage(d, domain.StatusSubmitted).Overdue, stage(d, domain.StatusAccepted).Overdue)
	}
	for _, c := range []struct {
		s            domain.Status
		done, onTime int64
	}{{domain.StatusSubmitted, 4, 3}, {domain.StatusAccepted, 2, 1}, {domain.StatusIssued, 0, 0}} {
		st := stage(d, c.s)
		if st.Done != c.done || st.OnTime != c.onTime {
			t.Errorf("%s: %d exits, %d in time; want %d, %d", c.s, st.Done, st.OnTime, c.done, c.onTime)
		}
	}
	if len(d.Stations) != 2 || d.Stations[0].Overdue != 1 {
		t.Errorf("stations %+v", d.Stations)
	}
	if len(d.Trend) != service.DashboardDays || d.Period.Submitted != 6 || d.Period.Finished != 1 {
		t.Errorf("trend of %d days, %d submitted, %d finished", len(d.Trend), d.Period.Submitted, d.Period.Finished)
	}
	for _, td := range d.Trend {
		if td.Day == "2026-04-02" && (td.Submitted != 6 || td.Refused != 1) {
			t.Errorf("2 April: %+v", td)
		}
	}

	p, err := f.svc.Dashboard(f.ctx, f.staff("supervisor-5201"))
	mustOK(t, err)
	if p.Total != 5 || p.Overdue != 1 || stage(p, domain.StatusSubmitted).Done != 3 || stage(p, domain.StatusSubmitted).OnTime != 2 {
		t.Errorf("prefecture: total %d overdue %d pre-check %+v", p.Total, p.Overdue, stage(p, domain.StatusSubmitted))
	}
	if p.ScopeName != "贵阳市" || d.ScopeName != "贵州省" {
		t.Errorf("scope names %q %q", p.ScopeName, d.ScopeName)
	}
	for _, u := range []string{"station-520102", "county-520102", "production", "admin"} {
		_, err := f.svc.Dashboard(f.ctx, f.staff(u))
		wantCode(t, err, domain.CodeForbidden)
		_, err = f.svc.AuditLog(f.ctx, f.staff(u), service.AuditQuery{})
		wantCode(t, err, domain.CodeForbidden)
		_, err = f.svc.PrepareCaseExport(f.ctx, f.staff(u), service.CaseQuery{}, "csv")
		wantCode(t, err, domain.CodeForbidden)
	}
}
