package service_test

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/service"
)

// TestBindingMovesAndTellsThePreviousAccount: binding a person bound to
// another account moves the binding, and the other account hears of it in
// its inbox and by SMS.
func TestBindingMovesAndTellsThePreviousAccount(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.newPerson(personSpec{})
	first, firstRow := f.newApplicant(applicantSpec{})
	second, _ := f.newApplicant(applicantSpec{})

	me, err := f.svc.BindIdentity(f.ctx, first, p.Name, p.IDNumber, f.proof())
	if err != nil || !me.Bound {
		t.Fatalf("first binding: %+v, %v", me, err)
	}
	_, err = f.svc.BindIdentity(f.ctx, first, p.Name, p.IDNumber, f.proof()) // again: nothing moves
	mustOK(t, err)
	if n := f.count("SELECT COUNT(*) FROM outbox WHERE template = ?", notify.IdentityMoved); n != 0 {
		t.Fatalf("%d move notices before any move", n)
	}

	spent := f.proof()
	_, err = f.svc.BindIdentity(f.ctx, second, p.Name, p.IDNumber, domain.RealPersonProof{})
	wantCode(t, err, domain.CodeRealPersonFailed)
	me, err = f.svc.BindIdentity(f.ctx, second, p.Name, p.IDNumber, spent)
	if err != nil || !me.Bound {
		t.Fatalf("second binding: %+v, %v", me, err)
	}
	old, err := f.svc.Me(f.ctx, first)
	if err != nil || old.Bound {
		t.Fatalf("the first account after the move: %+v, %v", old, err)
	}
	if n := f.count("SELECT COUNT(*) FROM outbox WHERE template = ? AND recipient_id = ? AND channel IN ('inapp', 'sms')",
		notify.IdentityMoved, firstRow.ID); n != 2 {
		t.Fatalf("%d move notices to the first account, want in-app and SMS", n)
	}
	// A verification binds once: the first account cannot take the person
	// back with the proof the second one spent.
	_, err = f.svc.BindIdentity(f.ctx, first, p.Name, p.IDNumber, spent)
	wantCode(t, err, domain.CodeRealPersonFailed)
	if n := f.count("SELECT COUNT(*) FROM identity_verifications WHERE person_id = ?", p.ID); n != 2 {
		t.Fatalf("%d verifications recorded, want the two bindings'", n)
	}
	_, err = notify.New(notify.Options{Store: f.st, Clock: f.clk.Now}).Deliver(f.ctx, "w", 10)
	mustOK(t, err)
	for _, who := range []service.Actor{first, second} {
		ns, err := f.svc.Notifications(f.ctx, who)
		mustOK(t, err)
		if got := len(ns) == 1 && ns[0].Title == "实名身份已转绑"; got != (who.ID == first.ID) {
			t.Fatalf("account %d's inbox: %+v", who.ID, ns)
		}
	}
}
