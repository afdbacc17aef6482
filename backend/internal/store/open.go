// Package store keeps the service's state in MySQL/MariaDB or embedded SQLite
// through GORM. It opens the database, runs the versioned migrations and holds
// one repository file per table group. Callers above it never see *gorm.DB.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names a supported database family.
type Dialect string

// The two supported dialects.
const (
	MySQL  Dialect = "mysql"
	SQLite Dialect = "sqlite"
)

// Options say which database to open and how.
type Options struct {
	MySQLDSN string // empty = embedded SQLite under DataDir
	DataDir  string
	SQLiteDB string // file name or ":memory:"-style DSN override for tests
	MaxOpen  int
	MaxIdle  int
	// Timeout bounds every statement (useDeadlines) and, on MySQL, the
	// driver's dial, read and write, so a hung server fails fast; zero
	// leaves statements unbounded and the driver at its defaults.
	Timeout time.Duration
	Logger  *slog.Logger
	// ReplicaDSNs are MySQL read replicas (replica.go): reads marked
	// FromReplica go to a fresh one, everything else to the primary.
	ReplicaDSNs   []string
	ReplicaMaxLag time.Duration // a replica further behind is not read from; zero = 2 s
}

// DB is the opened database: the GORM handle and the dialect it speaks.
type DB struct {
	gorm     *gorm.DB
	sql      *sql.DB
	dialect  Dialect
	where    string
	replicas *replicaSet // nil without replicas
	// migrateCfg is the primary's driver configuration for migrations
	// (MySQL): the same server, without the per-call read and write
	// timeouts, since building an index over millions of rows takes
	// minutes; a migration is bounded by its context instead.
	migrateCfg *mysql.Config
}

// Dialect reports which database family this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Where describes the database for logs, without credentials.
func (db *DB) Where() string { return db.where }

