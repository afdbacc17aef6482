package store

import (
	"context"
	"errors"
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
)

// Store is the repository root: it reads and writes every table, encrypting
// and decrypting personal data on the way through.
type Store struct {
	db  *DB
	box *pii.Box
}

// New returns a Store on db; box seals personal data.
func New(db *DB, box *pii.Box) *Store { return &Store{db: db, box: box} }

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
}

// Q returns a handle outside any transaction.
func (s *Store) Q(ctx context.Context) *Q {
	return &Q{g: s.db.gorm.WithContext(ctx), box: s.box, dialect: s.db.dialect}
}

// Tx runs fn in one transaction: it commits when fn returns nil and rolls
// everything back otherwise, so nothing half-written stays behind.
//
// A MySQL deadlock or lock-wait timeout rolls the whole transaction back; it
// is then run again, up to three times, since fn has written nothing.
func (s *Store) Tx(ctx context.Context, fn func(q *Q) error) error {
	for attempt := 1; ; attempt++ {
		err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return fn(&Q{g: tx, box: s.box, dialect: s.db.dialect, inTx: true})
		})
		if attempt < 3 && retryable(err) {
			continue
		}
		return err
	}
}

// retryable reports a MySQL deadlock (1213) or lock-wait timeout (1205).
func retryable(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
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

// now is the database time of a write: UTC to the microsecond, like the columns.
func now() time.Time { return storeTime(time.Now()) }

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
