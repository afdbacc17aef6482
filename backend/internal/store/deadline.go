package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

const deadlineKey = "idcard:deadline"

// unboundedKey marks a context whose statements run without the per-call
// deadline.
type unboundedKey struct{}

// Unbounded returns ctx marked for work that is not a request and may take
// long by design (the demo data seeded at a first start): its statements
// and transactions skip the per-call deadline, bounded by ctx alone.
func Unbounded(ctx context.Context) context.Context {
	return context.WithValue(ctx, unboundedKey{}, true)
}

func unbounded(ctx context.Context) bool {
	b, _ := ctx.Value(unboundedKey{}).(bool)
	return b
}

// deadlineCall is what one statement's deadline keeps until it ends: the
// caller's context (put back afterwards, so a reused chain never inherits
// a spent one) and the cancel of the bounded one.
type deadlineCall struct {
	parent context.Context
	cancel context.CancelFunc
}

// useDeadlines bounds every statement GORM runs by d: each gets its own
// context with that timeout, whatever the caller's context allows, so a
// hung or slow server fails the call instead of the request hanging. A
// call that fails after its deadline passed carries context.DeadlineExceeded
// in its error, whatever the driver said, so fault.Classify reads it as
// UNAVAILABLE. d <= 0 leaves calls unbounded (tests that time nothing).
func useDeadlines(g *gorm.DB, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	begin := func(db *gorm.DB) {
		parent := db.Statement.Context
		if parent == nil {
			parent = context.Background()
		}
		if unbounded(parent) {
			return
		}
		ctx, cancel := context.WithTimeout(parent, d)
		db.Statement.Context = ctx
		db.InstanceSet(deadlineKey, deadlineCall{parent: parent, cancel: cancel})
	}
	end := func(rows bool) func(db *gorm.DB) {
		return func(db *gorm.DB) {
			v, ok := db.InstanceGet(deadlineKey)
			if !ok {
				return
			}
			call := v.(deadlineCall)
			if err := db.Statement.Context.Err(); err != nil && db.Error != nil && !errors.Is(db.Error, err) {
				db.Error = fmt.Errorf("%w (%w)", db.Error, err)
			}
			db.Statement.Context = call.parent
			// Rows and Row hand their result set to the caller, who reads
			// it after the callbacks: cancelling now would close it. Their
			// context ends with its timer instead.
			if !rows {
				call.cancel()
			}
		}
	}
	cb := g.Callback()
	var errs []error
	reg := func(name string, before, after interface {
		Register(string, func(*gorm.DB)) error
	}, rows bool) {
		errs = append(errs, before.Register(deadlineKey+":begin:"+name, begin), after.Register(deadlineKey+":end:"+name, end(rows)))
	}
	reg("create", cb.Create().Before("*"), cb.Create().After("*"), false)
	reg("query", cb.Query().Before("*"), cb.Query().After("*"), false)
	reg("update", cb.Update().Before("*"), cb.Update().After("*"), false)
	reg("delete", cb.Delete().Before("*"), cb.Delete().After("*"), false)
	reg("raw", cb.Raw().Before("*"), cb.Raw().After("*"), false)
	reg("row", cb.Row().Before("*"), cb.Row().After("*"), true)
	return errors.Join(errs...)
}

// boundedConnector gives each new connection (dial, TLS and handshake) at
// most d, whatever the caller's context allows: a transaction's BEGIN
// opens connections under the caller's own context, and a server that
// accepts but never answers must not hold it.
type boundedConnector struct {
	driver.Connector
	d time.Duration
}

// Connect opens one connection within the bound.
func (b boundedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if b.d <= 0 {
		return b.Connector.Connect(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, b.d)
	defer cancel()
	return b.Connector.Connect(ctx)
}

// boundedPool is the pool GORM runs on: the database's own, except that
// BEGIN (the wait for a free connection, a new connection, and the BEGIN
// itself) gets at most d. database/sql ties a transaction to the context
// it began with, so the bound is a timer that cancels that context only if
// BEGIN has not returned in time; a transaction that began keeps the
// caller's context, its statements bounded by useDeadlines.
type boundedPool struct {
	*sql.DB
	d time.Duration
}

// GetDBConn gives GORM the database underneath (gorm.GetDBConnector).
func (p *boundedPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

// BeginTx begins a transaction within the bound (gorm.ConnPoolBeginner).
func (p *boundedPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if p.d <= 0 || unbounded(ctx) {
		return p.DB.BeginTx(ctx, opts)
	}
	ctx, cancel := context.WithCancel(ctx)
	timer := time.AfterFunc(p.d, cancel)
	tx, err := p.DB.BeginTx(ctx, opts)
	if !timer.Stop() {
		if err == nil {
			_ = tx.Rollback()
		}
		cancel()
		return nil, fmt.Errorf("begin: %w", context.DeadlineExceeded)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	return &boundedTx{Tx: tx, cancel: cancel}, nil
}

// boundedTx is a transaction of boundedPool; ending it releases its context.
type boundedTx struct {
	*sql.Tx
	cancel context.CancelFunc
}

// Commit commits and releases the context.
func (t *boundedTx) Commit() error {
	defer t.cancel()
	return t.Tx.Commit()
}

// Rollback rolls back and releases the context.
func (t *boundedTx) Rollback() error {
	defer t.cancel()
	return t.Tx.Rollback()
}
