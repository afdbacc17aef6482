package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// Reads go to the primary unless the caller's context says a replica will
// do (FromReplica): staff lists, dashboards and exports, which tolerate a
// second of lag. Everything else — an applicant's or an officer's reads
// after their own writes, every transaction, every claim of background
// work — stays on the primary, so nobody sees a stale copy of what they
// just did. A replica that is not replicating, or is further behind than
// the allowed lag, is not read from at all until it catches up.

type replicaKey struct{}

// FromReplica marks ctx's reads as ones a read replica may answer (when
// one is configured and fresh). Writes and transactions ignore the mark.
func FromReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// ReplicaAllowed reports whether ctx carries the FromReplica mark.
func ReplicaAllowed(ctx context.Context) bool {
	ok, _ := ctx.Value(replicaKey{}).(bool)
	return ok
}

// replicaCheckEvery is how often each replica's lag is asked.
const replicaCheckEvery = time.Second

// replica is one read replica's pool and whether it may be read from.
type replica struct {
	pool  *boundedPool
	where string
	fresh atomic.Bool
}

// replicaSet is the replicas of a primary and the watcher of their lag.
type replicaSet struct {
	list   []*replica
	maxLag time.Duration
	log    *slog.Logger
	stop   context.CancelFunc
	done   sync.WaitGroup
	// Reads counts the statements each side answered (tests, metrics).
	primaryReads, replicaReads atomic.Int64
}

// ReplicaStats says how many marked reads the replicas and the primary
// answered, and how many replicas are fresh now.
type ReplicaStats struct {
	ReplicaReads, PrimaryReads int64
	Fresh, Total               int
}

// Replicas reports the replicas' state (zero when there are none).
func (db *DB) Replicas() ReplicaStats {
	rs := db.replicas
	if rs == nil {
		return ReplicaStats{}
	}
	st := ReplicaStats{ReplicaReads: rs.replicaReads.Load(), PrimaryReads: rs.primaryReads.Load(), Total: len(rs.list)}
	for _, r := range rs.list {
		if r.fresh.Load() {
			st.Fresh++
		}
	}
	return st
}

// attachReplicas opens the replicas' pools, registers gorm's dbresolver on
// g with them and starts watching their lag; the first check runs before it
// returns, so a lagging replica is never read from at start.
func attachReplicas(ctx context.Context, g *gorm.DB, opts Options) (*replicaSet, error) {
	maxLag := opts.ReplicaMaxLag
	if maxLag <= 0 {
		maxLag = 2 * time.Second
	}
	rs := &replicaSet{maxLag: maxLag, log: opts.Logger}
	if rs.log == nil {
		rs.log = slog.New(slog.DiscardHandler)
	}
	var dials []gorm.Dialector
	for i, dsn := range opts.ReplicaDSNs {
		pool, mc, err := openMySQLPool(dsn, opts.Timeout, fmt.Sprintf("IDCARD_MYSQL_REPLICA_DSNS (replica %d)", i+1))
		if err != nil {
			rs.closePools()
			return nil, err
		}
		pool.DB.SetMaxOpenConns(max(opts.MaxOpen, 2))
		pool.DB.SetMaxIdleConns(max(opts.MaxIdle, 1))
		pool.DB.SetConnMaxLifetime(30 * time.Minute)
		rs.list = append(rs.list, &replica{pool: pool, where: fmt.Sprintf("%s/%s", mc.Addr, mc.DBName)})
		dials = append(dials, gormmysql.New(gormmysql.Config{Conn: pool}))
	}
	err := g.Use(dbresolver.Register(dbresolver.Config{Replicas: dials, Policy: dbresolver.PolicyFunc(rs.pick)}))
	if err != nil {
		rs.closePools()
		return nil, fmt.Errorf("IDCARD_MYSQL_REPLICA_DSNS: %w", err)
	}
	// Registered after dbresolver's own "before everything" callback, ours
	// runs first; and dbresolver.Write re-runs dbresolver's choice anyway.
	cbs := g.Callback()
	for _, reg := range []func() error{
		func() error { return cbs.Query().Before("*").Register("idcard:route_reads", rs.route) },
		func() error { return cbs.Row().Before("*").Register("idcard:route_reads", rs.route) },
		func() error { return cbs.Raw().Before("*").Register("idcard:route_reads", rs.route) },
	} {
		if err := reg(); err != nil {
			rs.closePools()
			return nil, err
		}
	}
	rs.checkAll(ctx)
	wctx, stop := context.WithCancel(context.Background())
	rs.stop = stop
	rs.done.Add(1)
	go rs.watch(wctx)
	return rs, nil
}

