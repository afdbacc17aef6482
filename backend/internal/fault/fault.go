// Package fault tells a dependency fault from a bug: the database or Redis
// down, hung, too slow or overloaded is UNAVAILABLE (503, openapi.yaml), anything
// else unexpected is INTERNAL (500). It is the one place that knows which
// driver, network and deadline errors mean "try again later", so the
// service, sign-in and the HTTP layer map them alike.
package fault

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"syscall"

	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Unavailable reports whether err says a dependency did not answer in time
// or not at all: a passed deadline, a refused, reset or broken connection, a
// pool that had no connection to give, or a server that is starting,
// stopping, read-only or out of connections.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, mysql.ErrInvalidConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed),
		errors.Is(err, redis.ErrPoolTimeout), errors.Is(err, redis.ErrClosed):
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return mysqlUnavailable(me.Number)
	}
	for _, p := range []string{"LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY", "max number of clients"} {
		if redis.HasErrorPrefix(err, p) {
			return true
		}
	}
	return false
}

// mysqlUnavailable reports the server errors that are load or an outage,
// not a wrong statement: too many connections (1040, 1203), shutting down
// (1053), lock wait timeout (1205) and deadlock (1213) left after the
// retries, a killed or interrupted query (1317, 1927), a statement over
// max_statement_time (1969, 3024), read-only (1290, 1836) and a connection
// closed for being idle (4031).
func mysqlUnavailable(n uint16) bool {
	switch n {
	case 1040, 1203, 1053, 1205, 1213, 1317, 1927, 1969, 3024, 1290, 1836, 4031:
		return true
	}
	return false
}

// Classify returns the coded error callers see for err: err's own coded
// error (a *domain.Error or RATE_LIMITED) when it has one, UNAVAILABLE for a
// dependency fault (also when an INTERNAL error wraps one), INTERNAL for
// anything else, and nil for nil. The cause stays in the chain for the log.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	ce := domain.Coded(err)
	if ce != nil && domain.ErrorCode(ce) != domain.CodeInternal {
		return ce
	}
	if Unavailable(err) {
		return domain.Wrap(domain.CodeUnavailable, err)
	}
	if ce != nil {
		return ce
	}
	return domain.Wrap(domain.CodeInternal, err)
}

// Log classifies err as Classify does and logs an error that had no code
// yet: a dependency fault as a warning (an outage to watch, not a bug),
// anything else as an error. msg and op name the place.
func Log(ctx context.Context, log *slog.Logger, msg, op string, err error) error {
	ce := Classify(err)
	if domain.Coded(err) != nil {
		return ce
	}
	if domain.ErrorCode(ce) == domain.CodeUnavailable {
		log.WarnContext(ctx, msg+": dependency unavailable", "op", op, "error", err)
	} else {
		log.ErrorContext(ctx, msg, "op", op, "error", err)
	}
	return ce
}
