package service_test

import (
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

func TestProbeDeferred(t *testing.T) {
	f := newFixture(t)
	tc := f.newCase(caseSpec{})
	t0 := time.Now()
	fn := func(id int) func() error {
		return func() error {
			return f.st.Tx(f.ctx, func(q *store.Q) error {
				t.Log(id, "begun", time.Since(t0))
				c, err := q.LockCaseByNo(tc.no)
				if err != nil {
					return err
				}
				t.Log(id, "read", c.Version, time.Since(t0))
				time.Sleep(50 * time.Millisecond)
				err = q.UpdateCase(&c)
				t.Log(id, "updated", err, time.Since(t0))
				return err
			})
		}
	}
	for range 3 {
		t.Log(race(fn(1), fn(2)))
	}
}
