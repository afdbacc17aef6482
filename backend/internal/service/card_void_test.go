package service_test

import (
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// TestImpostorLossReplacementRejectedGivesTheCardBack walks the takeover:
// a new account binds a person with a passed verification, which moves the
// person from their own account (told in-app and by SMS); the new account
// files a loss replacement by mail; the station's pre-check page and the
// county's review page both flag the recent change of account; acceptance
// voids the card; the county rejects the case as fraud, and the card is
// valid again, on the timeline and in the audit log — so the real person
// can apply again.
func TestImpostorLossReplacementRejectedGivesTheCardBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	victim := f.newPerson(personSpec{})
	own, ownRow := f.newApplicant(applicantSpec{personID: &victim.ID})
	impostor, _ := f.newApplicant(applicantSpec{})
	f.clk.Advance(24 * 3600e9 * 40) // the victim's binding is old
	_, err := f.svc.BindIdentity(f.ctx, impostor, victim.Name, victim.IDNumber, f.proof())
	mustOK(t, err)
	if n := f.count("SELECT COUNT(*) FROM outbox WHERE recipient_id = ? AND template = 'identity_moved' AND channel IN ('inapp', 'sms')", ownRow.ID); n != 2 {
		t.Fatalf("%d notices to the victim's own account, want in-app and SMS", n)
	}
	if me, err := f.svc.Me(f.ctx, own); err != nil || me.Bound {
		t.Fatalf("the victim's account still bound: %+v, %v", me, err)
	}

	in := f.submitInput(caseSpec{kind: domain.KindLossReplacement, mail: true, station: homeCounty, household: homeCounty})
	v, err := f.svc.Submit(f.ctx, impostor, in, "")
	mustOK(t, err)
	tc := &tcase{no: v.No, spec: caseSpec{kind: domain.KindLossReplacement, mail: true, station: homeCounty, household: homeCounty},
		person: victim, applicant: impostor, station: f.staff("station-" + homeCounty), county: f.staff("county-" + homeCounty)}
	flagged := func(who service.Actor) {
		t.Helper()
		page, err := f.svc.StaffCasePage(f.ctx, who, tc.no, false)
		mustOK(t, err)
		if page.Fraud == nil {
			t.Fatalf("%s sees no anti-fraud panel", who.Role)
		}
		for _, fl := range page.Fraud.Flags {
			if fl.Code == domain.FlagRebound && fl.Title == "实名账号近期变更" && fl.Severe {
				return
			}
		}
		t.Fatalf("%s's panel lacks the account-change flag: %+v", who.Role, page.Fraud.Flags)
	}
	flagged(tc.station) // pre-check
	f.drive(tc, domain.StatusAccepted)
	if f.person(victim.ID).CardValid {
		t.Fatal("acceptance of the loss replacement left the card valid")
	}
	flagged(tc.county) // review

	_, err = f.svc.Review(f.ctx, tc.county, tc.no, service.Decision{Reason: "冒用他人身份申请"})
	mustOK(t, err)
	if !f.person(victim.ID).CardValid {
		t.Fatal("the card stayed void after the fraudulent case was rejected")
	}
	view, err := f.svc.StaffCase(f.ctx, tc.county, tc.no)
	mustOK(t, err)
	last := view.Timeline[len(view.Timeline)-1]
	if last.Action != string(domain.EventCardRestored) || last.Note == nil || !strings.Contains(*last.Note, "恢复有效") {
		t.Fatalf("the timeline does not end with the card's restoration: %+v", last)
	}
	if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'card.restore' AND object_id = ?", tc.no); n != 1 {
		t.Fatalf("%d restoration audit entries", n)
	}

	// The real person takes the identity back and can apply online again.
	_, err = f.svc.BindIdentity(f.ctx, own, victim.Name, victim.IDNumber, f.proof())
	mustOK(t, err)
	_, err = f.svc.Submit(f.ctx, own, f.submitInput(caseSpec{kind: domain.KindDamageRenewal, station: homeCounty, household: homeCounty}), "")
	mustOK(t, err)
}

// TestIssuedLossReplacementKeepsTheCardVoid: a loss replacement that goes
// on to production leaves the old card void, and a rejected renewal (no
// card voided) changes nothing.
func TestIssuedLossReplacementKeepsTheCardVoid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	loss := f.newCase(caseSpec{kind: domain.KindLossReplacement})
	f.drive(loss, domain.StatusProduced)
	if f.person(loss.person.ID).CardValid {
		t.Fatal("a produced loss replacement gave the lost card back")
	}
	if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'card.restore' AND object_id = ?", loss.no); n != 0 {
		t.Fatalf("%d restorations of a produced case", n)
	}
	renewal := f.newCase(caseSpec{})
	f.drive(renewal, domain.StatusAccepted)
	_, err := f.svc.Review(f.ctx, renewal.county, renewal.no, service.Decision{Reason: "人证不符"})
	mustOK(t, err)
	if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'card.restore' AND object_id = ?", renewal.no); n != 0 {
		t.Fatalf("%d restorations of a renewal", n)
	}
}
