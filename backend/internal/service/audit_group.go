package service

import (
	"context"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

// auditGroupTimeout bounds the write of one group of entries, and
// auditGroupMax its size (entries beyond it go in the next transaction).
const (
	auditGroupTimeout = 10 * time.Second
	auditGroupMax     = 500
)

// auditGroups gathers the audit entries of reads that change nothing else
// (pickup checks) into shared transactions: a group commit.
type auditGroups struct {
	mu       sync.Mutex
	pending  []groupedAudit
	flushing bool
}

type groupedAudit struct {
	e    store.AuditEntry
	done chan error
}

// auditGrouped writes e in one transaction with the entries of the other
// checks waiting at that moment, sealed onto the chain in that same
// transaction, and returns once it is committed (or the write failed, or
// ctx ended): the caller answers only what has been audited, while many
// checks at once cost one commit and one seal instead of one each.
func (s *Service) auditGrouped(ctx context.Context, e store.AuditEntry) error {
	g := &s.auditGroup
	done := make(chan error, 1)
	g.mu.Lock()
	g.pending = append(g.pending, groupedAudit{e: e, done: done})
	start := !g.flushing
	g.flushing = true
	g.mu.Unlock()
	if start {
		go s.flushAuditGroups()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flushAuditGroups writes the waiting entries, a group at a time, until
// none is left; each waiting caller hears how its group went.
func (s *Service) flushAuditGroups() {
	g := &s.auditGroup
	for {
		g.mu.Lock()
		n := min(len(g.pending), auditGroupMax)
		if n == 0 {
			g.flushing = false
			g.mu.Unlock()
			return
		}
		batch := append([]groupedAudit(nil), g.pending[:n]...)
		g.pending = g.pending[n:]
		g.mu.Unlock()
		es := make([]store.AuditEntry, len(batch))
		for i, b := range batch {
			es[i] = b.e
		}
		ctx, cancel := context.WithTimeout(context.Background(), auditGroupTimeout)
		// The group is sealed onto the chain in its own transaction: one
		// commit makes it durable and chained, with the head locked only
		// from the seal to that commit.
		err := s.st.Tx(ctx, func(q *store.Q) error { return q.AppendAuditSealed(es) })
		cancel()
		for _, b := range batch {
			b.done <- err
		}
	}
}
