package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
)

// The cluster run (-cluster URL): the same applicants, plus staff reading
// case lists, through a load balancer in front of several instances, while
// the control script (-cluster-ctl, scripts/cluster.sh) stops one instance
// with SIGTERM (a drain) and then injects three faults in turn: (a) one
// instance killed with SIGKILL and restarted, (b)
// the Redis master killed so that Sentinel promotes its replica, (c) the
// database replica's SQL thread stopped so that it lags. Then it checks the
// primary (-cluster-dsn) against the answers, as the soak does, and the
// outbox: every message delivered, none twice.

// fault is one injected failure and when it was started and cleared.
type fault struct {
	name       string
	start, end time.Time
	note       string
}

// clusterRun is one cluster run's state.
type clusterRun struct {
	o      options
	out    io.Writer
	led    *ledger
	faults []fault

	staffMu                 sync.Mutex
	staffReads, staffStale  int
	staffLogins, staffLists int
	signedIn, lostSessions  int // applicants who signed in; sign-ins after the first
	replicaSelects          int // SELECTs the database replica answered during the run
}

// ctl runs the control script with args and returns its standard output.
func (c *clusterRun) ctl(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, c.o.clusterCtl, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", c.o.clusterCtl, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

func runCluster(ctx context.Context, o options, out io.Writer) error {
	c := &clusterRun{o: o, out: out, led: newLedger()}
	ctx, cancel := context.WithTimeout(ctx, o.maxDuration)
	defer cancel()
	db, err := store.Open(ctx, store.Options{MySQLDSN: o.clusterDSN})
	if err != nil {
		return err
	}
	defer db.Close()
	since, err := ReadSince(ctx, db.SQL())
	if err != nil {
		return err
	}
	idcard := func(ctx context.Context, args ...string) (string, error) {
		return c.ctl(ctx, append([]string{"idcard"}, args...)...)
	}
	persons, err := freePersons(ctx, idcard, o.persons)
	if err != nil {
		return err
	}
	selects := func() int {
		out, _ := c.ctl(ctx, "replica-selects")
		n, _ := strconv.Atoi(strings.TrimSpace(out))
		return n
	}
	selectsBefore := selects()
	started := time.Now()
	run := randomHex(4)
	transport := &http.Transport{MaxIdleConnsPerHost: o.workers + 4, IdleConnTimeout: 30 * time.Second}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	stopping := make(chan struct{})
	errs := make(chan error, o.workers+2)
	var wg sync.WaitGroup
	var all []*applicant
	for w, aps := range deal(o, o.cluster, "cluster-"+run, persons, client, c.led) {
		all = append(all, aps...)
		wg.Go(func() {
			if err := work(ctx, fmt.Sprintf("cluster-%s-%d", run, w), aps, o.maxRequests, c.led, stopping); err != nil {
				errs <- err
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			if err := c.staff(ctx, client, stopping); err != nil {
				errs <- err
			}
		})
	}
	ferr := c.inject(ctx, errs)
	close(stopping)
	wg.Wait()
	close(errs)
	for e := range errs {
		ferr = errors.Join(ferr, e)
	}
	took := time.Since(started)
	if ferr != nil {
		return ferr
	}
	c.replicaSelects = selects() - selectsBefore
	report, err := CheckSince(ctx, db.SQL(), c.led.answers(), since)
	if err != nil {
		return err
	}
	ob, err := checkOutbox(ctx, db, since.Case)
	if err != nil {
		return err
	}
	audit, aerr := c.ctl(ctx, "idcard", "audit-verify")
	audit = strings.TrimSpace(audit)
	auditOK := aerr == nil && strings.HasPrefix(audit, "audit log intact")
	signedIn, lost := 0, 0
	for _, ap := range all {
		if ap.signIns > 0 {
			signedIn++
			lost += ap.signIns - 1
		}
	}
	c.signedIn, c.lostSessions = signedIn, lost
	return c.report(took, report, ob, auditOK, audit)
}

// inject runs the phases: load alone, then each fault for a phase and a
// phase to recover.
func (c *clusterRun) inject(ctx context.Context, errs <-chan error) error {
	phase := c.o.clusterPhase
	wait := func(d time.Duration) error {
		select {
		case <-ctx.Done():
			return fmt.Errorf("the cluster run did not finish within -max-duration: %w", ctx.Err())
		case err := <-errs:
			return err
		case <-time.After(d):
			return nil
		}
	}
	if err := wait(phase); err != nil {
		return err
	}
	// A planned stop first: SIGTERM drains the instance (readiness 503,
	// then in-flight requests finish), so nothing should fail.
	f := fault{name: "instance app3 SIGTERM (drain)", start: time.Now()}
	if _, err := c.ctl(ctx, "stop-app", "3"); err != nil {
		return err
	}
	f.note = fmt.Sprintf("stopped in %s", time.Since(f.start).Round(100*time.Millisecond))
	if _, err := c.ctl(ctx, "start-app", "3"); err != nil {
		return err
	}
	f.end = time.Now()
	c.faults = append(c.faults, f)
	if err := wait(phase / 2); err != nil {
		return err
	}
	// (a) an instance dies without a word and comes back.
	f = fault{name: "instance app2 kill -9", start: time.Now()}
	if _, err := c.ctl(ctx, "kill-app", "2"); err != nil {
		return err
	}
	if err := wait(phase / 2); err != nil {
		return err
	}
	if _, err := c.ctl(ctx, "start-app", "2"); err != nil {
		return err
	}
	f.end = time.Now()
	c.faults = append(c.faults, f)
	if err := wait(phase); err != nil {
		return err
	}
	// (b) the Redis master dies; Sentinel promotes the replica.
	f = fault{name: "redis master kill -9", start: time.Now()}
	old, err := c.ctl(ctx, "kill-redis-master")
	if err != nil {
		return err
	}
	old = strings.TrimSpace(old)
	for {
		now, err := c.ctl(ctx, "redis-master")
		if err == nil && strings.TrimSpace(now) != old && strings.TrimSpace(now) != "" {
			f.note = fmt.Sprintf("Sentinel promoted :%s in %s", strings.TrimSpace(now), time.Since(f.start).Round(100*time.Millisecond))
			break
		}
		if time.Since(f.start) > time.Minute {
			return errors.New("Sentinel promoted no replica within a minute")
		}
		if err := wait(200 * time.Millisecond); err != nil {
			return err
		}
	}
	if _, err := c.ctl(ctx, "start-redis", old); err != nil {
		return err
	}
	f.end = time.Now()
	c.faults = append(c.faults, f)
	if err := wait(phase); err != nil {
		return err
	}
	// (c) the database replica stops applying: it lags further each second.
	f = fault{name: "db replica lag (SQL thread stopped)", start: time.Now()}
	if _, err := c.ctl(ctx, "lag-on"); err != nil {
		return err
	}
	if err := wait(phase); err != nil {
		return err
	}
	if _, err := c.ctl(ctx, "lag-off"); err != nil {
		return err
	}
	f.end = time.Now()
	c.faults = append(c.faults, f)
	return wait(phase / 2)
}

// staffAge is how old a case must be for a staff list to be expected to
// show it: the replica's allowed lag and one lag check, with room.
const staffAge = 5 * time.Second

// staff is a supervisor reading case lists (the reads a replica may
// answer) until stopping closes: the province's newest cases, and a case
// answered 201 at least staffAge ago, which the list must show whatever
// the replica's lag.
func (c *clusterRun) staff(ctx context.Context, client *http.Client, stopping <-chan struct{}) error {
	token := ""
	call := func(method, path string, body string) (answer, error) {
		deadline := time.Now().Add(c.o.patience)
		for pause := 20 * time.Millisecond; ; pause = min(2*pause, 500*time.Millisecond) {
			if time.Now().After(deadline) {
				return answer{}, fmt.Errorf("staff %s %s: %w within %s", method, path, errPatience, c.o.patience)
			}
			var rd io.Reader
			if body != "" {
				rd = strings.NewReader(body)
			}
			req, err := http.NewRequestWithContext(ctx, method, c.o.cluster+path, rd)
			if err != nil {
				return answer{}, err
			}
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			a, cut := c.led.do(client, req)
			if !cut && a.status < 500 {
				return a, nil
			}
			if ctx.Err() != nil {
				return answer{}, ctx.Err()
			}
			time.Sleep(pause)
		}
	}
	for {
		select {
		case <-stopping:
			return nil
		default:
		}
		if token == "" {
			a, err := call(http.MethodPost, "/api/v1/staff/auth/login", `{"username":"supervisor","password":"`+c.o.clusterPassword+`"}`)
			if err != nil {
				return err
			}
			if a.status != http.StatusOK || a.str("token") == "" {
				return fmt.Errorf("staff sign-in: %s", a)
			}
			token = a.str("token")
			c.count(func() { c.staffLogins++ })
		}
		path := "/api/v1/staff/cases?limit=20"
		no, check := c.led.submittedBefore(time.Now().Add(-staffAge))
		if check {
			path = "/api/v1/staff/cases?q=" + url.QueryEscape(no)
		}
		a, err := call(http.MethodGet, path, "")
		if err != nil {
			return err
		}
		if a.status == http.StatusUnauthorized {
			token = ""
			continue
		}
		if a.status != http.StatusOK {
			c.led.odd("staff list %s: %s", path, a)
			continue
		}
		c.count(func() {
			c.staffLists++
			if check {
				c.staffReads++
				if !strings.Contains(string(a.body), `"no":"`+no+`"`) {
					c.staffStale++
				}
			}
		})
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *clusterRun) count(f func()) {
	c.staffMu.Lock()
	defer c.staffMu.Unlock()
	f()
}

// outboxReport is what the outbox shows after the run's messages are
// delivered: each one once, by which instances.
type outboxReport struct {
	messages, sentTwice, undelivered int
	byWorker                         map[string]int
}

// checkOutbox waits (up to a minute) for the run's outbox messages to be
// delivered, then counts those delivered twice and which worker delivered.
func checkOutbox(ctx context.Context, db *store.DB, afterCase int64) (outboxReport, error) {
	var r outboxReport
	q := db.SQL()
	for start := time.Now(); ; {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE case_id > ? AND state NOT IN ('sent', 'dead')`, afterCase).Scan(&r.undelivered); err != nil {
			return r, err
		}
		if r.undelivered == 0 || time.Since(start) > time.Minute {
			break
		}
		time.Sleep(time.Second)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE case_id > ?`, afterCase).Scan(&r.messages); err != nil {
		return r, err
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT a.outbox_id FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id
		WHERE o.case_id > ? AND a.outcome = 'sent' GROUP BY a.outbox_id HAVING COUNT(*) > 1) twice`, afterCase).Scan(&r.sentTwice); err != nil {
		return r, err
	}
	rows, err := q.QueryContext(ctx, `SELECT a.worker, COUNT(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id
		WHERE o.case_id > ? AND a.outcome = 'sent' GROUP BY a.worker ORDER BY a.worker`, afterCase)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	r.byWorker = map[string]int{}
	for rows.Next() {
		var w string
		var n int
		if err := rows.Scan(&w, &n); err != nil {
			return r, err
		}
		r.byWorker[w] = n
	}
	return r, rows.Err()
}

// failoverBound is the longest failover window the run accepts: a failure
// later than this after a fault started, or outside every fault, fails it.
const failoverBound = 30 * time.Second

// report prints the findings and fails on any of them.
func (c *clusterRun) report(took time.Duration, r Report, ob outboxReport, auditOK bool, audit string) error {
	l := c.led
	w := c.out
	var problems []string
	fmt.Fprintf(w, "cluster: %d applicants and 2 supervisors through %s for %s: %d requests, %d submissions, %d replays, %d cancels\n",
		c.o.workers, c.o.cluster, took.Round(time.Second), l.requests.Load(), l.submissions(), l.replays.Load(), l.cancels.Load())
	fmt.Fprintf(w, "  cases: %d lost, %d duplicated, %d half-written (%d cases, %d idempotency keys of this run)\n",
		len(r.Lost), len(r.Duplicated), len(r.HalfWritten), r.Cases, r.Keys)
	if !r.Clean() {
		problems = append(problems, "cases lost, duplicated or half-written")
	}
	// Each applicant signs in once; another sign-in means a lost session.
	if l.submissions() == 0 {
		problems = append(problems, "no submission went through")
	}
	fmt.Fprintf(w, "  sessions: %d applicants signed in, %d sessions lost (signed in again); supervisors: %d sign-ins for 2 (%d lost)\n",
		c.signedIn, c.lostSessions, c.staffLogins, c.staffLogins-2)
	if c.lostSessions > 0 || c.staffLogins > 2 {
		problems = append(problems, "sessions lost")
	}
	fmt.Fprintf(w, "  read-your-writes: %d stale read-backs of an applicant's own action; staff lists: %d of %d showed a case answered ≥%s before as missing (%d lists in all; the replica answered %d SELECTs)\n",
		l.stale.Load(), c.staffStale, c.staffReads, staffAge, c.staffLists, c.replicaSelects)
	if l.stale.Load() > 0 || c.staffStale > 0 {
		problems = append(problems, "stale reads")
	}
	per, outside := attribute(l.failureTimes(), c.faults, failoverBound)
	for i, f := range c.faults {
		window := "no failed request"
		if ts := per[i]; len(ts) > 0 {
			first, last := ts[0], ts[len(ts)-1]
			window = fmt.Sprintf("%d failed tries (no answer or 5xx) from +%s to +%s: window %s", len(ts),
				first.Sub(f.start).Round(10*time.Millisecond), last.Sub(f.start).Round(10*time.Millisecond), last.Sub(first).Round(10*time.Millisecond))
		}
		if f.note != "" {
			window += "; " + f.note
		}
		fmt.Fprintf(w, "  fault %-36s %s\n", f.name+":", window)
	}
	fmt.Fprintf(w, "  failed tries outside the fault windows (bound %s): %d; all 5xx answers: %d, unanswered tries: %d\n",
		failoverBound, outside, l.status5xx.Load(), l.cut.Load())
	if outside > 0 {
		problems = append(problems, "failures outside a fault window")
	}
	workers := make([]string, 0, len(ob.byWorker))
	for k, v := range ob.byWorker {
		workers = append(workers, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(workers)
	fmt.Fprintf(w, "  outbox: %d messages of this run, %d undelivered, %d delivered twice; delivered by worker (one per instance start) %s\n",
		ob.messages, ob.undelivered, ob.sentTwice, strings.Join(workers, ", "))
	if ob.undelivered > 0 || ob.sentTwice > 0 {
		problems = append(problems, "outbox not delivered exactly once")
	}
	if auditOK {
		fmt.Fprintf(w, "  audit chain ok\n")
	} else {
		fmt.Fprintf(w, "  audit chain BROKEN: %s\n", audit)
		problems = append(problems, "audit chain")
	}
	for _, f := range []struct {
		what  string
		lines []string
	}{{"lost", r.Lost}, {"duplicated", r.Duplicated}, {"half-written", r.HalfWritten}, {"unexpected", l.oddAnswers()}} {
		for i, line := range f.lines {
			if i == 20 {
				fmt.Fprintf(w, "  %s: … %d more\n", f.what, len(f.lines)-20)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", f.what, line)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("cluster run failed: %s", strings.Join(problems, "; "))
	}
	fmt.Fprintln(w, "cluster: ok")
	return nil
}

// attribute gives each failed try (fails, in order) to the last fault
// started before it, if that was at most bound before; it returns each
// fault's failures and how many belong to none.
func attribute(fails []time.Time, faults []fault, bound time.Duration) ([][]time.Time, int) {
	per := make([][]time.Time, len(faults))
	outside := 0
	for _, t := range fails {
		i := len(faults) - 1
		for i >= 0 && t.Before(faults[i].start) {
			i--
		}
		if i < 0 || t.Sub(faults[i].start) > bound {
			outside++
			continue
		}
		per[i] = append(per[i], t)
	}
	return per, outside
}
