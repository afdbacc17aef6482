package store

import (
	"fmt"
	"strings"
)

// Bulk writes of the seeding path (demo.Cases): many rows per statement,
// in the caller's transaction.

// bulkRows is how many rows one multi-row statement carries: SQLite's
// driver binds each parameter in time that grows with their number, so it
// gets short statements.
func (q *Q) bulkRows() int {
	if q.dialect == SQLite {
		return 50
	}
	return 500
}

// InsertOutboxRows inserts outbox rows as they are (bulk seeding of
// messages already delivered).
func (q *Q) InsertOutboxRows(ms []OutboxMessage) error {
	if len(ms) == 0 {
		return nil
	}
	return translate(q.g.CreateInBatches(ms, q.bulkRows()).Error)
}

// execUpsertAdd runs upsertAdd over rows (each the values of cols then
// add), bulkRows rows per statement.
func (q *Q) execUpsertAdd(table string, cols, add []string, rows [][]any) error {
	width := len(cols) + len(add)
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	for start := 0; start < len(rows); start += q.bulkRows() {
		part := rows[start:min(start+q.bulkRows(), len(rows))]
		args := make([]any, 0, len(part)*width)
		for _, r := range part {
			args = append(args, r...)
		}
		sql := q.upsertAdd(table, cols, add, len(part), one)
		if err := q.g.Exec(sql, args...).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// AppendAudits is AppendAudit for many entries, in multi-row statements.
func (q *Q) AppendAudits(es []AuditEntry) error {
	if !q.inTx {
		return ErrAuditNeedsTx
	}
	for i := range es {
		e := &es[i]
		if err := e.normalise(); err != nil {
			return err
		}
		e.ID, e.Seq, e.PrevHash, e.Hash = 0, pendingSeq(), "", ""
	}
	if err := q.g.CreateInBatches(es, q.bulkRows()).Error; err != nil {
		return fmt.Errorf("store: append audit entries: %w", translate(err))
	}
	for i := range es {
		q.audits = append(q.audits, &es[i])
	}
	return nil
}
