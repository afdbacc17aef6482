// Command soak is the load and crash soak: it builds the idcard binary,
// runs `idcard serve` on a 127.0.0.1 port and lets concurrent applicants
// (demo registry persons from `idcard demo-persons`, signed in with WeChat
// demo codes) submit with an Idempotency-Key, replay the key, cancel and
// replay again, while it kills the server with SIGKILL (kill -9) -kills
// times and restarts it on the same data. Then it checks the database
// against what the applicants were told (Check: lost, duplicated and
// half-written cases) and runs `idcard audit-verify`, and exits non-zero
// on any finding.
//
// It runs on embedded storage (SQLite and in-process Redis on a temporary
// data folder) and, when IDCARD_TEST_MYSQL_DSN is set, on MariaDB/MySQL in
// a fresh database of that server, with the Redis of IDCARD_TEST_REDIS_URL
// when set. Run it inside the repository:
//
//	go run ./backend/cmd/soak [-kills 20] [-workers 16] [-stores embedded,mysql]
//
// Each store's result is one line:
//
//	soak [embedded]: 20 kills, 812 submissions, 0 lost, 0 duplicated, 0 half-written, audit chain ok
//
// The run is bounded in time (-max-duration) and requests (-max-requests)
// and talks to 127.0.0.1 only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// options are the soak's flags.
type options struct {
	kills       int
	workers     int
	persons     int
	upMin       time.Duration
	upMax       time.Duration
	maxRequests int64
	maxDuration time.Duration
	patience    time.Duration
	stores      string
	bin         string
	goCmd       string
	keep        bool
	strict      bool
	// The cluster run (cluster.go): a load balancer's URL instead of a
	// server of its own, the control script and the primary's DSN.
	cluster         string
	clusterCtl      string
	clusterDSN      string
	clusterPhase    time.Duration
	clusterPassword string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.kills, "kills", 20, "how many times to kill -9 and restart the server, per store")
	fs.IntVar(&o.workers, "workers", 16, "concurrent applicants")
	fs.IntVar(&o.persons, "persons", 0, "registry persons to apply as (default 4 per worker)")
	fs.DurationVar(&o.upMin, "up-min", 300*time.Millisecond, "shortest time the server serves between kills")
	fs.DurationVar(&o.upMax, "up-max", 1500*time.Millisecond, "longest time the server serves between kills")
	fs.Int64Var(&o.maxRequests, "max-requests", 200000, "stop starting new applications after this many requests, per store")
	fs.DurationVar(&o.maxDuration, "max-duration", 10*time.Minute, "fail when a store's soak takes longer than this")
	fs.DurationVar(&o.patience, "patience", 90*time.Second, "how long one request may keep retrying while the server is down")
	fs.StringVar(&o.stores, "stores", "auto", `comma-separated "embedded", "mysql"; auto: embedded, and mysql when IDCARD_TEST_MYSQL_DSN is set`)
	fs.StringVar(&o.bin, "bin", "", "the idcard binary to run (default: go build ./backend/cmd/idcard)")
	fs.StringVar(&o.goCmd, "go", "go", "the go command that builds the binary")
	fs.BoolVar(&o.keep, "keep", false, "keep the data folder, logs and MySQL database")
	fs.BoolVar(&o.strict, "strict", false, "also fail on unexpected answers (5xx other than 503, refused steps)")
	fs.StringVar(&o.cluster, "cluster", "", "run against this load balancer's URL (scripts/cluster.sh test) instead of a server of its own")
	fs.StringVar(&o.clusterCtl, "cluster-ctl", "scripts/cluster.sh", "the cluster's control script (kill-app, start-app, kill-redis-master, lag-on, ...)")
	fs.StringVar(&o.clusterDSN, "cluster-dsn", "", "the cluster's primary database, checked after the run")
	fs.DurationVar(&o.clusterPhase, "cluster-phase", 20*time.Second, "how long each phase of the cluster run lasts (load, each fault, each recovery)")
	fs.StringVar(&o.clusterPassword, "cluster-password", "demo1234", "the demo staff password of the cluster")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.persons == 0 {
		o.persons = 4 * o.workers
	}
	switch {
	case fs.NArg() != 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.kills < 0 || o.workers < 1 || o.persons < o.workers:
		return o, errors.New("want -kills >= 0, -workers >= 1 and -persons >= -workers")
	case o.upMin <= 0 || o.upMax < o.upMin:
		return o, errors.New("want 0 < -up-min <= -up-max")
	case o.cluster != "" && (o.clusterDSN == "" || o.clusterPhase <= 0):
		return o, errors.New("-cluster needs -cluster-dsn and a positive -cluster-phase")
	}
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "soak:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if o.cluster != "" {
		err = runCluster(ctx, o, os.Stdout)
	} else {
		err = run(ctx, o, os.Getenv, os.Stdout)
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// run soaks each store in turn and fails when any of them does.
func run(ctx context.Context, o options, getenv func(string) string, out io.Writer) error {
	stores, err := chooseStores(o.stores, getenv)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "idcard-soak-")
	if err != nil {
		return err
	}
	bin := o.bin
	if bin == "" {
		if bin, err = buildIdcard(ctx, o.goCmd, dir); err != nil {
			return err
		}
	}
	var failed []string
	for _, st := range stores {
		res, err := soakStore(ctx, o, st, bin, dir, getenv)
		res.print(out)
		switch {
		case err != nil:
			fmt.Fprintf(out, "soak [%s]: %v\n", st, err)
			failed = append(failed, st)
		case !res.ok(o.strict):
			failed = append(failed, st)
		}
	}
	if len(failed) > 0 || o.keep {
		fmt.Fprintf(out, "soak: data folders and server logs kept in %s\n", dir)
	} else {
		_ = os.RemoveAll(dir)
	}
	if len(failed) > 0 {
		return fmt.Errorf("failed on %s", strings.Join(failed, ", "))
	}
	return nil
}

// chooseStores reads -stores.
func chooseStores(spec string, getenv func(string) string) ([]string, error) {
	if spec == "auto" {
		if getenv("IDCARD_TEST_MYSQL_DSN") != "" {
			return []string{storeEmbedded, storeMySQL}, nil
		}
		return []string{storeEmbedded}, nil
	}
	var out []string
	for _, s := range strings.Split(spec, ",") {
		switch s = strings.TrimSpace(s); s {
		case storeEmbedded:
		case storeMySQL:
			if getenv("IDCARD_TEST_MYSQL_DSN") == "" {
				return nil, errors.New("-stores mysql needs IDCARD_TEST_MYSQL_DSN (a server the soak may create a database on)")
			}
		default:
			return nil, fmt.Errorf("-stores: unknown store %q (embedded, mysql)", s)
		}
		out = append(out, s)
	}
	return out, nil
}
