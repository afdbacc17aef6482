// Command loadtest is the provincial-scale load harness (make load,
// docs/performance.md). On one MariaDB and one Redis it seeds the demo data
// up to -cases cases (idcard seed, timed), starts the product (idcard
// serve, jobs off) and a bare baseline (a Gin handler doing one indexed
// query, the TechEmpower "single query" shape) as separate processes,
// prepares an applicant, a case ready for pickup and staff sessions through
// the API, then drives each path of issue 14 and prints its req/s as a
// ratio to the baseline measured in the same run, or its p50/p95, beside
// the goal.
//
//	go run ./backend/cmd/loadtest -mysql 'root@tcp(127.0.0.1:3306)/idcard_load' -redis redis://127.0.0.1:6379/3 -cases 50000
package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"
)

// options are the command line.
type options struct {
	mysql, redis string
	engines      string
	cases        int
	persons      int
	bin          string
	duration     time.Duration
	conns        int
	seed         bool
	measure      bool
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "-serve-baseline" {
		if err := serveBaseline(os.Args[2], os.Getenv("LOADTEST_MYSQL_DSN")); err != nil {
			fmt.Fprintln(os.Stderr, "baseline:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.mysql, "mysql", "", "MariaDB DSN of a database the harness may fill (default: the harness's own MariaDB, see -engines)")
	flag.StringVar(&o.redis, "redis", "", "Redis URL (with -mysql)")
	flag.StringVar(&o.engines, "engines", ".load", "where the harness keeps its own MariaDB and Redis when -mysql is not given")
	flag.IntVar(&o.cases, "cases", 50000, "data size: the cases the database holds (seeded up to this)")
	flag.IntVar(&o.persons, "persons", 0, "registry persons (default: a third of -cases, at least 10000)")
	flag.StringVar(&o.bin, "bin", "bin/idcard", "the idcard binary (make build)")
	flag.DurationVar(&o.duration, "duration", 8*time.Second, "how long each throughput path is driven")
	flag.IntVar(&o.conns, "conns", 32, "concurrent connections of the throughput paths")
	flag.BoolVar(&o.seed, "seed", true, "seed up to -cases first (false: use the data as it is)")
	flag.BoolVar(&o.measure, "measure", true, "drive the paths after seeding (false: seed only)")
	flag.Parse()
	if (o.mysql == "") != (o.redis == "") {
		fmt.Fprintln(os.Stderr, "loadtest: give -mysql and -redis together, or neither (the harness's own engines)")
		os.Exit(2)
	}
	if o.persons == 0 {
		o.persons = max(10000, o.cases/3)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// run is the whole harness.
func run(ctx context.Context, o options) error {
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "idcard-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if o.mysql == "" {
		store, err := filepath.Abs(o.engines)
		if err != nil {
			return err
		}
		e, err := startEngines(ctx, store)
		if err != nil {
			return err
		}
		defer e.stop()
		o.mysql, o.redis = e.dsn, e.redisURL
		fmt.Printf("engines: own MariaDB (buffer pool %s, durable commits) and Redis on 127.0.0.1:%d and :%d, data in %s\n",
			ownBufferPool, ownMySQLPort, ownRedisPort, store)
	}
	env := append(os.Environ(), "IDCARD_MYSQL_DSN="+o.mysql, "IDCARD_REDIS_URL="+o.redis, "IDCARD_DEMO=true",
		"IDCARD_DATA_DIR="+dir, "IDCARD_JOBS=false", "IDCARD_LOG_LEVEL=warn")
	env = append(env, loadKeys(o.mysql)...)
	fmt.Printf("machine: %s", uptime())
	if o.seed {
		start := time.Now()
		cmd := exec.CommandContext(ctx, bin, "seed", "--persons", fmt.Sprint(o.persons), "--cases", fmt.Sprint(o.cases))
		cmd.Env, cmd.Stderr = env, os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		fmt.Printf("seed: %s  (%s in all)\n", strings.TrimSpace(lastLine(string(out))), time.Since(start).Round(time.Second))
		fmt.Printf("machine: %s", uptime())
	}
	if !o.measure {
		return nil
	}
	product, stopProduct, err := startProcess(ctx, bin, []string{"serve", "--jobs=false"}, env, dir, "IDCARD_ADDR")
	if err != nil {
		return fmt.Errorf("product: %w", err)
	}
	defer stopProduct()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	baseline, stopBaseline, err := startProcess(ctx, self, []string{"-serve-baseline"}, append(os.Environ(), "LOADTEST_MYSQL_DSN="+o.mysql), dir, "")
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	defer stopBaseline()
	c := newClient(o.conns)
	w, err := prepare(ctx, c, product, bin, env)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	return measure(ctx, c, o, product, baseline, w)
}

// loadKeys are the key variables of every process of a run: derived from
// the database's DSN, so a second run (and its seed) reads the personal
// data the first one wrote. They are load-test keys, for demo data only.
func loadKeys(dsn string) []string {
	key := func(purpose string) string {
		sum := sha256.Sum256([]byte("idcard loadtest " + purpose + " " + dsn))
		return base64.StdEncoding.EncodeToString(sum[:])
	}
	return []string{"IDCARD_PII_KEYS=load:" + key("pii"), "IDCARD_INDEX_KEY=" + key("index"), "IDCARD_TOKEN_KEY=" + key("token")}
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// uptime is the machine's load, as uptime(1) prints it.
func uptime() string {
	out, err := exec.Command("uptime").Output()
	if err != nil {
		return "(uptime unavailable)\n"
	}
	return string(out)
}
