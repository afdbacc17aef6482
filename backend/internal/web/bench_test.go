package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// fetch GETs a page and fails b unless it answers 200 with mustContain.
func fetch(b *testing.B, c *webtest.Client, path, mustContain string) {
	if r := c.Get(path); r.Status != 200 || !strings.Contains(r.Text(), mustContain) {
		b.Fatalf("GET %s: %d", path, r.Status)
	}
}

// BenchmarkStaffPages renders one page of the case list and the supervisor
// dashboard over 20,000 demo cases (the demo data of `idcard seed --cases
// 20000`), and a bare /healthz round trip on the same server as the
// baseline; it reports each page's time as a ratio of the baseline. Run
// with `make bench` (go test -run '^$' -bench StaffPages ./backend/internal/web/).
func BenchmarkStaffPages(b *testing.B) {
	env := webtest.StartWith(b, webtest.Options{Persons: 10000, Cases: 20000})
	sup := webtest.StaffPages(b, env, "supervisor")
	station := webtest.StaffPages(b, env, "station-520102")
	var base time.Duration
	b.Run("baseline_healthz", func(b *testing.B) {
		start := time.Now()
		for b.Loop() {
			fetch(b, sup, "/healthz", "ok")
		}
		base = time.Since(start) / time.Duration(b.N)
	})
	pages := []struct {
		name string
		c    *webtest.Client
		path string
		mark string
	}{
		{"case_list_province", sup, "/staff/cases", "GZ"},
		{"case_list_overdue", sup, "/staff/cases?overdue=1", "GZ"},
		{"case_list_station_queue", station, "/staff/cases?status=submitted&order=due", "办件"},
		{"dashboard_province", sup, "/staff/dashboard", "统计"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			start := time.Now()
			for b.Loop() {
				fetch(b, p.c, p.path, p.mark)
			}
			per := time.Since(start) / time.Duration(b.N)
			b.ReportMetric(float64(per.Microseconds())/1000, "ms/page")
			if base > 0 {
				b.ReportMetric(float64(per)/float64(base), "x_baseline")
				b.Logf("%s: %v per page, %.1fx the /healthz baseline (%v)", p.name, per, float64(per)/float64(base), base)
			}
		})
	}
}
