package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// The harness's own engines: a MariaDB and a Redis on ports of their own,
// sized as a production database server would be for this data (the
// buffer pool holds the working set, about 5 GB at a million cases),
// with every commit durable as in production. The machine's shared
// MariaDB keeps the distribution's 128 MB pool, at which a million cases
// measure the disk, not the service. The data directory stays between
// runs, so a second run tops the seeded data up instead of starting over.
const (
	ownMySQLPort  = 13406
	ownRedisPort  = 16479
	ownBufferPool = "4G"
)

// engines are the processes startEngines started.
type engines struct {
	dsn, redisURL string
	procs         []*child
}

// startEngines starts MariaDB and Redis under dir (created with a fresh
// MariaDB data directory on first use) and waits until both answer.
func startEngines(ctx context.Context, dir string) (*engines, error) {
	e := &engines{
		dsn:      fmt.Sprintf("root@tcp(127.0.0.1:%d)/idcard_load", ownMySQLPort),
		redisURL: fmt.Sprintf("redis://127.0.0.1:%d/0", ownRedisPort),
	}
	stopStale(filepath.Join(dir, "mariadb.pid"))
	stopStale(filepath.Join(dir, "redis.pid"))
	for _, port := range []int{ownMySQLPort, ownRedisPort} {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return nil, fmt.Errorf("port %d is taken (another load run?): %w", port, err)
		}
		l.Close()
	}
	data := filepath.Join(dir, "mariadb")
	if _, err := os.Stat(filepath.Join(data, "mysql")); err != nil {
		if err := os.MkdirAll(data, 0o755); err != nil {
			return nil, err
		}
		out, err := exec.CommandContext(ctx, "mariadb-install-db", "--no-defaults", "--datadir="+data, "--user="+whoami(),
			"--auth-root-authentication-method=normal", "--skip-test-db").CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("mariadb-install-db: %w\n%s", err, out)
		}
	}
	db := exec.Command("/usr/sbin/mariadbd", "--no-defaults", "--datadir="+data, fmt.Sprintf("--port=%d", ownMySQLPort),
		"--bind-address=127.0.0.1", "--socket="+filepath.Join(dir, "mariadb.sock"), "--pid-file="+filepath.Join(dir, "mariadb.pid"),
		"--user="+whoami(), "--skip-name-resolve", "--skip-log-bin",
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--default-time-zone=+00:00",
		"--innodb-buffer-pool-size="+ownBufferPool, "--innodb-log-file-size=1G", "--innodb-flush-log-at-trx-commit=1",
		"--max-connections=400", "--log-error="+filepath.Join(dir, "mariadb.err"))
	rd := exec.Command("redis-server", "--bind", "127.0.0.1", "--port", fmt.Sprint(ownRedisPort), "--save", "", "--appendonly", "no",
		"--pidfile", filepath.Join(dir, "redis.pid"))
	for _, cmd := range []*exec.Cmd{db, rd} {
		p, err := start(cmd)
		if err != nil {
			e.stop()
			return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
		}
		e.procs = append(e.procs, p)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if err := e.ready(ctx); err == nil {
			return e, nil
		} else if time.Now().After(deadline) || ctx.Err() != nil {
			e.stop()
			return nil, fmt.Errorf("own engines did not come up (see %s): %w", filepath.Join(dir, "mariadb.err"), err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// ready creates the database when MariaDB answers, and pings Redis.
func (e *engines) ready(ctx context.Context) error {
	db, err := sql.Open("mysql", fmt.Sprintf("root@tcp(127.0.0.1:%d)/", ownMySQLPort))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS idcard_load"); err != nil {
		return err
	}
	opt, err := redis.ParseURL(e.redisURL)
	if err != nil {
		return err
	}
	rc := redis.NewClient(opt)
	defer rc.Close()
	return rc.Ping(ctx).Err()
}

// stop ends the engines (SIGTERM: MariaDB shuts down cleanly and keeps
// its data for the next run).
func (e *engines) stop() {
	for _, p := range e.procs {
		p.signal()
	}
	for _, p := range e.procs {
		p.wait(2 * time.Minute)
	}
}

// stopStale stops the engine an interrupted run left behind, by the PID
// its own pid file names, so the next run can start.
func stopStale(pidFile string) {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return
	}
	var pid int
	if _, err := fmt.Sscan(string(b), &pid); err != nil || pid <= 1 {
		return
	}
	p, err := os.FindProcess(pid)
	if err != nil || p.Signal(syscall.Signal(0)) != nil {
		return
	}
	_ = p.Signal(syscall.SIGTERM)
	for i := 0; i < 600 && p.Signal(syscall.Signal(0)) == nil; i++ {
		time.Sleep(100 * time.Millisecond)
	}
}

// whoami is the user the engines run as.
func whoami() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	out, err := exec.Command("id", "-un").Output()
	if err != nil {
		return "root"
	}
	return string(out[:len(out)-1])
}
