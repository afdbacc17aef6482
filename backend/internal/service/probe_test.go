package service_test

import (
	"database/sql"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

func TestProbeRace(t *testing.T) {
	f := newFixture(t)
	dist := map[domain.Code]int{}
	var conns []*sql.Conn
	for range 6 {
		c, err := f.db.SQL().Conn(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Close()
	}
	t.Log(f.db.SQL().Stats().Idle)
	for range 40 {
		tc := f.newCase(caseSpec{})
		errs := race(
			func() error { _, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true}); return err },
			func() error { _, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true}); return err },
		)
		for _, e := range errs {
			dist[domain.ErrorCode(e)]++
		}
	}
	t.Log(dist)
}
