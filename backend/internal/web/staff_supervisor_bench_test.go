package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// BenchmarkDashboard renders /staff/dashboard over 20,000 demo cases (about
// 100,000 timeline events), through HTTP with a signed-in session, and
// reports each time as a ratio to a bare SELECT COUNT(*) FROM cases measured
// in the same run on the same database: the machine's speed cancels out.
// It asserts no timing. Run it with
//
//	go test -run '^$' -bench BenchmarkDashboard -benchtime 2s ./backend/internal/web/
//
// Sub-benchmarks: baseline (the count); province and prefecture-5201. There
// is no cache to warm: every render reads the maintained aggregates
// (case_counts, case_flows) and the overdue range, so each render is a cold
// one.
func BenchmarkDashboard(b *testing.B) {
	env := webtest.StartWith(b, webtest.Options{Persons: 20000, Cases: 20000})
	ctx := context.Background()
	db := env.Store.DB().SQL()
	province := webtest.StaffPages(b, env, "supervisor")
	prefecture := webtest.StaffPages(b, env, "supervisor-5201")
	render := func(c *webtest.Client) func() {
		return func() {
			if st := c.Get("/staff/dashboard").Status; st != http.StatusOK {
				b.Fatalf("dashboard: %d", st)
			}
		}
	}
	count := func() {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&n); err != nil || n < 20000 {
			b.Fatalf("count: %d %v", n, err)
		}
	}
	render(province)()
	render(prefecture)()
	var baseline time.Duration
	for _, bc := range []struct {
		name string
		run  func()
	}{
		{"baseline", count},
		{"province", render(province)},
		{"prefecture-5201", render(prefecture)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bc.run()
			}
			per := b.Elapsed() / time.Duration(b.N)
			if bc.name == "baseline" {
				baseline = per
			}
			b.ReportMetric(float64(per)/float64(baseline), "x-baseline")
			b.ReportMetric(float64(per)/float64(time.Millisecond), "ms/op")
		})
	}
	b.Logf("baseline SELECT COUNT(*) FROM cases: %s", baseline)
}
