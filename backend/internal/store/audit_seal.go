package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// The audit chain is sealed after the fact. AppendAudit writes an entry
// pending, inside the business transaction and without a lock; once that
// transaction has committed, the entry is sealed: given the next seq, the
// previous entry's hash and its own, under the chain's single head row. The
// head is therefore locked only by short seal transactions, each of which
// seals every entry committed before it began, instead of by every audited
// business transaction from its first audit entry to its commit (which made
// the head the one queue all writes of all instances stood in).
//
// An entry is pending between its commit and its seal, and longer only when a
// crash falls in between; the next seal, by any later audited write or by
// VerifyAudit, takes it up. Lists show sealed entries only.

// pendingSeq marks an entry not yet sealed: a random negative number, unique
// without any coordination (two alike among 2^62 are not to be feared). A
// sealed entry's seq counts from 1.
func pendingSeq() int64 { return -1 - rand.Int64N(1<<62) }

// pendingAudit selects the entries that wait to be sealed.
const pendingAudit = "seq < 0 AND hash = ''"

// sealTimeout bounds the seal that follows a commit.
const sealTimeout = 5 * time.Second

// sealAudit chains the pending entries onto the head in the order of their
// ids, a batch at a time, and returns them sealed.
func (s *Store) sealAudit(ctx context.Context) ([]AuditEntry, error) {
	var all []AuditEntry
	for {
		var rows []AuditEntry
		err := s.Tx(ctx, func(q *Q) error {
			var head auditHead
			if err := q.forUpdate(q.g.Where("id = ?", 1)).Take(&head).Error; err != nil {
				return fmt.Errorf("store: read audit head: %w", translate(err))
			}
			// A plain read: it sees what committed before the head was
			// locked, and waits on no writer's uncommitted entry.
			rows = rows[:0]
			if err := q.g.Where(pendingAudit).Order("id").Limit(auditBatch).Find(&rows).Error; err != nil {
				return fmt.Errorf("store: read pending audit entries: %w", translate(err))
			}
			if len(rows) == 0 {
				return nil
			}
			for i := range rows {
				r := &rows[i]
				r.Seq, r.PrevHash, r.HashAlg = head.Seq+1, head.Hash, s.chainAlg()
				r.Hash = s.entryHash(r)
				head.Seq, head.Hash = r.Seq, r.Hash
			}
			for start := 0; start < len(rows); start += q.bulkRows() {
				if err := q.sealRows(rows[start:min(start+q.bulkRows(), len(rows))]); err != nil {
					return err
				}
			}
			return translate(q.g.Model(&auditHead{}).Where("id = ?", 1).
				Updates(map[string]any{"seq": head.Seq, "hash": head.Hash}).Error)
		})
		if err != nil {
			return all, err
		}
		all = append(all, rows...)
		if len(rows) < auditBatch {
			return all, nil
		}
	}
}

// sealRows writes the seals of pending entries rows in one statement
// (seq, prev_hash, hash and hash_alg by id); an entry no longer pending
// means another seal took it: the whole seal is refused.
func (q *Q) sealRows(rows []AuditEntry) error {
	var sb strings.Builder
	args := make([]any, 0, len(rows)*7+1)
	cases := func(col string, val func(*AuditEntry) any) {
		sb.WriteString(col + " = CASE id")
		for i := range rows {
			sb.WriteString(" WHEN ? THEN ?")
			args = append(args, rows[i].ID, val(&rows[i]))
		}
		sb.WriteString(" END")
	}
	sb.WriteString("UPDATE audit_log SET ")
	cases("seq", func(r *AuditEntry) any { return r.Seq })
	sb.WriteString(", ")
	cases("prev_hash", func(r *AuditEntry) any { return r.PrevHash })
	sb.WriteString(", ")
	cases("hash", func(r *AuditEntry) any { return r.Hash })
	sb.WriteString(", hash_alg = ? WHERE " + pendingAudit + " AND id IN ?")
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	args = append(args, rows[0].HashAlg, ids)
	res := q.g.Exec(sb.String(), args...)
	if res.Error != nil {
		return fmt.Errorf("store: seal audit entries: %w", translate(res.Error))
	}
	if res.RowsAffected != int64(len(rows)) {
		return fmt.Errorf("store: %d of %d audit entries were sealed twice: %w", int64(len(rows))-res.RowsAffected, len(rows), ErrStale)
	}
	return nil
}

