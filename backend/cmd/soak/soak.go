package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/gzga/idcard/backend/internal/store"
)

// The stores a soak runs on.
const (
	storeEmbedded = "embedded"
	storeMySQL    = "mysql"
)

// result is one store's soak.
type result struct {
	store       string
	kills       int
	took        time.Duration
	workers     int
	led         *ledger
	report      Report
	checked     bool // the database was checked (the soak ran to its end)
	auditOK     bool
	auditOutput string
	keptDB      string // the MySQL database left for inspection
}

// ok reports a clean soak: nothing lost, duplicated or half-written, the
// audit chain intact, and, when strict, no unexpected answer.
func (r result) ok(strict bool) bool {
	return r.checked && r.report.Clean() && r.auditOK && (!strict || r.led.unexpCount.Load() == 0)
}

// print writes the summary line, the traffic, and the findings.
func (r result) print(w io.Writer) {
	if r.led == nil {
		return
	}
	audit := "audit chain ok"
	if !r.auditOK {
		audit = "audit chain BROKEN: " + r.auditOutput
	}
	if r.checked {
		fmt.Fprintf(w, "soak [%s]: %d kills, %d submissions, %d lost, %d duplicated, %d half-written, %s\n",
			r.store, r.kills, r.led.submissions(), len(r.report.Lost), len(r.report.Duplicated), len(r.report.HalfWritten), audit)
	} else {
		fmt.Fprintf(w, "soak [%s]: stopped after %d kills and %d submissions, not checked\n", r.store, r.kills, r.led.submissions())
	}
	l := r.led
	fmt.Fprintf(w, "  %d applicants, %d requests in %s (%d got no answer: killed or restarting), %d replays, %d cancels (%d retried after a kill answered 409), %d answers 5xx, %d sign-ins, %d unexpected answers; database: %d cases, %d idempotency keys\n",
		r.workers, l.requests.Load(), r.took.Round(time.Second), l.cut.Load(), l.replays.Load(), l.cancels.Load(), l.cancel409.Load(),
		l.status5xx.Load(), l.signIns.Load(), l.unexpCount.Load(), r.report.Cases, r.report.Keys)
	if r.keptDB != "" {
		fmt.Fprintf(w, "  database %s kept for inspection\n", r.keptDB)
	}
	for _, f := range []struct {
		what  string
		lines []string
	}{{"lost", r.report.Lost}, {"duplicated", r.report.Duplicated}, {"half-written", r.report.HalfWritten}, {"unexpected", l.oddAnswers()}} {
		for i, line := range f.lines {
			if i == 20 {
				fmt.Fprintf(w, "  %s: … %d more\n", f.what, len(f.lines)-20)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", f.what, line)
		}
	}
}

// soakStore runs the soak on one store in a folder of its own under dir.
func soakStore(ctx context.Context, o options, kind, bin, dir string, getenv func(string) string) (res result, err error) {
	res = result{store: kind, workers: o.workers}
	ctx, cancel := context.WithTimeout(ctx, o.maxDuration)
	defer cancel()
	started := time.Now()
	dir = filepath.Join(dir, kind)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	vars := map[string]string{
		"IDCARD_DATA_DIR": filepath.Join(dir, "data"), "IDCARD_DEMO": "true",
		"IDCARD_LOG_FORMAT": "text", "IDCARD_SHUTDOWN_TIMEOUT": "10s",
	}
	if kind == storeMySQL {
		var dsn, name string
		var drop func()
		dsn, name, drop, err = freshDatabase(ctx, getenv("IDCARD_TEST_MYSQL_DSN"))
		if err != nil {
			return res, err
		}
		defer func() {
			if err == nil && res.ok(o.strict) && !o.keep {
				drop()
			} else {
				res.keptDB = name
			}
		}()
		vars["IDCARD_MYSQL_DSN"] = dsn
		if u := getenv("IDCARD_TEST_REDIS_URL"); u != "" {
			vars["IDCARD_REDIS_URL"] = u
		}
	}
	srv, err := newServer(bin, filepath.Join(dir, "serve.log"), vars)
	if err != nil {
		return res, err
	}
	defer srv.close()
	persons, err := freePersons(ctx, srv.command, o.persons)
	if err != nil {
		return res, err
	}
	if err := srv.start(ctx, o.patience); err != nil {
		return res, err
	}
	res.led = newLedger()
	res.kills, err = load(ctx, o, srv, persons, res.led)
	res.took = time.Since(started)
	if err != nil {
		return res, err
	}
	if err := srv.stop(30 * time.Second); err != nil {
		return res, err
	}
	res.auditOutput, err = srv.command(ctx, "audit-verify")
	res.auditOutput = strings.TrimSpace(res.auditOutput)
	res.auditOK = err == nil && strings.HasPrefix(res.auditOutput, "audit log intact")
	db, err := store.Open(ctx, store.Options{MySQLDSN: vars["IDCARD_MYSQL_DSN"], DataDir: vars["IDCARD_DATA_DIR"]})
	if err != nil {
		return res, err
	}
	defer db.Close()
	res.report, err = Check(ctx, db.SQL(), res.led.answers())
	res.checked = err == nil
	return res, err
}

// freePersons seeds a registry large enough and asks `idcard demo-persons`
// for n persons to apply as.
func freePersons(ctx context.Context, idcard func(ctx context.Context, args ...string) (string, error), n int) ([]person, error) {
	// About a quarter of the synthetic registry can apply online today.
	if _, err := idcard(ctx, "seed", "--persons", strconv.Itoa(max(2000, 8*n))); err != nil {
		return nil, err
	}
	out, err := idcard(ctx, "demo-persons", "--count", strconv.Itoa(n))
	if err != nil {
		return nil, err
	}
	var ps []person
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var p person
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil || p.IDNumber == "" {
			return nil, fmt.Errorf("demo-persons printed %q", sc.Text())
		}
		ps = append(ps, p)
	}
	if len(ps) < n {
		return nil, fmt.Errorf("demo-persons gave %d persons, want %d", len(ps), n)
	}
	return ps, nil
}

