package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// sqliteErr stands for the SQLite driver's error, which reports its result
// code through Code.
type sqliteErr int

func (e sqliteErr) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e sqliteErr) Code() int     { return int(e) }

// TestRetryable: only failures that rolled the whole transaction back are
// run again; a duplicate key or a plain error is the caller's answer.
func TestRetryable(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"Deadlock", &mysql.MySQLError{Number: 1213}, true},
		{"LockWaitTimeout", fmt.Errorf("wrapped: %w", &mysql.MySQLError{Number: 1205}), true},
		{"Duplicate", &mysql.MySQLError{Number: 1062}, false},
		{"SQLiteBusy", sqliteErr(5), true},
		{"SQLiteBusySnapshot", sqliteErr(517), true},
		{"SQLiteLocked", sqliteErr(6), true},
		{"SQLiteConstraint", sqliteErr(2067), false},
		{"Plain", errors.New("boom"), false},
		{"Nil", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryable(tt.err); got != tt.want {
				t.Fatalf("retryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestRetryDelay: every pause lies in [d/2, d) of its doubling step, and
// the steps stop growing at the bound.
func TestRetryDelay(t *testing.T) {
	for attempt := 1; attempt <= 40; attempt++ {
		d := min(txBackoffBase<<min(attempt-1, 15), txBackoffMax)
		for range 50 {
			if got := retryDelay(attempt); got < d/2 || got >= d {
				t.Fatalf("attempt %d: pause %v outside [%v, %v)", attempt, got, d/2, d)
			}
		}
	}
}

// TestPauseRespectsContext: no pause outlives the caller's deadline or a
// cancelled context; the retry gives up instead.
func TestPauseRespectsContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if pause(ctx, 2*time.Hour) {
		t.Fatal("a pause past the deadline ran")
	}
	cancelled, stop := context.WithCancel(context.Background())
	stop()
	if pause(cancelled, time.Hour) {
		t.Fatal("a pause on a cancelled context ran")
	}
	if !pause(context.Background(), time.Microsecond) {
		t.Fatal("a pause within no deadline did not run")
	}
}
