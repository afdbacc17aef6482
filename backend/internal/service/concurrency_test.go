package service_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// rounds is how many times each race is run: the goroutines are released
// together, and enough rounds make real overlap near certain.
const rounds = 8

// race runs the functions at once and returns their errors in order.
func race(fns ...func() error) []error {
	errs := make([]error, len(fns))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWinner checks that exactly one call succeeded and the others failed
// with one of the codes; it returns the winner's index.
func oneWinner(t *testing.T, errs []error, codes ...domain.Code) int {
	t.Helper()
	win := -1
	for i, err := range errs {
		if err == nil {
			if win >= 0 {
				t.Fatalf("calls %d and %d both succeeded", win, i)
			}
			win = i
			continue
		}
		ok := false
		for _, c := range codes {
			ok = ok || domain.ErrorCode(err) == c
		}
		if !ok {
			t.Fatalf("call %d: %s (%v), want one of %v", i, domain.ErrorCode(err), err, codes)
		}
	}
	if win < 0 {
		t.Fatalf("no call succeeded: %v", errs)
	}
	return win
}

// TestConcurrentActions races two staff actions on one case: exactly one
// wins, the other gets VERSION_CONFLICT or INVALID_TRANSITION, and only the
// winner's rows exist.
func TestConcurrentActions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tt := range []struct {
		name   string
		second service.Decision
	}{
		{"ApproveApprove", service.Decision{Approve: true}},
		{"ApproveReject", service.Decision{Reason: "资料不全"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for i := range rounds {
				f := f.with(t)
				tc := f.newCase(caseSpec{})
				before := f.caseRow(tc.no)
				var views [2]service.CaseView
				errs := race(
					func() (err error) {
						views[0], err = f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true})
						return err
					},
					func() (err error) {
						views[1], err = f.svc.Precheck(f.ctx, tc.station, tc.no, tt.second)
						return err
					},
				)
				win := oneWinner(t, errs, domain.CodeVersionConflict, domain.CodeInvalidTransition)
				after := f.caseRow(tc.no)
				if after.Version != before.Version+1 || after.Status != views[win].Status {
					t.Fatalf("round %d: v%d → v%d, status %s, winner says %s", i, before.Version, after.Version, after.Status, views[win].Status)
				}
				if n := f.count("SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action <> 'submit'", after.ID); n != 1 {
					t.Fatalf("round %d: %d events after submit, want 1", i, n)
				}
				if n := f.count("SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND outcome = 'ok' AND action LIKE 'case.precheck%'", tc.no); n != 1 {
					t.Fatalf("round %d: %d audit entries, want 1", i, n)
				}
				if n := f.count("SELECT COUNT(*) FROM outbox WHERE case_id = ? AND template LIKE 'precheck%' AND channel = 'inapp'", after.ID); n != 1 {
					t.Fatalf("round %d: %d in-app messages, want 1", i, n)
				}
			}
		})
	}
	t.Run("Handover", func(t *testing.T) {
		// Two officers' scans of one token (or two tokens) hand over once.
		for i := range rounds {
			f := f.with(t)
			tc := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
			tok1, tok2 := f.token(tc), f.token(tc)
			errs := race(
				func() error { _, err := f.svc.Handover(f.ctx, tc.station, tok1, true); return err },
				func() error { _, err := f.svc.Handover(f.ctx, tc.station, tok2, true); return err },
			)
			oneWinner(t, errs, domain.CodeVersionConflict, domain.CodeInvalidTransition, domain.CodeTokenUsed)
			c := f.caseRow(tc.no)
			if n := f.count("SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'handover'", c.ID); n != 1 || c.Status != string(domain.StatusCollected) {
				t.Fatalf("round %d: %d handover events, status %s", i, n, c.Status)
			}
		}
	})
}

