package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

func newAuditStore(t *testing.T) (*store.Store, *store.DB) {
	t.Helper()
	db := storetest.Open(t)
	return store.New(db, nil), db
}

func id64(v int64) *int64 { return &v }

// sampleAudit returns the i-th of a varied set of entries.
func sampleAudit(i int) *store.AuditEntry {
	switch i % 3 {
	case 0:
		return &store.AuditEntry{ActorKind: store.ActorStaff, ActorID: id64(int64(10 + i)), ActorName: "张三",
			Role: "reviewer", Action: "case.approve", ObjectType: "case", ObjectID: fmt.Sprintf("GZ2026%06d", i),
			IP: "10.0.0.7", Detail: `{"note":"资料齐全"}`}
	case 1:
		return &store.AuditEntry{ActorKind: store.ActorApplicant, ActorID: id64(int64(500 + i)), Action: "case.view",
			ObjectType: "case", ObjectID: fmt.Sprintf("GZ2026%06d", i), IP: "2001:db8::1", Outcome: store.OutcomeDenied}
	}
	return &store.AuditEntry{ActorKind: store.ActorSystem, Action: "job.uncollected", Outcome: store.OutcomeFailed}
}

// appendAudits appends n sample entries, each in its own transaction.
func appendAudits(t *testing.T, s *store.Store, n int) []store.AuditEntry {
	t.Helper()
	out := make([]store.AuditEntry, 0, n)
	for i := range n {
		e := sampleAudit(i)
		if err := s.Audit(context.Background(), e); err != nil {
			t.Fatalf("audit %d: %v", i, err)
		}
		out = append(out, *e)
	}
	return out
}

func mustVerify(t *testing.T, s *store.Store, want int64) {
	t.Helper()
	n, bad, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if bad != nil {
		t.Fatalf("verify: broken at seq %d (id %d): %s", bad.Seq, bad.ID, bad.Reason)
	}
	if n != want {
		t.Fatalf("verify checked %d entries, want %d", n, want)
	}
}

func mustBreak(t *testing.T, s *store.Store, seq, id int64) *store.AuditBreak {
	t.Helper()
	_, bad, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if bad == nil {
		t.Fatalf("verify found no break, want one at seq %d (id %d)", seq, id)
	}
	if bad.Seq != seq || bad.ID != id {
		t.Fatalf("verify broke at seq %d (id %d): %s; want seq %d (id %d)", bad.Seq, bad.ID, bad.Reason, seq, id)
	}
	return bad
}

func readHead(t *testing.T, db *store.DB) (int64, string) {
	t.Helper()
	var seq int64
	var hash string
	if err := db.SQL().QueryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	return seq, hash
}