// load runs the applicants while it kills and restarts the server
// o.kills times, then lets every applicant finish the step it is on. It
// returns how many kills it made.
func load(ctx context.Context, o options, srv *server, persons []person, led *ledger) (int, error) {
	run := randomHex(4)
	transport := &http.Transport{MaxIdleConnsPerHost: o.workers, IdleConnTimeout: 30 * time.Second}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	stopping := make(chan struct{})
	errs := make(chan error, o.workers)
	var wg sync.WaitGroup
	for w, aps := range deal(o, srv.base(), "soak-"+run, persons, client, led) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := work(ctx, fmt.Sprintf("soak-%s-%d", run, w), aps, o.maxRequests, led, stopping); err != nil {
				errs <- err
			}
		}()
	}
	kills, err := killer(ctx, o, srv, errs)
	close(stopping)
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	return kills, err
}

// deal makes an applicant of each person, signing in with the WeChat demo
// code "dev:<prefix>-<i>", and deals them out to o.workers workers.
func deal(o options, base, prefix string, persons []person, client *http.Client, led *ledger) [][]*applicant {
	out := make([][]*applicant, o.workers)
	for i, p := range persons {
		out[i%o.workers] = append(out[i%o.workers], &applicant{base: base, code: fmt.Sprintf("dev:%s-%d", prefix, i), person: p,
			http: client, ledger: led, patience: o.patience})
	}
	return out
}

// killer kills the server with SIGKILL after a random time up, restarts it
// on the same data, o.kills times; then it serves a last while.
func killer(ctx context.Context, o options, srv *server, errs <-chan error) (int, error) {
	wait := func() error {
		select {
		case <-ctx.Done():
			return fmt.Errorf("the soak did not finish within -max-duration: %w", ctx.Err())
		case err := <-errs:
			return err
		case <-time.After(o.upMin + randomDuration(o.upMax-o.upMin)):
			return nil
		}
	}
	for k := 1; k <= o.kills; k++ {
		if err := wait(); err != nil {
			return k - 1, err
		}
		if err := srv.kill(); err != nil {
			return k - 1, err
		}
		if err := srv.start(ctx, o.patience); err != nil {
			return k, fmt.Errorf("restart after kill %d: %w", k, err)
		}
	}
	return o.kills, wait()
}

// work runs one worker's applicants in turn until stopping closes or the
// request budget is spent; an applicant that got an unexpected answer is
// retired. Each round uses a new idempotency key prefix+counter.
func work(ctx context.Context, prefix string, aps []*applicant, budget int64, led *ledger, stopping <-chan struct{}) error {
	ready := make([]bool, len(aps))
	retired := make([]bool, len(aps))
	left := len(aps)
	for i := 0; left > 0; i++ {
		select {
		case <-stopping:
			return nil
		default:
		}
		if led.requests.Load() >= budget {
			return nil
		}
		n := i % len(aps)
		if retired[n] {
			continue
		}
		ap := aps[n]
		var err error
		if !ready[n] {
			err = ap.prepare(ctx)
			ready[n] = err == nil
		}
		if err == nil {
			err = ap.round(ctx, prefix+"-"+strconv.Itoa(i))
		}
		switch {
		case errors.Is(err, errOdd):
			retired[n] = true
			left--
		case err != nil:
			return err
		}
	}
	return nil
}

// freshDatabase creates a database of its own on the server of adminDSN
// and returns its DSN, its name and a function that drops it.
func freshDatabase(ctx context.Context, adminDSN string) (string, string, func(), error) {
	cfg, err := mysql.ParseDSN(adminDSN)
	if err != nil {
		return "", "", nil, fmt.Errorf("IDCARD_TEST_MYSQL_DSN: %w", err)
	}
	name := "idcard_soak_" + randomHex(6)
	exec := func(stmt string) error {
		admin, err := store.Open(ctx, store.Options{MySQLDSN: adminDSN})
		if err != nil {
			return err
		}
		defer admin.Close()
		_, err = admin.SQL().ExecContext(context.WithoutCancel(ctx), stmt)
		return err
	}
	if err := exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return "", "", nil, fmt.Errorf("create the soak database: %w", err)
	}
	cfg.DBName = name
	return cfg.FormatDSN(), name, func() { _ = exec("DROP DATABASE IF EXISTS " + name) }, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// randomDuration is uniform in [0, d].
func randomDuration(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(int64(d)+1))
	return time.Duration(n.Int64())
}
