package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// TestCalendarImportMovesOpenCases: a case submitted at the end of 2026 is
// due in 2027, whose notice is not in the calendar, so its due times follow
// the statutory fallback and are provisional; importing a 2027 notice
// moves them in the same transaction, audited, and leaves closed cases
// alone.
func TestCalendarImportMovesOpenCases(t *testing.T) {
	f := newFixture(t)
	f.clk.Set(at(2026, 12, 29, 10)) // Tuesday
	open := f.newCase(caseSpec{})
	closed := f.newCase(caseSpec{})
	_, err := f.svc.Cancel(f.ctx, closed.applicant, closed.no)
	mustOK(t, err)

	v, err := f.svc.Case(f.ctx, open.applicant, open.no)
	mustOK(t, err)
	// 30, 31 December; 1 January 2027 off by statute; Monday 4 January.
	// 60 days: Saturday 27 February → Monday 1 March.
	if str(v.StageDueAt) != "2027-01-04T23:59:59+08:00" || v.LegalDueAt != "2027-03-01T23:59:59+08:00" {
		t.Fatalf("before the notice: stage due %s, legal due %s", str(v.StageDueAt), v.LegalDueAt)
	}
	if !slices.Equal(v.ProvisionalDues, []string{"stage_due_at", "legal_due_at"}) {
		t.Fatalf("provisional dues = %v", v.ProvisionalDues)
	}
	before := f.caseRow(open.no).Version
	closedBefore := f.caseRow(closed.no)

	// A (made-up) notice: 4 January bridged, Saturday 27 February worked.
	notice := "date,working,note\n2027-01-01,0,元旦\n2027-01-04,0,元旦\n2027-02-27,1,调休上班\n"
	res, err := f.svc.AdminImportCalendar(f.ctx, f.staff("admin"), 2027, strings.NewReader(notice))
	mustOK(t, err)
	if !slices.Equal(res.MovedCases, []string{open.no}) || res.Days != 3 || !slices.Equal(res.Years, []int{2027}) {
		t.Fatalf("import = %+v", res)
	}

	v, err = f.svc.Case(f.ctx, open.applicant, open.no)
	mustOK(t, err)
	if str(v.StageDueAt) != "2027-01-05T23:59:59+08:00" || v.LegalDueAt != "2027-02-27T23:59:59+08:00" {
		t.Errorf("after the notice: stage due %s, legal due %s", str(v.StageDueAt), v.LegalDueAt)
	}
	if len(v.ProvisionalDues) != 0 {
		t.Errorf("still provisional: %v", v.ProvisionalDues)
	}
	row := f.caseRow(open.no)
	if row.Version != before+1 || date(row.StageDueAt) != "2027-01-05" {
		t.Errorf("stored: version %d (was %d), stage due %s", row.Version, before, date(row.StageDueAt))
	}
	if got := f.caseRow(closed.no); got.Version != closedBefore.Version || !got.LegalDueAt.Equal(closedBefore.LegalDueAt) {
		t.Errorf("a closed case was rewritten: %+v", got)
	}
	q := f.st.Q(f.ctx)
	es, err := q.AuditEntries(store.AuditFilter{Action: "case.recompute_due", ObjectID: open.no})
	mustOK(t, err)
	if len(es) != 1 || !strings.Contains(es[0].Detail, `"to":"2027-01-05T23:59:59+08:00"`) || es[0].ActorName != f.staff("admin").Name {
		t.Errorf("recompute audit = %+v", es)
	}
	if es, _ := q.AuditEntries(store.AuditFilter{Action: "case.recompute_due", ObjectID: closed.no}); len(es) != 0 {
		t.Errorf("a closed case was audited as moved: %+v", es)
	}
	if es, _ := q.AuditEntries(store.AuditFilter{Action: "calendar.import", ObjectID: "2027"}); len(es) != 1 {
		t.Errorf("%d calendar.import entries", len(es))
	}

	// A form opened before the import is stale now.
	_, err = f.svc.Precheck(f.ctx, open.station, open.no, service.Decision{Approve: true, Version: &before})
	wantCode(t, err, domain.CodeVersionConflict)
	// The next stage counts with the notice: accepted on 31 December, the
	// review runs 4 January off → 5, 6, 7 January.
	f.clk.Set(at(2026, 12, 31, 9))
	v, err = f.svc.Precheck(f.ctx, open.station, open.no, service.Decision{Approve: true})
	mustOK(t, err)
	if str(v.StageDueAt) != "2027-01-07T23:59:59+08:00" {
		t.Errorf("review due %s", str(v.StageDueAt))
	}
	if !f.svc.Calendar().IsWorkingDay(at(2027, 2, 27, 10)) || f.svc.Calendar().Provisional(2027) {
		t.Error("the service does not count with the imported notice")
	}
	if years := f.svc.ProvisionalYears(); slices.Contains(years, 2027) {
		t.Errorf("provisional years = %v", years)
	}
}