// SQL returns the underlying pool (for health checks and pool metrics).
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the pool.
func (db *DB) Close() error {
	if db.replicas != nil {
		return errors.Join(db.replicas.close(), db.sql.Close())
	}
	return db.sql.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Open opens the database named by opts and checks that it answers. A DSN that
// cannot be parsed or a server that cannot be reached is an error that says so
// in one line.
func Open(ctx context.Context, opts Options) (*DB, error) {
	gcfg := &gorm.Config{
		Logger:                                   logger.Discard,
		NowFunc:                                  func() time.Time { return Stored(time.Now()) },
		DisableForeignKeyConstraintWhenMigrating: true,
		TranslateError:                           true,
		SkipDefaultTransaction:                   true,
	}
	db := &DB{}
	var dial gorm.Dialector
	if opts.MySQLDSN != "" {
		pool, mc, err := openMySQLPool(opts.MySQLDSN, opts.Timeout, "IDCARD_MYSQL_DSN")
		if err != nil {
			return nil, err
		}
		dial = gormmysql.New(gormmysql.Config{Conn: pool})
		db.dialect = MySQL
		db.migrateCfg = mc.Clone()
		db.migrateCfg.ReadTimeout, db.migrateCfg.WriteTimeout = 0, 0
		db.where = fmt.Sprintf("mysql %s@%s/%s", mc.User, mc.Addr, mc.DBName)
	} else {
		dsn := opts.SQLiteDB
		if dsn == "" {
			if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
				return nil, fmt.Errorf("IDCARD_DATA_DIR: cannot create %s: %w", opts.DataDir, err)
			}
			dsn = filepath.Join(opts.DataDir, "idcard.db")
			if err := makePrivate(dsn); err != nil {
				return nil, err
			}
		}
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "busy_timeout(15000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		// Writers take the lock when the transaction begins, so two writers
		// wait on each other instead of failing on a lock upgrade.
		// (No _time_format: the driver ignores every parameter after it; its
		// default already writes "2006-01-02 15:04:05.999999999-07:00", and
		// utcConnector makes that offset always +00:00.)
		q.Set("_txlock", "immediate")
		drv, err := sqliteDriver()
		if err != nil {
			return nil, describeOpenError(SQLite, err)
		}
		dial = sqlite.Dialector{Conn: &boundedPool{sql.OpenDB(utcConnector{dsnConnector{dsn: "file:" + dsn + "?" + q.Encode(), drv: drv}}), opts.Timeout}}
		db.dialect = SQLite
		db.where = "sqlite " + dsn
	}
	g, err := gorm.Open(dial, gcfg)
	if err != nil {
		return nil, describeOpenError(db.dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if err := useDeadlines(g, opts.Timeout); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	maxOpen, maxIdle := opts.MaxOpen, opts.MaxIdle
	if maxOpen <= 0 {
		maxOpen, maxIdle = 10, 5
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxIdle)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, describeOpenError(db.dialect, err)
	}
	if len(opts.ReplicaDSNs) > 0 {
		if db.dialect != MySQL {
			_ = sqlDB.Close()
			return nil, errors.New("IDCARD_MYSQL_REPLICA_DSNS: read replicas need a MySQL primary (IDCARD_MYSQL_DSN)")
		}
		rs, err := attachReplicas(ctx, g, opts)
		if err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
		db.replicas = rs
		db.where += fmt.Sprintf(" + %d read replica(s)", len(rs.list))
	}
	db.gorm, db.sql = g, sqlDB
	return db, nil
}

// openMySQLPool opens the pool of a MySQL DSN (name is its variable, for
// errors) with the service's settings: UTC times, utf8mb4, the driver's
// timeouts bounded by timeout, and BEGIN bounded too (boundedPool).
func openMySQLPool(dsn string, timeout time.Duration, name string) (*boundedPool, *mysql.Config, error) {
	mc, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot parse the DSN: %w", name, err)
	}
	// Times are stored in UTC and parsed into time.Time; utf8mb4 for names.
	mc.ParseTime = true
	mc.Loc = time.UTC
	if mc.Params == nil {
		mc.Params = map[string]string{}
	}
	mc.Params["charset"] = "utf8mb4"
	mc.Collation = "utf8mb4_unicode_ci"
	// A DSN's own timeouts win (an operator may lengthen readTimeout for
	// a long migration); otherwise a server that stops answering fails
	// the connection within the call's deadline.
	if mc.Timeout == 0 {
		mc.Timeout = 5 * time.Second
		if timeout > 0 {
			mc.Timeout = timeout
		}
	}
	if mc.ReadTimeout == 0 {
		mc.ReadTimeout = timeout
	}
	if mc.WriteTimeout == 0 {
		mc.WriteTimeout = timeout
	}
	mc.Params["time_zone"] = "'+00:00'"
	// Arguments are put into the statement text by the driver (safe with
	// utf8mb4): one round trip per query instead of three (prepare,
	// execute, close), unless the DSN asks for server-side statements.
	if !strings.Contains(dsn, "interpolateParams=") {
		mc.InterpolateParams = true
	}
	// A round trip through the DSN text lets the driver take "charset"
	// as its own option rather than as a session variable.
	mc, err = mysql.ParseDSN(mc.FormatDSN())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	conn, err := mysql.NewConnector(mc)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return &boundedPool{sql.OpenDB(utcConnector{boundedConnector{conn, timeout}}), timeout}, mc, nil
}

// sqliteDriver returns the pure-Go SQLite driver that glebarez/sqlite
// registers, so that it can be opened through utcConnector.
func sqliteDriver() (driver.Driver, error) {
	db, err := sql.Open(sqlite.DriverName, "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Driver(), nil
}

func describeOpenError(d Dialect, err error) error {
	if d == MySQL {
		var me *mysql.MySQLError
		if errors.As(err, &me) {
			return fmt.Errorf("IDCARD_MYSQL_DSN: the server refused: %s", me.Message)
		}
		return fmt.Errorf("IDCARD_MYSQL_DSN: cannot reach the database: %w", err)
	}
	return fmt.Errorf("IDCARD_DATA_DIR: cannot open the SQLite database: %w", err)
}
