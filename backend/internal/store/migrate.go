package store

import (
	"context"
	"fmt"
	"io"

	"github.com/pressly/goose/v3"

	"github.com/gzga/idcard/migrations"
)

func (db *DB) provider() (*goose.Provider, error) {
	fsys, err := migrations.ForDialect(string(db.dialect))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	if db.dialect == MySQL {
		dialect = goose.DialectMySQL
	}
	return goose.NewProvider(dialect, db.sql, fsys)
}

// MigrateUp applies every pending migration.
func (db *DB) MigrateUp(ctx context.Context) ([]*goose.MigrationResult, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate up: %w", err)
	}
	return res, nil
}

// MigrateDown rolls back the most recent migration.
func (db *DB) MigrateDown(ctx context.Context) (*goose.MigrationResult, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Down(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate down: %w", err)
	}
	return res, nil
}

// MigrateDownTo rolls back every migration after version.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) ([]*goose.MigrationResult, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.DownTo(ctx, version)
	if err != nil {
		return res, fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return res, nil
}

// MigrationStatus writes one line per migration: version, state, applied time.
func (db *DB) MigrationStatus(ctx context.Context, w io.Writer) (pending int, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
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
