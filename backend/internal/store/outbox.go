package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// OutboxMessage is a notification to deliver after the transaction that
// wrote it commits.
type OutboxMessage struct {
	ID            int64 `gorm:"primaryKey"`
	CaseID        *int64
	Channel       string // inapp, wechat, sms
	RecipientKind string // applicant, staff
	RecipientID   int64
	Template      string
	Payload       string // JSON
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LockedBy      *string
	LockedUntil   *time.Time
	LastError     *string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// TableName names the table.
func (OutboxMessage) TableName() string { return "outbox" }

// Enqueue writes messages to the outbox, due at at (the writer's clock, the
// same clock its workers claim by).
func (q *Q) Enqueue(at time.Time, ms ...*OutboxMessage) error {
	if len(ms) == 0 {
		return nil
	}
	t := Stored(at)
	for _, m := range ms {
		m.State, m.CreatedAt, m.NextAttemptAt = OutboxPending, t, t
	}
	return translate(q.g.Create(ms).Error)
}

// ClaimOutbox takes up to n messages due at at for worker, leasing them for lease:
// pending ones whose time has come, and sending ones whose lease ran out (a
// worker died). On MySQL the rows are selected FOR UPDATE SKIP LOCKED, so
// several instances claim disjoint sets; SQLite serialises the transaction.
func (s *Store) ClaimOutbox(ctx context.Context, at time.Time, worker string, n int, lease time.Duration) ([]OutboxMessage, error) {
	var claimed []OutboxMessage
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t := Stored(at)
		g := tx.Where("(state = ? AND next_attempt_at <= ?) OR (state = ? AND locked_until < ?)", OutboxPending, t, OutboxSending, t).
			Order("id").Limit(n)
		if s.db.dialect == MySQL {
			g = g.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsSkipLocked})
		}
		if err := g.Find(&claimed).Error; err != nil {
			return err
		}
		if len(claimed) == 0 {
			return nil
		}
		ids := make([]int64, len(claimed))
		for i, m := range claimed {
			ids[i] = m.ID
		}
		until := t.Add(lease)
		for i := range claimed {
			claimed[i].State, claimed[i].LockedBy, claimed[i].LockedUntil = OutboxSending, &worker, &until
			claimed[i].Attempts++
		}
		return tx.Model(&OutboxMessage{}).Where("id IN ?", ids).Updates(map[string]any{
			"state": OutboxSending, "locked_by": worker, "locked_until": until, "attempts": gorm.Expr("attempts + 1"),
		}).Error
	})
	return claimed, translate(err)
}

// MarkOutboxSent records delivery, only if worker still holds the lease.
func (q *Q) MarkOutboxSent(id int64, worker string) (bool, error) {
	t := now()
	res := q.g.Model(&OutboxMessage{}).Where("id = ? AND state = ? AND locked_by = ?", id, OutboxSending, worker).
		Updates(map[string]any{"state": OutboxSent, "sent_at": t, "locked_by": nil, "locked_until": nil})
	return res.RowsAffected == 1, translate(res.Error)
}

// MarkOutboxRetry records a failed attempt and when to try again; after
// giving up (next is zero) the message is failed for good.
func (q *Q) MarkOutboxRetry(id int64, worker, lastErr string, next time.Time) error {
	if len(lastErr) > 500 {
		lastErr = lastErr[:500]
	}
	upd := map[string]any{"state": OutboxPending, "next_attempt_at": next, "last_error": lastErr, "locked_by": nil, "locked_until": nil}
	if next.IsZero() {
		upd["state"], upd["next_attempt_at"] = OutboxFailed, now()
	}
	return translate(q.g.Model(&OutboxMessage{}).Where("id = ? AND locked_by = ?", id, worker).Updates(upd).Error)
}

// OutboxOfCase lists a case's messages (tests and the staff case page).
func (q *Q) OutboxOfCase(caseID int64) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := q.g.Where("case_id = ?", caseID).Order("id").Find(&out).Error
	return out, translate(err)
}

// CountOutbox counts messages in a state.
func (q *Q) CountOutbox(state string) (int64, error) {
	var n int64
	err := q.g.Model(&OutboxMessage{}).Where("state = ?", state).Count(&n).Error
	return n, translate(err)
}
