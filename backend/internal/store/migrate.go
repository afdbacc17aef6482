package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/go-sql-driver/mysql"
	"github.com/pressly/goose/v3"

	"github.com/gzga/idcard/migrations"
)

// provider is goose over the migrations of the dialect; on MySQL it works
// through a pool of its own without the service's call timeouts
// (migrateCfg), closed by done.
func (db *DB) provider() (p *goose.Provider, done func(), err error) {
	fsys, err := migrations.ForDialect(string(db.dialect))
	if err != nil {
		return nil, nil, err
	}
	if db.dialect != MySQL {
		p, err := goose.NewProvider(goose.DialectSQLite3, db.sql, fsys)
		return p, func() {}, err
	}
	conn, err := mysql.NewConnector(db.migrateCfg)
	if err != nil {
		return nil, nil, err
	}
	pool := sql.OpenDB(conn)
	pool.SetMaxOpenConns(2)
	if p, err = goose.NewProvider(goose.DialectMySQL, pool, fsys); err != nil {
		_ = pool.Close()
		return nil, nil, err
	}
	return p, func() { _ = pool.Close() }, nil
}

// MigrateUp applies every pending migration.
func (db *DB) MigrateUp(ctx context.Context) ([]*goose.MigrationResult, error) {
	p, done, err := db.provider()
	if err != nil {
		return nil, err
	}
	defer done()
	res, err := p.Up(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate up: %w", err)
	}
	return res, nil
}

// MigrateDown rolls back the most recent migration.
func (db *DB) MigrateDown(ctx context.Context) (*goose.MigrationResult, error) {
	p, done, err := db.provider()
	if err != nil {
		return nil, err
	}
	defer done()
	res, err := p.Down(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate down: %w", err)
	}
	return res, nil
}

// MigrateDownTo rolls back every migration after version.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) ([]*goose.MigrationResult, error) {
	p, done, err := db.provider()
	if err != nil {
		return nil, err
	}
	defer done()
	res, err := p.DownTo(ctx, version)
	if err != nil {
		return res, fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return res, nil
}

// MigrationStatus writes one line per migration: version, state, applied time.
func (db *DB) MigrationStatus(ctx context.Context, w io.Writer) (pending int, err error) {
	p, done, err := db.provider()
	if err != nil {
		return 0, err
	}
	defer done()
	st, err := p.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate status: %w", err)
	}
	fmt.Fprintf(w, "%-8s %-10s %-25s %s\n", "VERSION", "STATE", "APPLIED AT (UTC)", "FILE")
	for _, s := range st {
		applied := "-"
		if s.State == goose.StateApplied {
			applied = s.AppliedAt.UTC().Format("2006-01-02 15:04:05")
		} else {
			pending++
		}
		fmt.Fprintf(w, "%-8d %-10s %-25s %s\n", s.Source.Version, s.State, applied, s.Source.Path)
	}
	return pending, nil
}