// route sends a statement to the primary unless its context allows a
// replica and one is fresh; dbresolver then picks among the fresh ones.
func (rs *replicaSet) route(db *gorm.DB) {
	ctx := db.Statement.Context
	if ctx == nil || !ReplicaAllowed(ctx) {
		dbresolver.Write.ModifyStatement(db.Statement)
		return
	}
	for _, r := range rs.list {
		if r.fresh.Load() {
			rs.replicaReads.Add(1)
			return
		}
	}
	rs.primaryReads.Add(1)
	dbresolver.Write.ModifyStatement(db.Statement)
}

// pick is dbresolver's policy: the first fresh replica after a rotating
// start, so reads spread over the fresh ones. route has checked that one
// is fresh; should it have turned stale since, any replica answers (the
// lag is then at most one check interval past the bound).
func (rs *replicaSet) pick(pools []gorm.ConnPool) gorm.ConnPool {
	n := int(rs.replicaReads.Load())
	for i := range pools {
		j := (n + i) % len(pools)
		if j < len(rs.list) && rs.list[j].fresh.Load() {
			return pools[j]
		}
	}
	return pools[n%len(pools)]
}

func (rs *replicaSet) watch(ctx context.Context) {
	defer rs.done.Done()
	t := time.NewTicker(replicaCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rs.checkAll(ctx)
		}
	}
}

func (rs *replicaSet) checkAll(ctx context.Context) {
	for _, r := range rs.list {
		cctx, cancel := context.WithTimeout(ctx, replicaCheckEvery)
		lag, err := replicaLag(cctx, r.pool.DB)
		cancel()
		fresh := err == nil && lag <= rs.maxLag
		if was := r.fresh.Swap(fresh); was != fresh {
			if fresh {
				rs.log.Info("read replica in use", "replica", r.where, "lag", lag.String())
			} else {
				rs.log.Warn("read replica set aside: reads go to the primary", "replica", r.where, "lag", lag.String(), "error", err)
			}
		}
	}
}

// errNotReplicating is a replica whose SQL or I/O thread is stopped, or
// whose lag the server cannot say.
var errNotReplicating = errors.New("replication is not running")

// replicaLag asks the server how far behind its primary it is. A server
// that replicates from nothing (no replica status) is a copy kept some
// other way and counts as current.
func replicaLag(ctx context.Context, db *sql.DB) (time.Duration, error) {
	rows, err := db.QueryContext(ctx, "SHOW REPLICA STATUS")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if !rows.Next() {
		return 0, rows.Err()
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return 0, err
	}
	get := func(names ...string) sql.NullString {
		for i, c := range cols {
			for _, n := range names {
				if strings.EqualFold(c, n) {
					return vals[i]
				}
			}
		}
		return sql.NullString{}
	}
	// MariaDB and MySQL before 8.0.22 say Slave/Master, later MySQL Replica/Source.
	for _, th := range [][]string{{"Slave_IO_Running", "Replica_IO_Running"}, {"Slave_SQL_Running", "Replica_SQL_Running"}} {
		if v := get(th...); !v.Valid || !strings.EqualFold(v.String, "Yes") {
			return 0, errNotReplicating
		}
	}
	v := get("Seconds_Behind_Master", "Seconds_Behind_Source")
	if !v.Valid {
		return 0, errNotReplicating
	}
	s, err := strconv.Atoi(v.String)
	if err != nil {
		return 0, fmt.Errorf("replica lag %q: %w", v.String, err)
	}
	return time.Duration(s) * time.Second, nil
}

// close stops the watcher and closes the replicas' pools.
func (rs *replicaSet) close() error {
	if rs.stop != nil {
		rs.stop()
	}
	rs.done.Wait()
	return rs.closePools()
}

func (rs *replicaSet) closePools() error {
	var errs []error
	for _, r := range rs.list {
		errs = append(errs, r.pool.DB.Close())
	}
	return errors.Join(errs...)
}