// TestConcurrentSubmits races two submissions for one person.
func TestConcurrentSubmits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	applicant := func(f *fixture) (service.Actor, service.SubmitInput, int64) {
		p := f.newPerson(personSpec{})
		ap, _ := f.newApplicant(applicantSpec{personID: &p.ID})
		return ap, f.submitInput(caseSpec{station: homeCounty, kind: domain.KindDamageRenewal}), p.ID
	}

	t.Run("SameKey", func(t *testing.T) {
		for i := range rounds {
			f := f.with(t)
			ap, in, pid := applicant(f)
			key := fmt.Sprintf("same-%d", i)
			var views [2]service.CaseView
			errs := race(
				func() (err error) { views[0], err = f.svc.Submit(f.ctx, ap, in, key); return err },
				func() (err error) { views[1], err = f.svc.Submit(f.ctx, ap, in, key); return err },
			)
			for j, err := range errs {
				if err != nil {
					t.Fatalf("round %d: submit %d: %s (%v)", i, j, domain.ErrorCode(err), err)
				}
			}
			if views[0].No == "" || views[0].No != views[1].No || views[0].Version != views[1].Version || views[0].Status != views[1].Status {
				t.Fatalf("round %d: answers differ: %s v%d, %s v%d", i, views[0].No, views[0].Version, views[1].No, views[1].Version)
			}
			if n := f.count("SELECT COUNT(*) FROM cases WHERE person_id = ?", pid); n != 1 {
				t.Fatalf("round %d: %d cases", i, n)
			}
			if n := f.count("SELECT COUNT(*) FROM idempotency_keys WHERE applicant_id = ?", ap.ID); n != 1 {
				t.Fatalf("round %d: %d idempotency keys", i, n)
			}
		}
	})
	for _, keys := range [][2]string{{"a", "b"}, {"", ""}, {"a", ""}} {
		t.Run(fmt.Sprintf("Keys_%q_%q", keys[0], keys[1]), func(t *testing.T) {
			for i := range rounds {
				f := f.with(t)
				ap, in, pid := applicant(f)
				mail := in
				mail.Collection, mail.Mail = string(domain.CollectionMail), f.mailInput(f.next())
				errs := race(
					func() error { _, err := f.svc.Submit(f.ctx, ap, in, keys[0]); return err },
					func() error { _, err := f.svc.Submit(f.ctx, ap, mail, keys[1]); return err },
				)
				oneWinner(t, errs, domain.CodeActiveCaseExists)
				if n := f.count("SELECT COUNT(*) FROM cases WHERE person_id = ?", pid); n != 1 {
					t.Fatalf("round %d: %d cases", i, n)
				}
				if n := f.count("SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.person_id = ?", pid); n != 1 {
					t.Fatalf("round %d: %d events", i, n)
				}
			}
		})
	}
	t.Run("SameKeyOtherBody", func(t *testing.T) {
		for i := range rounds {
			f := f.with(t)
			ap, in, pid := applicant(f)
			mail := in
			mail.Collection, mail.Mail = string(domain.CollectionMail), f.mailInput(f.next())
			key := fmt.Sprintf("k-%d", i)
			errs := race(
				func() error { _, err := f.svc.Submit(f.ctx, ap, in, key); return err },
				func() error { _, err := f.svc.Submit(f.ctx, ap, mail, key); return err },
			)
			oneWinner(t, errs, domain.CodeIdempotencyKeyReused)
			if n := f.count("SELECT COUNT(*) FROM cases WHERE person_id = ?", pid); n != 1 {
				t.Fatalf("round %d: %d cases", i, n)
			}
		}
	})
}

// TestManySubmitters races 64 submissions on a pool as large: 48 applicants
// each file their first case, and two more applicants send 8 submissions
// each at once. Nothing fails inside: the 48 are filed, one of each 8 wins
// and the other 7 get ACTIVE_CASE_EXISTS, and every person ends with exactly
// one open case.
func TestManySubmitters(t *testing.T) {
	t.Parallel()
	const distinct, contested, each = 48, 2, 8
	db, _ := openPooled(t, distinct+contested*each)
	f := setupFixture(t, db)
	in := f.submitInput(caseSpec{station: homeCounty, kind: domain.KindDamageRenewal})
	for round := range 3 {
		actors := f.boundApplicants(distinct + contested)
		var fns []func() error
		for _, a := range actors[:distinct] {
			fns = append(fns, func() error { _, err := f.svc.Submit(f.ctx, a, in, ""); return err })
		}
		for i, a := range actors[distinct:] {
			for j := range each {
				// Half send an idempotency key of their own, half none.
				key := ""
				if j%2 == 1 {
					key = fmt.Sprintf("r%d-a%d-%d", round, i, j)
				}
				fns = append(fns, func() error { _, err := f.svc.Submit(f.ctx, a, in, key); return err })
			}
		}
		errs := race(fns...)
		for i, err := range errs[:distinct] {
			if err != nil {
				t.Fatalf("round %d: submitter %d: %s (%v)", round, i, domain.ErrorCode(err), err)
			}
		}
		for i := range contested {
			oneWinner(t, errs[distinct+i*each:distinct+(i+1)*each], domain.CodeActiveCaseExists)
		}
		for _, a := range actors {
			if n := f.count("SELECT COUNT(*) FROM cases WHERE applicant_id = ? AND active_person_id IS NOT NULL", a.ID); n != 1 {
				t.Fatalf("round %d: applicant %d has %d open cases", round, a.ID, n)
			}
			if n := f.count("SELECT COUNT(*) FROM cases WHERE applicant_id = ?", a.ID); n != 1 {
				t.Fatalf("round %d: applicant %d has %d cases", round, a.ID, n)
			}
		}
	}
	if _, bad, err := f.st.VerifyAudit(f.ctx); err != nil || bad != nil {
		t.Fatalf("audit chain: %v %+v", err, bad)
	}
}
