package store

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Outbox states. A dead message ("dead letter") was given up on: its
// retries ran out or its channel refused it for good; only an admin's retry
// brings it back. A skipped one was not sent and never will be (the
// recipient gave no consent for the channel).
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxDead    = "dead"
	OutboxSkipped = "skipped"
)

// OutboxStates lists the states in the order the admin's page shows them.
func OutboxStates() []string {
	return []string{OutboxPending, OutboxSending, OutboxSent, OutboxSkipped, OutboxDead}
}

// Outcomes of one delivery attempt (outbox_attempts.outcome): sent; failed,
// to be tried again; dead, given up on; skipped, not to be sent.
const (
	AttemptSent    = "sent"
	AttemptFailed  = "failed"
	AttemptDead    = "dead"
	AttemptSkipped = "skipped"
)

// attemptErrorMax is the length of outbox.last_error and outbox_attempts.error.
const attemptErrorMax = 500

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
	DeadAt        *time.Time
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

// OutboxAttempt is one try at delivering an outbox message, kept when the
// message is retried, dead or sent.
type OutboxAttempt struct {
	ID         int64 `gorm:"primaryKey"`
	OutboxID   int64
	Attempt    int
	Worker     string
	StartedAt  time.Time
	FinishedAt time.Time
	Outcome    string
	Error      *string
}

// TableName names the table.
func (OutboxAttempt) TableName() string { return "outbox_attempts" }

// OutboxResult is how worker's attempt at a claimed message ended.
type OutboxResult struct {
	Worker     string
	Attempt    int // the message's Attempts as claimed
	StartedAt  time.Time
	FinishedAt time.Time
	Outcome    string    // AttemptSent, AttemptFailed, AttemptDead or AttemptSkipped
	Error      string    // "" for none; already free of personal data
	Next       time.Time // AttemptFailed: when to try again
}

// FinishOutbox records an attempt at message id and moves the message on
// by its outcome: sent, pending again at r.Next, dead or skipped. The
// attempt is always recorded (the send happened); the message moves only if
// r.Worker still holds its lease, which the bool reports. Run it in the
// transaction that did the attempt's own writes.
func (q *Q) FinishOutbox(id int64, r OutboxResult) (bool, error) {
	a := OutboxAttempt{OutboxID: id, Attempt: r.Attempt, Worker: r.Worker, StartedAt: Stored(r.StartedAt),
		FinishedAt: Stored(r.FinishedAt), Outcome: r.Outcome}
	if r.Error != "" {
		e := truncateRunes(r.Error, attemptErrorMax)
		a.Error = &e
	}
	if err := q.g.Create(&a).Error; err != nil {
		return false, translate(err)
	}
	upd := map[string]any{"locked_by": nil, "locked_until": nil}
	if a.Error != nil {
		upd["last_error"] = *a.Error
	}
	switch r.Outcome {
	case AttemptSent:
		upd["state"], upd["sent_at"] = OutboxSent, a.FinishedAt
	case AttemptFailed:
		upd["state"], upd["next_attempt_at"] = OutboxPending, Stored(r.Next)
	case AttemptDead:
		upd["state"], upd["dead_at"] = OutboxDead, a.FinishedAt
	case AttemptSkipped:
		upd["state"] = OutboxSkipped
	default:
		return false, fmt.Errorf("outbox attempt outcome %q", r.Outcome)
	}
	res := q.g.Model(&OutboxMessage{}).Where("id = ? AND state = ? AND locked_by = ?", id, OutboxSending, r.Worker).Updates(upd)
	return res.RowsAffected == 1, translate(res.Error)
}

// truncateRunes cuts s to at most n characters, never inside one.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
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
