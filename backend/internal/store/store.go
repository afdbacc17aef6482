package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gzga/idcard/backend/internal/pii"
)

// Errors the repositories return; the service layer turns them into codes.
var (
	ErrNotFound  = errors.New("store: not found")
	ErrDuplicate = errors.New("store: duplicate key")
	ErrStale     = errors.New("store: stale version")
	// ErrOpenCaseExists means the person already has an open case: the
	// unique active_person_id refused a second one.
	ErrOpenCaseExists = errors.New("store: the person already has an open case")
)

// Store is the repository root: it reads and writes every table, encrypting
// and decrypting personal data on the way through.
type Store struct {
	db     *DB
	box    *pii.Box
	sealer *auditSealer
}

// New returns a Store on db; box seals personal data.
func New(db *DB, box *pii.Box) *Store { return &Store{db: db, box: box, sealer: &auditSealer{}} }

// DB returns the opened database.
func (s *Store) DB() *DB { return s.db }

// Box returns the personal-data box.
func (s *Store) Box() *pii.Box { return s.box }

// Q is a query handle: the repositories' methods hang off it, so the same
// method runs inside or outside a transaction.
type Q struct {
	g       *gorm.DB
	box     *pii.Box
	dialect Dialect
	inTx    bool
	audits  []*AuditEntry // appended in this transaction, to seal after the commit
}

// Q returns a handle outside any transaction.
func (s *Store) Q(ctx context.Context) *Q {
	return &Q{g: s.db.gorm.WithContext(ctx), box: s.box, dialect: s.db.dialect}
}

// Tx runs fn in one transaction: it commits when fn returns nil and rolls
// everything back otherwise, so nothing half-written stays behind. The audit
// entries fn appended are sealed onto the chain after the commit.
//
// A serialisation failure (a MySQL deadlock or lock-wait timeout, SQLite
// busy) rolls the whole transaction back; it is then run again after a
// jittered, exponentially growing pause, up to txAttempts times in all and
// never past ctx's deadline, since fn has written nothing. fn must therefore
// set everything it hands out afresh on every run.
func (s *Store) Tx(ctx context.Context, fn func(q *Q) error) error {
	for attempt := 1; ; attempt++ {
		var q *Q
		err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			q = &Q{g: tx, box: s.box, dialect: s.db.dialect, inTx: true}
			return fn(q)
		})
		if err == nil && len(q.audits) > 0 {
			s.sealAppended(ctx, q.audits)
		}
		if attempt >= txAttempts || !retryable(err) || !pause(ctx, retryDelay(attempt)) {
			return err
		}
	}
}

// Bounds of Tx's retries: the pause before attempt n+1 is drawn from
// [d/2, d) with d = txBackoffBase·2^(n-1), at most txBackoffMax. Eight runs
// wait about a second in all: long enough for a burst of contenders to pass,
// short enough to answer well inside a request's deadline.
const (
	txAttempts    = 8
	txBackoffBase = 4 * time.Millisecond
	txBackoffMax  = 250 * time.Millisecond
)

// retryDelay is the jittered pause after the attempt-th failed run. The
// jitter spreads contenders that failed together, so they do not collide
// again on the same beat.
func retryDelay(attempt int) time.Duration {
	d := txBackoffMax
	if attempt < 16 {
		d = min(txBackoffBase<<(attempt-1), txBackoffMax)
	}
	return d/2 + rand.N(d/2)
}

// pause waits d unless ctx ends first or its deadline falls within d; it
// reports whether the wait ran its course.
func pause(ctx context.Context, d time.Duration) bool {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// retryable reports a serialisation failure whose transaction was rolled
// back whole: a MySQL deadlock (1213) or lock-wait timeout (1205), or SQLite
// busy or locked (primary result codes 5 and 6).
func retryable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205
	}
	var se interface{ Code() int }
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == 5 || c == 6
	}
	return false
}

// forUpdate locks the selected rows until the transaction ends. SQLite has no
// row locks: its transactions take the write lock at BEGIN (_txlock=immediate),
// which serialises writers just as well.
func (q *Q) forUpdate(g *gorm.DB) *gorm.DB {
	if q.dialect == MySQL && q.inTx {
		return g.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	return g
}

// forShare makes a raw SELECT a shared locking read on MySQL inside a
// transaction: it sees the newest committed rows, not the transaction's
// snapshot, and keeps them until the end. (MariaDB knows no FOR SHARE, so the
// older spelling; SQLite's transactions already see the newest rows.)
func (q *Q) forShare(query string) string {
	if q.dialect == MySQL && q.inTx {
		return query + " LOCK IN SHARE MODE"
	}
	return query
}

// now is the database time of a write: UTC to the microsecond, like the columns.
func now() time.Time { return Stored(time.Now()) }

// translate maps driver errors to the package's sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrDuplicate
	}
	return err
}

// DateOf returns the civil date of t in loc as midnight UTC: the form DATE
// columns hold in both dialects.
func DateOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Ctx is the context q's statements run under.
func (q *Q) Ctx() context.Context { return q.g.Statement.Context }
