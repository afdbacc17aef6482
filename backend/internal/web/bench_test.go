package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// benchClient signs a staff member in through the login form.
func benchClient(b *testing.B, base, user string) *http.Client {
	b.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := c.PostForm(base+"/staff/login", url.Values{"username": {user}, "password": {"demo1234"}, "next": {"/staff/"}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasSuffix(resp.Request.URL.Path, "/staff/") {
		b.Fatalf("login as %s ended at %s", user, resp.Request.URL)
	}
	return c
}

func fetch(b *testing.B, c *http.Client, u, mustContain string) {
	resp, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), mustContain) {
		b.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
}

// BenchmarkStaffPages renders one page of the case list and the supervisor
// dashboard over 20,000 demo cases (the demo data of `idcard seed --cases
// 20000`), and a bare /healthz round trip on the same server as the
// baseline; it reports each page's time as a ratio of the baseline. Run
// with `make bench` (go test -run '^$' -bench StaffPages ./backend/internal/web/).
func BenchmarkStaffPages(b *testing.B) {
	env := webtest.StartWith(b, webtest.Options{Persons: 10000, Cases: 20000})
	sup := benchClient(b, env.URL, "supervisor")
	station := benchClient(b, env.URL, "station-520102")
	var base time.Duration
	b.Run("baseline_healthz", func(b *testing.B) {
		start := time.Now()
		for b.Loop() {
			fetch(b, sup, env.URL+"/healthz", "ok")
		}
		base = time.Since(start) / time.Duration(b.N)
	})
	pages := []struct {
		name string
		c    *http.Client
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
				fetch(b, p.c, env.URL+p.path, p.mark)
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