func exec(t *testing.T, db *store.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.SQL().Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func TestAuditChainVerifiesAndRoundTrips(t *testing.T) {
	s, _ := newAuditStore(t)
	ctx := context.Background()
	mustVerify(t, s, 0)
	written := appendAudits(t, s, 4)
	// Two entries in one transaction chain one after the other; they learn
	// their places when the transaction, committed, seals them.
	var inTx []*store.AuditEntry
	err := s.Tx(ctx, func(q *store.Q) error {
		inTx = inTx[:0]
		for i := 4; i < 6; i++ {
			e := sampleAudit(i)
			if err := q.AppendAudit(e); err != nil {
				return err
			}
			inTx = append(inTx, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range inTx {
		written = append(written, *e)
	}
	mustVerify(t, s, 6)
	prev := strings.Repeat("0", 64)
	for i, e := range written {
		if e.Seq != int64(i+1) || e.PrevHash != prev || len(e.Hash) != 64 || e.ID == 0 {
			t.Fatalf("entry %d: seq %d prev %s hash %s id %d", i, e.Seq, e.PrevHash, e.Hash, e.ID)
		}
		prev = e.Hash
	}
	if written[1].Outcome != store.OutcomeDenied || written[1].Detail != "{}" || written[0].Outcome != store.OutcomeOK {
		t.Fatalf("defaults not applied: %+v %+v", written[0], written[1])
	}
	got, err := s.Q(ctx).AuditEntries(store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(written) {
		t.Fatalf("listed %d entries, want %d", len(got), len(written))
	}
	for i, g := range got {
		w := written[len(written)-1-i]
		if !g.At.Equal(w.At) {
			t.Errorf("seq %d: at %v read back as %v", w.Seq, w.At, g.At)
		}
		if (g.ActorID == nil) != (w.ActorID == nil) || g.ActorID != nil && *g.ActorID != *w.ActorID {
			t.Errorf("seq %d: actor id %v read back as %v", w.Seq, w.ActorID, g.ActorID)
		}
		g.At, w.At, g.ActorID, w.ActorID = time.Time{}, time.Time{}, nil, nil
		if g != w {
			t.Errorf("read back %+v, wrote %+v", g, w)
		}
	}
}

func TestAuditConcurrentAppends(t *testing.T) {
	s, db := newAuditStore(t)
	const workers, each = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				e := sampleAudit(w*each + i)
				if err := s.Audit(context.Background(), e); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent append: %v", err)
	}
	mustVerify(t, s, workers*each)
	var n, lo, hi int64
	if err := db.SQL().QueryRow("SELECT COUNT(*), MIN(seq), MAX(seq) FROM audit_log").Scan(&n, &lo, &hi); err != nil {
		t.Fatal(err)
	}
	if n != workers*each || lo != 1 || hi != workers*each {
		t.Fatalf("%d rows with seq %d..%d, want %d gapless", n, lo, hi, workers*each)
	}
	if seq, _ := readHead(t, db); seq != workers*each {
		t.Fatalf("head at %d", seq)
	}
}

// tamperValue returns a changed value of column col of e.
func tamperValue(col string, e store.AuditEntry) any {
	flip := func(h string) string {
		if strings.HasSuffix(h, "0") {
			return h[:len(h)-1] + "1"
		}
		return h[:len(h)-1] + "0"
	}
	switch col {
	case "at":
		return e.At.Add(time.Microsecond)
	case "actor_kind":
		if e.ActorKind == store.ActorStaff {
			return store.ActorSystem
		}
		return store.ActorStaff
	case "actor_id":
		if e.ActorID == nil {
			return int64(0)
		}
		return *e.ActorID + 1
	case "actor_name":
		return e.ActorName + " "
	case "role":
		return e.Role + "x"
	case "action":
		return e.Action + "x"
	case "object_type":
		return e.ObjectType + "x"
	case "object_id":
		return e.ObjectID + "x"
	case "ip":
		return e.IP + "x"
	case "outcome":
		if e.Outcome == store.OutcomeOK {
			return store.OutcomeDenied
		}
		return store.OutcomeOK
	case "detail":
		return `{"note":"tampered"}`
	case "prev_hash":
		return flip(e.PrevHash)
	case "hash":
		return flip(e.Hash)
	}
	panic(col)
}

// originalValue returns the stored value of column col of e.
func originalValue(col string, e store.AuditEntry) any {
	return map[string]any{
		"seq": e.Seq, "at": e.At, "actor_kind": e.ActorKind, "actor_id": e.ActorID, "actor_name": e.ActorName,
		"role": e.Role, "action": e.Action, "object_type": e.ObjectType, "object_id": e.ObjectID, "ip": e.IP,
		"outcome": e.Outcome, "detail": e.Detail, "prev_hash": e.PrevHash, "hash": e.Hash,
	}[col]
}

// TestAuditTamperAnyColumn changes every column of every row in turn and
// checks that verification names that row, then puts the value back.
func TestAuditTamperAnyColumn(t *testing.T) {
	s, db := newAuditStore(t)
	rows := appendAudits(t, s, 5)
	cols := []string{"at", "actor_kind", "actor_id", "actor_name", "role", "action", "object_type",
		"object_id", "ip", "outcome", "detail", "prev_hash", "hash"}
	for _, col := range cols {
		for _, e := range rows {
			exec(t, db, "UPDATE audit_log SET "+col+" = ? WHERE id = ?", tamperValue(col, e), e.ID)
			mustBreak(t, s, e.Seq, e.ID)
			exec(t, db, "UPDATE audit_log SET "+col+" = ? WHERE id = ?", originalValue(col, e), e.ID)
			mustVerify(t, s, int64(len(rows)))
		}
	}
	// A changed seq names the moved row, wherever it went.
	for _, e := range rows {
		for _, seq := range []int64{e.Seq + 1000, -e.Seq} {
			exec(t, db, "UPDATE audit_log SET seq = ? WHERE id = ?", seq, e.ID)
			b := mustBreak(t, s, seq, e.ID)
			t.Logf("seq %d → %d: %s", e.Seq, seq, b.Reason)
			exec(t, db, "UPDATE audit_log SET seq = ? WHERE id = ?", e.Seq, e.ID)
			mustVerify(t, s, int64(len(rows)))
		}
	}
	// An actor id set where there was none is caught too.
	if rows[2].ActorID != nil {
		t.Fatal("sample 2 should have no actor")
	}
	exec(t, db, "UPDATE audit_log SET actor_id = NULL WHERE id = ?", rows[0].ID)
	mustBreak(t, s, rows[0].Seq, rows[0].ID)
}

func TestAuditDeletedAndHeadChanges(t *testing.T) {
	t.Run("middle row", func(t *testing.T) {
		s, db := newAuditStore(t)
		rows := appendAudits(t, s, 5)
		exec(t, db, "DELETE FROM audit_log WHERE id = ?", rows[2].ID)
		b := mustBreak(t, s, rows[3].Seq, rows[3].ID)
		if !strings.Contains(b.Reason, "entry 3 is missing") {
			t.Errorf("reason %q", b.Reason)
		}
	})
	t.Run("first row", func(t *testing.T) {
		s, db := newAuditStore(t)
		rows := appendAudits(t, s, 3)
		exec(t, db, "DELETE FROM audit_log WHERE id = ?", rows[0].ID)
		mustBreak(t, s, rows[1].Seq, rows[1].ID)
	})
	t.Run("last row", func(t *testing.T) {
		s, db := newAuditStore(t)
		rows := appendAudits(t, s, 5)
		exec(t, db, "DELETE FROM audit_log WHERE id = ?", rows[4].ID)
		b := mustBreak(t, s, rows[4].Seq, 0)
		if !strings.Contains(b.Reason, "entry 5 is missing") {
			t.Errorf("reason %q", b.Reason)
		}
	})
	t.Run("last row and head rolled back", func(t *testing.T) {
		s, db := newAuditStore(t)
		rows := appendAudits(t, s, 5)
		exec(t, db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", rows[3].Seq, rows[3].Hash)
		mustBreak(t, s, rows[4].Seq, rows[4].ID)
	})
	t.Run("head hash", func(t *testing.T) {
		s, db := newAuditStore(t)
		rows := appendAudits(t, s, 2)
		exec(t, db, "UPDATE audit_head SET hash = ? WHERE id = 1", rows[0].Hash)
		mustBreak(t, s, rows[1].Seq, rows[1].ID)
	})
}

func TestAppendAuditNeedsTransaction(t *testing.T) {
	s, db := newAuditStore(t)
	err := s.Q(context.Background()).AppendAudit(sampleAudit(0))
	if !errors.Is(err, store.ErrAuditNeedsTx) {
		t.Fatalf("append outside a transaction: %v", err)
	}
	if seq, _ := readHead(t, db); seq != 0 {
		t.Fatalf("head moved to %d", seq)
	}
	mustVerify(t, s, 0)
}

func TestAuditRolledBackWithItsTransaction(t *testing.T) {
	s, db := newAuditStore(t)
	appendAudits(t, s, 1)
	seq0, hash0 := readHead(t, db)
	boom := errors.New("boom")
	err := s.Tx(context.Background(), func(q *store.Q) error {
		if err := q.AppendAudit(sampleAudit(1)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("tx: %v", err)
	}
	if seq, hash := readHead(t, db); seq != seq0 || hash != hash0 {
		t.Fatalf("head moved to %d %s", seq, hash)
	}
	var n int64
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d rows (%v), want 1", n, err)
	}
	mustVerify(t, s, 1)
	appendAudits(t, s, 1)
	mustVerify(t, s, 2)
}

func TestAuditNormalise(t *testing.T) {
	s, _ := newAuditStore(t)
	ctx := context.Background()
	for name, e := range map[string]store.AuditEntry{
		"kind":    {ActorKind: "robot", Action: "x"},
		"outcome": {ActorKind: store.ActorSystem, Action: "x", Outcome: "maybe"},
		"action":  {ActorKind: store.ActorSystem},
		"detail":  {ActorKind: store.ActorSystem, Action: "x", Detail: "{not json"},
		"role":    {ActorKind: store.ActorStaff, Action: "x", Role: strings.Repeat("r", 33)},
		"time":    {ActorKind: store.ActorSystem, Action: "x", At: time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if err := s.Audit(ctx, &e); err == nil {
			t.Errorf("%s: accepted %+v", name, e)
		}
	}
	// Outside text is made to fit its column exactly as the database keeps it.
	long := &store.AuditEntry{ActorKind: store.ActorApplicant, Action: "login", Outcome: store.OutcomeDenied,
		ActorName: strings.Repeat("黔", 70) + "\xff", ObjectID: "bad\xffutf8 🪪", IP: strings.Repeat("1", 80),
		At: time.Date(2026, 3, 1, 8, 30, 0, 123456789, time.FixedZone("CST", 8*3600))}
	if err := s.Audit(ctx, long); err != nil {
		t.Fatal(err)
	}
	if utf8.RuneCountInString(long.ActorName) != 64 || long.ObjectID != "bad\uFFFDutf8 🪪" || len(long.IP) != 64 {
		t.Fatalf("not fitted: %q %q %q", long.ActorName, long.ObjectID, long.IP)
	}
	if want := time.Date(2026, 3, 1, 0, 30, 0, 123456000, time.UTC); long.At != want {
		t.Fatalf("at %v, want %v", long.At, want)
	}
	mustVerify(t, s, 1)
}

func TestAuditEntriesFilters(t *testing.T) {
	s, _ := newAuditStore(t)
	ctx := context.Background()
	base := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	for i := range 30 {
		e := sampleAudit(i)
		e.At = base.Add(time.Duration(i) * time.Minute)
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	q := s.Q(ctx)
	seqs := func(f store.AuditFilter) []int64 {
		t.Helper()
		es, err := q.AuditEntries(f)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int64, len(es))
		for i, e := range es {
			out[i] = e.Seq
		}
		return out
	}
	check := func(name string, f store.AuditFilter, want ...int64) {
		t.Helper()
		if got := seqs(f); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	check("actor", store.AuditFilter{ActorKind: store.ActorStaff, ActorID: id64(13)}, 4)
	check("kind", store.AuditFilter{ActorKind: store.ActorSystem, Limit: 3}, 30, 27, 24)
	check("action", store.AuditFilter{Action: "case.view", BeforeSeq: 10}, 8, 5, 2)
	check("object", store.AuditFilter{ObjectType: "case", ObjectID: "GZ2026000007"}, 8)
	check("time", store.AuditFilter{From: base.Add(10 * time.Minute), To: base.Add(13 * time.Minute)}, 13, 12, 11)
	check("time in another zone", store.AuditFilter{From: base.Add(29 * time.Minute).In(time.FixedZone("CST", 8*3600))}, 30)
	check("page", store.AuditFilter{BeforeSeq: 4, Limit: 2}, 3, 2)
	if n := len(seqs(store.AuditFilter{})); n != store.AuditPageDefault-20 {
		t.Errorf("default page %d", n)
	}
	if n := len(seqs(store.AuditFilter{Limit: 1000})); n != 30 {
		t.Errorf("page %d", n)
	}
}

// TestAuditVerifyAcrossBatches checks a log longer than one read batch,
// including a break in a later batch.
func TestAuditVerifyAcrossBatches(t *testing.T) {
	s, db := newAuditStore(t)
	ctx := context.Background()
	const total = 2600
	var ids []int64
	for done := 0; done < total; done += 500 {
		err := s.Tx(ctx, func(q *store.Q) error {
			for i := done; i < done+500 && i < total; i++ {
				e := sampleAudit(i)
				if err := q.AppendAudit(e); err != nil {
					return err
				}
				ids = append(ids, e.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	mustVerify(t, s, total)
	exec(t, db, "UPDATE audit_log SET detail = '{\"x\":1}' WHERE seq = 2345")
	mustBreak(t, s, 2345, ids[2344])
}
