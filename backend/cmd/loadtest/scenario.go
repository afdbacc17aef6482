package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"text/tabwriter"
	"time"
)

// latencyCalls is how many calls a latency path makes, latencyConns at once.
const (
	latencyCalls = 300
	latencyConns = 4
)

// measure drives every path of issue 14's table and prints it.
func measure(ctx context.Context, c *client, o options, product, baseline string, w world) error {
	fmt.Printf("data: %d cases; throughput paths: %d connections for %s each; latency paths: %d calls, %d at once\n",
		o.cases, o.conns, o.duration, latencyCalls, latencyConns)
	get := func(url, token string) func(int64) request {
		return func(int64) request { return request{method: "GET", url: url, token: token} }
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "path\tmeasured\tgoal\tmet")
	row := func(path, measured, goal string, met bool, r result) {
		mark := "yes"
		if !met {
			mark = "NO"
		}
		if r.errs > 0 {
			mark += fmt.Sprintf(" (%d errors: %v)", r.errs, r.firstErr)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", path, measured, goal, mark)
	}
	// Warm both servers and their pools, then the baseline.
	c.drive(ctx, o.conns, time.Second, 0, 200, get(baseline+"/baseline", ""))
	c.drive(ctx, o.conns, time.Second, 0, 200, get(product+"/api/v1/cases", w.applicant))
	base := c.drive(ctx, o.conns, o.duration, 0, 200, get(baseline+"/baseline", ""))
	row("baseline: Gin + one indexed query", fmt.Sprintf("%.0f req/s (p50 %s, p95 %s)", base.rate(), ms(base.quantile(.5)), ms(base.quantile(.95))), "", true, base)

	mine := c.drive(ctx, o.conns, o.duration, 0, 200, get(product+"/api/v1/cases", w.applicant))
	ratio := mine.rate() / base.rate()
	row("GET /api/v1/cases (我的办件)", fmt.Sprintf("%.0f req/s = %.2f× baseline (p95 %s)", mine.rate(), ratio, ms(mine.quantile(.95))), "≥ 0.5×", ratio >= 0.5, mine)

	verify := c.drive(ctx, o.conns, o.duration, 0, 200, func(int64) request {
		return request{method: "POST", url: product + "/api/v1/staff/pickup/verify", token: w.station, body: map[string]string{"token": w.pickupToken}}
	})
	row("POST /api/v1/staff/pickup/verify", fmt.Sprintf("%.0f req/s = %.2f× baseline (p95 %s)", verify.rate(), verify.rate()/base.rate(), ms(verify.quantile(.95))), "≥ 5,000 req/s", verify.rate() >= 5000, verify)

	now := time.Now()
	day := now.AddDate(0, 0, -10).Format("060102")
	month := now.AddDate(0, -1, 0).Format("0601")
	list := product + "/api/v1/staff/cases?limit=20"
	lat := []struct {
		path, url, token string
		goal             time.Duration
	}{
		{"staff list overdue=1 (province)", list + "&overdue=1", w.province, 30 * time.Millisecond},
		{"staff list overdue=1 (prefecture 5201)", list + "&overdue=1", w.prefecture, 30 * time.Millisecond},
		{"staff list q=GZ" + day + " (a day's prefix)", list + "&q=GZ" + day, w.province, 30 * time.Millisecond},
		{"staff list q=GZ" + month + " (a month's prefix)", list + "&q=GZ" + month, w.province, 30 * time.Millisecond},
		{"staff list status=issued", list + "&status=issued", w.province, 30 * time.Millisecond},
		{"staff list office_id (one station)", fmt.Sprintf("%s&office_id=%d", list, w.stationID), w.province, 30 * time.Millisecond},
		{"staff list, 11th page", list + "&cursor=" + url.QueryEscape(w.deepCursor), w.province, 30 * time.Millisecond},
		{"staff list (prefecture 5201), first page", list, w.prefecture, 30 * time.Millisecond},
		{"dashboard, cold (province)", product + "/staff/dashboard", w.province, 200 * time.Millisecond},
		{"dashboard, cold (prefecture 5201)", product + "/staff/dashboard", w.prefecture, 200 * time.Millisecond},
	}
	for _, l := range lat {
		r := c.drive(ctx, latencyConns, 0, latencyCalls, 200, get(l.url, l.token))
		p95 := r.quantile(.95)
		row(l.path, fmt.Sprintf("p50 %s, p95 %s", ms(r.quantile(.5)), ms(p95)), "p95 ≤ "+ms(l.goal), p95 <= l.goal && r.n > 0, r)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Printf("machine after the run: %s", uptime())
	return nil
}

// ms prints a duration in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
