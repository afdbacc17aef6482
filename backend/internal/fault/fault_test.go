package fault_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/fault"
)

// TestClassify: dependency faults are UNAVAILABLE however deeply wrapped,
// also under an INTERNAL wrap; rule errors keep their code; anything else
// is INTERNAL.
func TestClassify(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{}}
	for _, tc := range []struct {
		name string
		err  error
		want domain.Code
	}{
		{"Nil", nil, ""},
		{"Deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), domain.CodeUnavailable},
		{"Refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), domain.CodeUnavailable},
		{"Reset", syscall.ECONNRESET, domain.CodeUnavailable},
		{"NetError", refused, domain.CodeUnavailable},
		{"InvalidConn", mysql.ErrInvalidConn, domain.CodeUnavailable},
		{"TooManyConnections", &mysql.MySQLError{Number: 1040, Message: "Too many connections"}, domain.CodeUnavailable},
		{"LockWait", &mysql.MySQLError{Number: 1205}, domain.CodeUnavailable},
		{"SyntaxError", &mysql.MySQLError{Number: 1064}, domain.CodeInternal},
		{"RedisPool", redis.ErrPoolTimeout, domain.CodeUnavailable},
		{"InternalWrapsFault", domain.Wrap(domain.CodeInternal, syscall.ECONNRESET), domain.CodeUnavailable},
		{"RuleError", domain.E(domain.CodeNotFound), domain.CodeNotFound},
		{"RateLimited", domain.RateLimited(1), domain.CodeRateLimited},
		{"Bug", errors.New("nil map"), domain.CodeInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.ErrorCode(fault.Classify(tc.err)); got != tc.want {
				t.Fatalf("Classify(%v) = %s, want %s", tc.err, got, tc.want)
			}
		})
	}
}
