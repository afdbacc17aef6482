package service_test

import (
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// lookupAudit lists the audit entries of an action on a case, newest first.
func (f *fixture) lookupAudit(action, no string) []store.AuditEntry {
	f.t.Helper()
	es, err := f.st.Q(f.ctx).AuditEntries(store.AuditFilter{Action: action, ObjectID: no})
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

func idTail(p store.Person) string { return p.IDNumber[len(p.IDNumber)-6:] }

func TestLookupPickup(t *testing.T) {
	f := newFixture(t)
	tc := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
	officer := f.staff("station-" + homeCounty)

	t.Run("OK", func(t *testing.T) {
		f := f.with(t)
		p, err := f.svc.LookupPickup(f.ctx, officer, " "+strings.ToLower(tc.no)+" ", strings.ToLower(idTail(tc.person)))
		mustOK(t, err)
		if p.Case.No != tc.no || p.Person.Name != tc.person.Name || !p.ReturnsOldCard || strings.Contains(p.Person.IDNumber, tc.person.IDNumber[6:14]) {
			t.Fatalf("look-up answered %+v", p)
		}
		if es := f.lookupAudit("pickup.lookup", tc.no); len(es) != 1 || es[0].Outcome != "ok" || es[0].ActorID == nil {
			t.Fatalf("audit: %+v", es)
		}
	})

	// A wrong number, another station and wrong digits all answer alike,
	// so a look-up never tells about cases the officer may not see.
	var msg string
	for _, c := range []struct {
		name, no, tail, reason string
		actor                  service.Actor
	}{
		{"ErrWrongDigits", tc.no, "000000", "id_tail", officer},
		{"ErrOtherStation", tc.no, idTail(tc.person), "station", f.staff("station-" + otherCounty)},
		{"ErrUnknownCase", "GZ260302999999", idTail(tc.person), "no_case", officer},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := f.with(t)
			before := len(f.lookupAudit("pickup.lookup", c.no))
			_, err := f.svc.LookupPickup(f.ctx, c.actor, c.no, c.tail)
			wantCode(t, err, domain.CodeNotFound)
			if msg == "" {
				msg = domain.ErrorMessage(err)
			} else if domain.ErrorMessage(err) != msg {
				t.Errorf("message %q differs from %q", domain.ErrorMessage(err), msg)
			}
			es := f.lookupAudit("pickup.lookup", c.no)
			if len(es) != before+1 || es[0].Outcome != "denied" || !strings.Contains(es[0].Detail, c.reason) {
				t.Fatalf("audit of a refused look-up: %+v", es)
			}
		})
	}

	t.Run("ErrMalformed", func(t *testing.T) {
		f := f.with(t)
		for _, in := range [][2]string{{"GZ12", "123456"}, {tc.no, "12345"}, {tc.no, "X23456"}, {tc.no, "1234567"}, {"", ""}} {
			_, err := f.svc.LookupPickup(f.ctx, officer, in[0], in[1])
			wantCode(t, err, domain.CodeValidationFailed)
		}
	})

	t.Run("ErrRole", func(t *testing.T) {
		f := f.with(t)
		for _, u := range []string{"county-" + homeCounty, "production", "supervisor", "admin"} {
			_, err := f.svc.LookupPickup(f.ctx, f.staff(u), tc.no, idTail(tc.person))
			wantCode(t, err, domain.CodeForbidden)
		}
	})

	t.Run("ErrNotReady", func(t *testing.T) {
		f := f.with(t)
		early := f.caseAt(caseSpec{}, domain.StatusShipped)
		_, err := f.svc.LookupPickup(f.ctx, officer, early.no, idTail(early.person))
		wantCode(t, err, domain.CodeNotReadyForPickup)
	})
}

func TestHandoverByLookup(t *testing.T) {
	f := newFixture(t)
	tc := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
	officer := f.staff("station-" + homeCounty)

	_, err := f.svc.HandoverByLookup(f.ctx, officer, tc.no, idTail(tc.person), service.PickupChecks{OldCardReturned: true})
	wantCode(t, err, domain.CodeValidationFailed)
	_, err = f.svc.HandoverByLookup(f.ctx, f.staff("station-"+otherCounty), tc.no, idTail(tc.person), service.PickupChecks{FaceMatch: true})
	wantCode(t, err, domain.CodeNotFound)
	if st := f.caseRow(tc.no).Status; st != string(domain.StatusReadyForPickup) {
		t.Fatalf("refused handovers moved the case to %s", st)
	}
	if es := f.lookupAudit("pickup.handover_by_lookup", tc.no); len(es) != 1 || es[0].Outcome != "denied" {
		t.Fatalf("audit of the refused handover: %+v", es)
	}

	v, err := f.svc.HandoverByLookup(f.ctx, officer, tc.no, idTail(tc.person), service.PickupChecks{FaceMatch: true, OldCardReturned: true})
	mustOK(t, err)
	if v.Status != string(domain.StatusCollected) || v.OldCardReturned == nil || !*v.OldCardReturned {
		t.Fatalf("handover by look-up: %+v", v)
	}
	last := v.Timeline[len(v.Timeline)-1]
	if last.Action != string(domain.ActionHandover) || last.Note == nil || !strings.Contains(*last.Note, "旧证已收回") || !strings.Contains(*last.Note, "未扫领证码") {
		t.Fatalf("timeline: %+v", last)
	}
	if p := f.person(tc.person.ID); !p.CardValid || p.CardIssuedOn == nil || !p.CardIssuedOn.After(*tc.person.CardIssuedOn) {
		t.Fatalf("the new card is not the person's current one: %+v", p)
	}
	if es := f.lookupAudit("pickup.handover_by_lookup", tc.no); len(es) != 2 || es[0].Outcome != "ok" {
		t.Fatalf("audit of the handover: %+v", es)
	}
	if es := f.lookupAudit("case.handover", tc.no); len(es) != 1 || !strings.Contains(es[0].Detail, `"via":"lookup"`) {
		t.Fatalf("case.handover audit: %+v", es)
	}
	if _, bad, err := f.st.VerifyAudit(f.ctx); err != nil || bad != nil {
		t.Fatalf("audit chain: %v %+v", err, bad)
	}

	_, err = f.svc.HandoverByLookup(f.ctx, officer, tc.no, idTail(tc.person), service.PickupChecks{FaceMatch: true})
	wantCode(t, err, domain.CodeTokenUsed)
	_, err = f.svc.Handover(f.ctx, officer, f.rawToken(tc), true)
	wantCode(t, err, domain.CodeTokenUsed)
}

func TestVerifyPickupPage(t *testing.T) {
	f := newFixture(t)
	tc := f.caseAt(caseSpec{kind: domain.KindExpiryRenewal}, domain.StatusReadyForPickup)
	p, err := f.svc.VerifyPickupPage(f.ctx, f.staff("station-"+homeCounty), " "+f.token(tc)+"\n")
	mustOK(t, err)
	if p.Case.No != tc.no || !p.ReturnsOldCard {
		t.Fatalf("verify page: %+v", p)
	}
	_, err = f.svc.VerifyPickupPage(f.ctx, f.staff("station-"+otherCounty), f.token(tc))
	wantCode(t, err, domain.CodeWrongStation)
}