// AppendAuditSealed appends entries to the audit log already sealed onto
// the chain: it locks the head, gives the entries the next seqs and their
// hashes in order, inserts them in multi-row statements and moves the
// head, all inside the caller's transaction: the head stays locked until
// that transaction ends, so keep it short after this call (bulk seeding,
// and the group commit of the pickup checks' entries, service.auditGrouped).
func (q *Q) AppendAuditSealed(es []AuditEntry) error {
	if !q.inTx {
		return ErrAuditNeedsTx
	}
	if len(es) == 0 {
		return nil
	}
	var head auditHead
	if err := q.forUpdate(q.g.Where("id = ?", 1)).Take(&head).Error; err != nil {
		return fmt.Errorf("store: read audit head: %w", translate(err))
	}
	for i := range es {
		e := &es[i]
		if err := e.normalise(); err != nil {
			return err
		}
		e.ID = 0 // a retried transaction inserts the entries afresh
		e.Seq, e.PrevHash, e.HashAlg = head.Seq+1, head.Hash, chainAlgOf(q.box)
		e.Hash = entryHashWith(q.box, e)
		head.Seq, head.Hash = e.Seq, e.Hash
	}
	if err := q.g.CreateInBatches(es, q.bulkRows()).Error; err != nil {
		return translate(err)
	}
	return translate(q.g.Model(&auditHead{}).Where("id = ?", 1).
		Updates(map[string]any{"seq": head.Seq, "hash": head.Hash}).Error)
}

// sealAppended seals the entries a committed transaction appended and tells
// them their place in the chain. The write they record has committed, so a
// failure here is not the caller's: the entries stay pending for the next
// seal. Seals run on contexts of their own, bounded by sealTimeout, since the
// caller's may end right after the commit.
func (s *Store) sealAppended(ctx context.Context, es []*AuditEntry) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sealTimeout)
	defer cancel()
	sealed, err := s.sealer.seal(s.sealAudit)
	if err != nil {
		return
	}
	byID := make(map[int64]*AuditEntry, len(sealed))
	for i := range sealed {
		byID[sealed[i].ID] = &sealed[i]
	}
	var missing []int64
	for _, e := range es {
		if byID[e.ID] == nil {
			missing = append(missing, e.ID)
		}
	}
	if len(missing) > 0 {
		// A seal that began before this one saw them first.
		var rows []AuditEntry
		if s.db.gorm.WithContext(ctx).Where("id IN ?", missing).Find(&rows).Error != nil {
			return
		}
		for i := range rows {
			byID[rows[i].ID] = &rows[i]
		}
	}
	for _, e := range es {
		if r := byID[e.ID]; r != nil && r.Seq > 0 {
			e.Seq, e.PrevHash, e.Hash, e.HashAlg = r.Seq, r.PrevHash, r.Hash, r.HashAlg
		}
	}
}

// auditSealer runs one seal at a time per Store and lets the writers that
// committed meanwhile share the next one: a writer waits for a seal that
// begins after its commit, and however many writers wait, one seal serves
// them all. Instances coordinate through the head row.
type auditSealer struct {
	mu      sync.Mutex
	running bool
	next    *sealCall // the seal that begins when the running one ends
}

// sealCall is one seal and its result, shared by the writers waiting on it.
type sealCall struct {
	done   chan struct{}
	sealed []AuditEntry
	err    error
}

// sealFunc is one seal of a store's pending entries.
type sealFunc func(ctx context.Context) ([]AuditEntry, error)

// seal waits for a run of fn that begins after the call and returns its
// result.
func (a *auditSealer) seal(fn sealFunc) ([]AuditEntry, error) {
	a.mu.Lock()
	c := a.next
	if c == nil {
		c = &sealCall{done: make(chan struct{})}
		a.next = c
	}
	if !a.running {
		a.running = true
		go a.drain(fn)
	}
	a.mu.Unlock()
	<-c.done
	return c.sealed, c.err
}

// drain runs the waiting seals one after another until none waits. The fn of
// the writer that started it serves them all: each is the same seal of the
// same store, each on a context of its own bounded by sealTimeout.
func (a *auditSealer) drain(fn sealFunc) {
	for {
		a.mu.Lock()
		c := a.next
		a.next = nil
		if c == nil {
			a.running = false
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), sealTimeout)
		c.sealed, c.err = fn(ctx)
		cancel()
		close(c.done)
	}
}
