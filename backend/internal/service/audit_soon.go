package service

import (
	"context"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

// auditSoonDelay is how long auditSoon gathers entries before it writes
// them: the checks of that moment share one transaction and one seal of
// the chain.
const auditSoonDelay = 50 * time.Millisecond

// auditSoonTimeout bounds the write of one gathered batch, and
// auditSoonBatch its size (entries that wait beyond it go in the next
// transaction, at once).
const (
	auditSoonTimeout = 10 * time.Second
	auditSoonBatch   = 500
)

// soonAudits holds the entries auditSoon has not written yet.
type soonAudits struct {
	mu       sync.Mutex
	pending  []store.AuditEntry
	flushing bool
}

// auditSoon audits a read that changes nothing else (a pickup check): the
// entry, timed now, is written with the others of the next moment in one
// transaction by a goroutine that lives only while entries wait. A failed
// write is logged.
func (s *Service) auditSoon(e store.AuditEntry) {
	b := &s.soon
	b.mu.Lock()
	b.pending = append(b.pending, e)
	start := !b.flushing
	b.flushing = true
	b.mu.Unlock()
	if start {
		go s.flushAudits()
	}
}

// flushAudits writes the waiting entries until none is left.
func (s *Service) flushAudits() {
	b := &s.soon
	time.Sleep(auditSoonDelay)
	for {
		b.mu.Lock()
		n := min(len(b.pending), auditSoonBatch)
		es := append([]store.AuditEntry(nil), b.pending[:n]...)
		b.pending = b.pending[n:]
		if n == 0 {
			b.flushing = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), auditSoonTimeout)
		err := s.st.Tx(ctx, func(q *store.Q) error {
			return q.AppendAudits(append([]store.AuditEntry(nil), es...))
		})
		cancel()
		if err != nil {
			s.log.Error("audit of pickup checks failed", "entries", len(es), "error", err)
		}
		if n < auditSoonBatch {
			time.Sleep(auditSoonDelay)
		}
	}
}
