// Package storetest opens real, migrated databases for tests: a fresh SQLite
// file by default, and a fresh MariaDB/MySQL database when
// IDCARD_TEST_MYSQL_DSN is set, so every storage test runs on both.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/suite"
)

// MySQLDSN returns the DSN of the test server, or "" when none is configured.
func MySQLDSN() string { return os.Getenv("IDCARD_TEST_MYSQL_DSN") }

// Open returns a migrated database of the dialect under test: MySQL when
// IDCARD_TEST_MYSQL_DSN is set, else SQLite. It is dropped when t ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	if MySQLDSN() != "" {
		return OpenMySQL(t)
	}
	return OpenSQLite(t)
}

// OpenSQLite returns a migrated SQLite database in a temporary folder.
func OpenSQLite(t testing.TB) *store.DB {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Options{DataDir: dir, SQLiteDB: filepath.Join(dir, "test.db")})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	migrate(t, db)
	return db
}

// OpenMySQL returns a migrated, freshly created MySQL database, dropped when t
// ends. It skips t when IDCARD_TEST_MYSQL_DSN is unset.
func OpenMySQL(t testing.TB) *store.DB {
	t.Helper()
	dsn := MySQLDSN()
	if dsn == "" {
		t.Skip("IDCARD_TEST_MYSQL_DSN is not set: the MySQL leg runs in .ci/run")
	}
	dsn = CreateDatabase(t, dsn)
	db, err := store.Open(context.Background(), store.Options{MySQLDSN: dsn})
	if err != nil {
		t.Fatalf("open mysql: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	migrate(t, db)
	return db
}

// CreateDatabase creates a throwaway database on the server of dsn and returns
// a DSN that names it; the database is dropped when t ends.
func CreateDatabase(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("IDCARD_TEST_MYSQL_DSN: %v", err)
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	name := "idcard_t_" + hex.EncodeToString(buf)
	admin, err := store.Open(context.Background(), store.Options{MySQLDSN: dsn})
	if err != nil {
		t.Fatalf("open mysql admin: %v", err)
	}
	defer admin.Close()
	if _, err := admin.SQL().Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := store.Open(context.Background(), store.Options{MySQLDSN: dsn})
		if err == nil {
			_, _ = a.SQL().Exec("DROP DATABASE IF EXISTS " + name)
			_ = a.Close()
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

func migrate(t testing.TB, db *store.DB) {
	t.Helper()
	if _, err := db.MigrateUp(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
}

// OpenStore returns a database from Open and a Store on it whose personal
// data is encrypted with fixed test keys.
func OpenStore(t testing.TB) (*store.DB, *store.Store) {
	t.Helper()
	db := Open(t)
	return db, store.New(db, testBox(t))
}

func testBox(t testing.TB) *pii.Box {
	t.Helper()
	box, err := pii.NewBox(suite.SM, []pii.Key{{ID: "t1", Secret: bytes.Repeat([]byte{3}, 32)}}, bytes.Repeat([]byte{4}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// OpenStoreVia is OpenStore for fault tests: every statement is bounded by
// timeout (store.Options.Timeout), and on MySQL the store dials via(addr)
// instead of the server's own address addr (a fault-injection proxy),
// while the schema is migrated directly. On SQLite via is not called.
func OpenStoreVia(t testing.TB, via func(addr string) string, timeout time.Duration) (*store.DB, *store.Store) {
	t.Helper()
	o := store.Options{Timeout: timeout}
	if MySQLDSN() == "" {
		dir := t.TempDir()
		o.DataDir, o.SQLiteDB = dir, filepath.Join(dir, "test.db")
	} else {
		dsn := CreateDatabase(t, MySQLDSN())
		direct, err := store.Open(context.Background(), store.Options{MySQLDSN: dsn})
		if err != nil {
			t.Fatalf("open mysql: %v", err)
		}
		migrate(t, direct)
		_ = direct.Close()
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Addr = via(cfg.Addr)
		o.MySQLDSN = cfg.FormatDSN()
	}
	db, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	migrate(t, db)
	return db, store.New(db, testBox(t))
}
