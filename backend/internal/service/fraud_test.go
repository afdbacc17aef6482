package service_test

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// TestFraudPanelRebound: moving a person to another account stores when it
// happened (applicants.rebound_at, cleared on the account it left), and the
// review of that person's next case is flagged from that column; an account
// bound as long ago without a move is not.
func TestFraudPanelRebound(t *testing.T) {
	f := newFixture(t)
	month := func(n int) { f.clk.Set(baseTime.AddDate(0, n, 0)) }
	defer f.clk.Set(baseTime)

	month(-3)
	moved := f.newPerson(personSpec{})
	_, first := f.newApplicant(applicantSpec{personID: &moved.ID})
	stay := f.newPerson(personSpec{})
	stayer, _ := f.newApplicant(applicantSpec{personID: &stay.ID})
	month(-2)
	taker, _ := f.newApplicant(applicantSpec{})
	if _, err := f.svc.BindIdentity(f.ctx, taker, moved.Name, moved.IDNumber, f.proof()); err != nil {
		t.Fatal(err)
	}
	q := f.st.Q(f.ctx)
	left, err := q.Applicant(first.ID)
	mustOK(t, err)
	if left.PersonID != nil || left.ReboundAt != nil {
		t.Fatalf("account left behind: person %v, rebound_at %v", left.PersonID, left.ReboundAt)
	}
	took, err := q.Applicant(taker.ID)
	mustOK(t, err)
	if took.ReboundAt == nil || !took.ReboundAt.Equal(f.clk.Now()) {
		t.Fatalf("rebound_at %v, want %v", took.ReboundAt, f.clk.Now())
	}

	month(0)
	flags := func(ap service.Actor, p store.Person) []domain.FraudFlag {
		t.Helper()
		v, err := f.svc.Submit(f.ctx, ap, f.submitInput(caseSpec{station: homeCounty, kind: domain.KindDamageRenewal}), "")
		mustOK(t, err)
		tc := &tcase{no: v.No, spec: caseSpec{station: homeCounty, household: homeCounty}, person: p, applicant: ap,
			station: f.staff("station-" + homeCounty), county: f.staff("county-" + homeCounty)}
		f.drive(tc, domain.StatusAccepted)
		fp, err := f.svc.FraudCheck(f.ctx, tc.county, v.No)
		mustOK(t, err)
		return fp.Flags
	}
	got := flags(taker, moved)
	if len(got) != 1 || got[0].Code != domain.FlagRebound || !got[0].Severe {
		t.Fatalf("flags of the moved person's case: %+v", got)
	}
	if got := flags(stayer, stay); len(got) != 0 {
		t.Fatalf("flags of a case without a move: %+v", got)
	}
}
