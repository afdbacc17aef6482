package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

// TestAuditSealedAcrossInstances: business transactions of two store
// instances on one database append entries at once, two to a transaction,
// holding no lock; after their commits every entry has its own place in one
// gapless chain, the chain verifies, and a row changed afterwards is named.
func TestAuditSealedAcrossInstances(t *testing.T) {
	s, db := newAuditStore(t)
	instances := []*store.Store{s, store.New(db, nil)}
	const workers, each = 16, 4
	var (
		mu      sync.Mutex
		entries []*store.AuditEntry
		wg      sync.WaitGroup
	)
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				var mine []*store.AuditEntry
				err := instances[w%2].Tx(context.Background(), func(q *store.Q) error {
					mine = mine[:0]
					for k := range 2 {
						e := sampleAudit(w*each*2 + i*2 + k)
						if err := q.AppendAudit(e); err != nil {
							return err
						}
						mine = append(mine, e)
					}
					return nil
				})
				if err != nil {
					errs <- err
					continue
				}
				mu.Lock()
				entries = append(entries, mine...)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("append: %v", err)
	}
	const n = workers * each * 2
	seen := map[int64]bool{}
	for _, e := range entries {
		if e.Seq < 1 || e.Seq > n || seen[e.Seq] || len(e.Hash) != 64 {
			t.Fatalf("entry %d sealed as seq %d hash %q (seen %v)", e.ID, e.Seq, e.Hash, seen[e.Seq])
		}
		seen[e.Seq] = true
	}
	mustVerify(t, s, n)
	if seq, _ := readHead(t, db); seq != n {
		t.Fatalf("head at %d, want %d", seq, n)
	}
	victim := entries[len(entries)/2]
	exec(t, db, "UPDATE audit_log SET object_id = ? WHERE id = ?", "GZ-forged", victim.ID)
	mustBreak(t, s, victim.Seq, victim.ID)
}

// TestAuditPendingAfterCrash: an entry whose transaction committed but whose
// seal a crash prevented waits unlisted; the verifier seals it onto the
// chain, later appends follow it, and a change to it is then named.
func TestAuditPendingAfterCrash(t *testing.T) {
	s, db := newAuditStore(t)
	appendAudits(t, s, 2)
	at := time.Date(2026, 3, 2, 2, 0, 0, 123456000, time.UTC)
	exec(t, db, `INSERT INTO audit_log (seq, at, actor_kind, actor_name, role, action, object_type, object_id, ip, outcome, detail, prev_hash, hash)
		VALUES (-77, ?, 'staff', '李四', 'reviewer', 'case.approve', 'case', 'GZ2026000077', '10.0.0.9', 'ok', '{}', '', '')`, at)
	listed, err := s.Q(context.Background()).AuditEntries(store.AuditFilter{})
	if err != nil || len(listed) != 2 {
		t.Fatalf("list shows %d entries (%v), want the 2 sealed ones", len(listed), err)
	}
	mustVerify(t, s, 3)
	appendAudits(t, s, 1)
	mustVerify(t, s, 4)
	var id, seq int64
	if err := db.SQL().QueryRow("SELECT id, seq FROM audit_log WHERE object_id = 'GZ2026000077'").Scan(&id, &seq); err != nil {
		t.Fatal(err)
	}
	if seq != 3 {
		t.Fatalf("the pending entry was sealed as seq %d, want 3", seq)
	}
	exec(t, db, "UPDATE audit_log SET actor_name = '王五' WHERE id = ?", id)
	mustBreak(t, s, 3, id)
}
