package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

const deadlineKey = "idcard:deadline"

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
