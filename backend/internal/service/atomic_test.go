package service_test

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// breakOutbox renames the outbox table so every insert into it fails, until
// the returned function (also run at cleanup) puts it back.
func (f *fixture) breakOutbox() (restore func()) {
	f.t.Helper()
	if _, err := f.db.SQL().ExecContext(f.ctx, "ALTER TABLE outbox RENAME TO outbox_x"); err != nil {
		f.t.Fatalf("rename outbox: %v", err)
	}
	done := false
	restore = func() {
		if done {
			return
		}
		done = true
		if _, err := f.db.SQL().ExecContext(f.ctx, "ALTER TABLE outbox_x RENAME TO outbox"); err != nil {
			f.t.Errorf("restore outbox: %v", err)
		}
	}
	f.t.Cleanup(restore)
	return restore
}

// tableCounts counts the rows an action may write.
func (f *fixture) tableCounts() map[string]int64 {
	out := map[string]int64{}
	for _, tb := range []string{"cases", "case_events", "audit_log", "idempotency_keys"} {
		out[tb] = f.count("SELECT COUNT(*) FROM " + tb)
	}
	out["audit_head"] = f.count("SELECT seq FROM audit_head WHERE id = 1")
	return out
}

// TestAtomicity makes the outbox insert, the last write of an action, fail:
// the action fails and nothing of it stays behind — not the case's new
// status or version, not the event, not the audit entry.
func TestAtomicity(t *testing.T) {
	t.Parallel()
	root := newFixture(t)

	t.Run("Precheck", func(t *testing.T) {
		f := root.with(t)
		tc := f.newCase(caseSpec{kind: domain.KindLossReplacement})
		before, counts := f.caseRow(tc.no), f.tableCounts()
		restore := f.breakOutbox()
		_, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true})
		wantCode(t, err, domain.CodeInternal)
		_, err = f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Reason: "资料不全"})
		wantCode(t, err, domain.CodeInternal)
		restore()
		after := f.caseRow(tc.no)
		if after.Status != before.Status || after.Version != before.Version || after.AcceptedAt != nil || after.RejectReason != nil {
			t.Fatalf("case changed: %s v%d → %s v%d", before.Status, before.Version, after.Status, after.Version)
		}
		if got := f.tableCounts(); !equalCounts(got, counts) {
			t.Fatalf("rows written by a failed action: before %v, after %v", counts, got)
		}
		// The lost card is declared invalid only by a committed acceptance.
		if !f.person(tc.person.ID).CardValid {
			t.Fatal("the failed acceptance declared the card invalid")
		}
		// The chain is intact and the case goes on once the outbox is back.
		if _, bad, err := f.st.VerifyAudit(f.ctx); err != nil || bad != nil {
			t.Fatalf("audit chain: %v %+v", err, bad)
		}
		_, err = f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true, Version: &before.Version})
		mustOK(t, err)
	})

	t.Run("Handover", func(t *testing.T) {
		f := root.with(t)
		tc := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
		tok := f.token(tc)
		before, counts := f.caseRow(tc.no), f.tableCounts()
		card := f.person(tc.person.ID)
		restore := f.breakOutbox()
		_, err := f.svc.Handover(f.ctx, tc.station, tok, true)
		wantCode(t, err, domain.CodeInternal)
		restore()
		after := f.caseRow(tc.no)
		if after.Status != before.Status || after.Version != before.Version || after.OldCardReturned != nil {
			t.Fatalf("case changed: %s v%d → %s v%d", before.Status, before.Version, after.Status, after.Version)
		}
		if p := f.person(tc.person.ID); date(p.CardIssuedOn) != date(card.CardIssuedOn) {
			t.Fatalf("the failed handover recorded the new card: %s", date(p.CardIssuedOn))
		}
		if got := f.tableCounts(); !equalCounts(got, counts) {
			t.Fatalf("rows written by a failed action: before %v, after %v", counts, got)
		}
		// The token was not spent.
		_, err = f.svc.Handover(f.ctx, tc.station, tok, true)
		mustOK(t, err)
	})

	t.Run("Submit", func(t *testing.T) {
		f := root.with(t)
		p := f.newPerson(personSpec{})
		ap, _ := f.newApplicant(applicantSpec{personID: &p.ID, wechat: true})
		in := f.submitInput(caseSpec{station: homeCounty, kind: domain.KindDamageRenewal, mail: true})
		counts := f.tableCounts()
		restore := f.breakOutbox()
		_, err := f.svc.Submit(f.ctx, ap, in, "atomic-key")
		wantCode(t, err, domain.CodeInternal)
		restore()
		if got := f.tableCounts(); !equalCounts(got, counts) {
			t.Fatalf("rows written by a failed submit: before %v, after %v", counts, got)
		}
		// Neither the idempotency key nor the person's open-case slot is
		// taken: the same request now goes through.
		v, err := f.svc.Submit(f.ctx, ap, in, "atomic-key")
		mustOK(t, err)
		if n := f.count("SELECT COUNT(*) FROM outbox WHERE case_id = (SELECT id FROM cases WHERE no = ?)", v.No); n != 2 {
			t.Fatalf("%d outbox rows for the submit, want in-app and WeChat", n)
		}
	})
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
