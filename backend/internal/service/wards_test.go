package service_test

import (
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// guardianOf makes a guardian with an account, and the registry's record
// that the guardian is the father of child.
func (f *fixture) guardianOf(child store.Person) (service.Actor, store.Person) {
	f.t.Helper()
	g := f.newPerson(personSpec{county: child.HouseholdDivision})
	ap, _ := f.newApplicant(applicantSpec{personID: &g.ID})
	err := f.st.Tx(f.ctx, func(q *store.Q) error {
		return q.InsertGuardianshipsIfMissing([]store.Guardianship{{GuardianPersonID: g.ID, WardPersonID: child.ID, Relation: "father"}})
	})
	mustOK(f.t, err)
	return ap, g
}

// TestAddWard: the registry's guardianship and the child's age decide.
func TestAddWard(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	child := f.newPerson(personSpec{birth: time.Date(2014, 5, 1, 0, 0, 0, 0, time.UTC)})
	teen := f.newPerson(personSpec{birth: time.Date(2010, 3, 1, 0, 0, 0, 0, time.UTC)}) // 16 on 2026-03-01
	father, _ := f.guardianOf(child)
	err := f.st.Tx(f.ctx, func(q *store.Q) error {
		g, _ := q.Applicant(father.ID)
		return q.InsertGuardianshipsIfMissing([]store.Guardianship{{GuardianPersonID: *g.PersonID, WardPersonID: teen.ID, Relation: "father"}})
	})
	mustOK(t, err)
	stranger, _ := f.newApplicant(applicantSpec{personID: ptrTo(f.newPerson(personSpec{}).ID)})
	unbound, _ := f.newApplicant(applicantSpec{})

	t.Run("ErrNotGuardian", func(t *testing.T) {
		_, err := f.svc.AddWard(f.ctx, stranger, child.Name, child.IDNumber)
		wantCode(t, err, domain.CodeNotGuardian)
	})
	t.Run("ErrIdentityMismatch", func(t *testing.T) {
		_, err := f.svc.AddWard(f.ctx, father, "别人", child.IDNumber)
		wantCode(t, err, domain.CodeIdentityMismatch)
	})
	t.Run("ErrWardTooOld", func(t *testing.T) {
		_, err := f.svc.AddWard(f.ctx, father, teen.Name, teen.IDNumber)
		wantCode(t, err, domain.CodeWardTooOld)
	})
	t.Run("ErrNotBound", func(t *testing.T) {
		_, err := f.svc.AddWard(f.ctx, unbound, child.Name, child.IDNumber)
		wantCode(t, err, domain.CodeNotBound)
	})
	t.Run("OK", func(t *testing.T) {
		w, err := f.svc.AddWard(f.ctx, father, child.Name, child.IDNumber)
		mustOK(t, err)
		if w.Relation != "father" || w.Person.Name != child.Name || w.Person.IDNumberMasked == child.IDNumber {
			t.Fatalf("ward %+v", w)
		}
		ws, err := f.svc.Wards(f.ctx, father)
		mustOK(t, err)
		if len(ws) != 1 || ws[0].ID != w.ID {
			t.Fatalf("wards %+v", ws)
		}
		if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'ward.bind'"); n == 0 {
			t.Fatal("binding a ward was not audited")
		}
	})
}

// TestSubmitForWard: the case is the child's — the child's person, fees,
// household county and deadlines — names the guardian, and another
// account cannot use the ward.
func TestSubmitForWard(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	child := f.newPerson(personSpec{county: otherCounty, birth: time.Date(2014, 5, 1, 0, 0, 0, 0, time.UTC)})
	father, dad := f.guardianOf(child)
	w, err := f.svc.AddWard(f.ctx, father, child.Name, child.IDNumber)
	mustOK(t, err)
	in := f.submitInput(caseSpec{station: homeCounty, kind: domain.KindLossReplacement})
	in.WardID = &w.ID
	v, err := f.svc.Submit(f.ctx, father, in, "")
	mustOK(t, err)
	c := f.caseRow(v.No)
	if c.PersonID != child.ID || c.GuardianPersonID == nil || *c.GuardianPersonID != dad.ID || c.HouseholdDivision != otherCounty {
		t.Fatalf("case person %d guardian %v household %s", c.PersonID, c.GuardianPersonID, c.HouseholdDivision)
	}
	if v.ForPerson == nil || v.ForPerson.Name != child.Name || v.FeeYuan != 40 {
		t.Fatalf("for_person %+v fee %d", v.ForPerson, v.FeeYuan)
	}
	page, err := f.svc.StaffCasePage(f.ctx, f.staff("station-"+homeCounty), v.No, false)
	mustOK(t, err)
	if page.Guardian == nil || page.Guardian.Name != dad.Name || page.Guardian.RelationLabel != "父亲" || page.Person.Name != child.Name {
		t.Fatalf("staff page guardian %+v person %s", page.Guardian, page.Person.Name)
	}
	// The child's review is by the child's household county; validity by the child's age.
	tc := &tcase{no: v.No, spec: caseSpec{station: homeCounty, household: otherCounty}, applicant: father,
		station: f.staff("station-" + homeCounty), county: f.staff("county-" + otherCounty)}
	f.drive(tc, domain.StatusIssued)
	if c := f.caseRow(v.No); c.NewCardExpiresOn == nil || c.NewCardExpiresOn.Year() != baseTime.Year()+5 {
		t.Fatalf("a child's new card expires %v, want in 5 years", c.NewCardExpiresOn)
	}
	// Another account cannot apply with this ward.
	other, _ := f.newApplicant(applicantSpec{personID: ptrTo(f.newPerson(personSpec{}).ID)})
	_, err = f.svc.Submit(f.ctx, other, in, "")
	wantCode(t, err, domain.CodeValidationFailed)
}

func ptrTo[T any](v T) *T { return &v }
