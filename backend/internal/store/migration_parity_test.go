package store_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gzga/idcard/migrations"
)

// The tests in this file compare migrations/mysql with migrations/sqlite by
// reading their SQL, with no database server, so a plain `go test ./...`
// catches a drift between the dialects: a table, a column's type (mapped
// between the dialects by canonType), length, default or nullability, a
// primary key or an index that one dialect has and the other has not.
// TestSchemaSameOnBothDialects (schema_test.go) checks the same on real
// servers when IDCARD_TEST_MYSQL_DSN is set.

// migrationFile is one goose file split into its halves.
type migrationFile struct {
	name, up, down string
}

func readMigrations(t *testing.T, fsys fs.FS) []migrationFile {
	t.Helper()
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names) // goose orders by the numeric prefix, zero-padded alike
	var out []migrationFile
	for _, n := range names {
		src, err := fs.ReadFile(fsys, n)
		if err != nil {
			t.Fatal(err)
		}
		up, down, err := splitGoose(string(src))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		out = append(out, migrationFile{n, up, down})
	}
	return out
}

func dialectFS(t *testing.T, dialect string) fs.FS {
	t.Helper()
	fsys, err := migrations.ForDialect(dialect)
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// schemaSteps returns the schema before any migration and after each one.
func schemaSteps(dialect string, files []migrationFile) ([]sqlSchema, error) {
	steps := []sqlSchema{{}}
	for _, f := range files {
		next := steps[len(steps)-1].clone()
		if err := next.apply(dialect, f.up); err != nil {
			return nil, &stepError{f.name + " (up)", err}
		}
		steps = append(steps, next)
	}
	return steps, nil
}

type stepError struct {
	file string
	err  error
}

func (e *stepError) Error() string { return e.file + ": " + e.err.Error() }

// schemaDiff lists the facts only in a and only in b.
func schemaDiff(a, b sqlSchema) (onlyA, onlyB []string) {
	la, lb := a.lines(), b.lines()
	for _, l := range la {
		if !slices.Contains(lb, l) {
			onlyA = append(onlyA, l)
		}
	}
	for _, l := range lb {
		if !slices.Contains(la, l) {
			onlyB = append(onlyB, l)
		}
	}
	return onlyA, onlyB
}

// parityProblems compares two dialects' migration folders file by file and
// describes the first file after which their schemas differ.
func parityProblems(t *testing.T, mysqlFS, sqliteFS fs.FS) []string {
	t.Helper()
	my, lite := readMigrations(t, mysqlFS), readMigrations(t, sqliteFS)
	names := func(fs []migrationFile) (out []string) {
		for _, f := range fs {
			out = append(out, f.name)
		}
		return out
	}
	if !slices.Equal(names(my), names(lite)) {
		return []string{"migration files differ:\n mysql  " + strings.Join(names(my), " ") +
			"\n sqlite " + strings.Join(names(lite), " ")}
	}
	mySteps, err := schemaSteps("mysql", my)
	if err != nil {
		return []string{"mysql " + err.Error()}
	}
	liteSteps, err := schemaSteps("sqlite", lite)
	if err != nil {
		return []string{"sqlite " + err.Error()}
	}
	for i, f := range my {
		onlyMy, onlyLite := schemaDiff(mySteps[i+1], liteSteps[i+1])
		if len(onlyMy)+len(onlyLite) == 0 {
			continue
		}
		return []string{"after " + f.name + " the dialects differ:\n only in mysql:  " +
			strings.Join(onlyMy, "\n                 ") + "\n only in sqlite: " +
			strings.Join(onlyLite, "\n                 ")}
	}
	return nil
}

func TestMigrationsYieldTheSameSchemaInBothDialects(t *testing.T) {
	for _, p := range parityProblems(t, dialectFS(t, "mysql"), dialectFS(t, "sqlite")) {
		t.Error(p)
	}
	// The comparison must have read the real schema, not two empty ones.
	steps, err := schemaSteps("sqlite", readMigrations(t, dialectFS(t, "sqlite")))
	if err != nil {
		t.Fatal(err)
	}
	final := steps[len(steps)-1]
	cases, ok := final["cases"]
	if len(final) < 15 || !ok || len(cases.columns) < 30 || len(cases.indexes) < 8 {
		t.Fatalf("read %d tables (cases: %v), want the whole schema", len(final), ok)
	}
	if c := cases.columns["no"]; c.typ != "VARCHAR(16)" || c.nullable {
		t.Errorf("cases.no read as %+v, want VARCHAR(16) NOT NULL", c)
	}
}

// TestMigrationsDownUndoUp checks in each dialect that every file's Down
// half restores the schema its Up half started from.
func TestMigrationsDownUndoUp(t *testing.T) {
	for _, dialect := range []string{"mysql", "sqlite"} {
		files := readMigrations(t, dialectFS(t, dialect))
		steps, err := schemaSteps(dialect, files)
		if err != nil {
			t.Fatalf("%s %v", dialect, err)
		}
		for i := len(files) - 1; i >= 0; i-- {
			back := steps[i+1].clone()
			if err := back.apply(dialect, files[i].down); err != nil {
				t.Errorf("%s %s (down): %v", dialect, files[i].name, err)
				continue
			}
			extra, missing := schemaDiff(back, steps[i])
			if len(extra)+len(missing) > 0 {
				t.Errorf("%s %s: down leaves %q and loses %q", dialect, files[i].name, extra, missing)
			}
		}
	}
}

// TestMigrationParityCatchesDrift edits a copy of one dialect's files the
// way a careless migration would and expects the comparison to object.
func TestMigrationParityCatchesDrift(t *testing.T) {
	edits := []struct {
		name, dialect, from, to string
	}{
		{"a column length", "sqlite", "no                  VARCHAR(16)", "no                  VARCHAR(20)"},
		{"a dropped index", "mysql", "CREATE INDEX idx_cases_submitted ON cases (submitted_at);", ""},
		{"an index's columns", "sqlite", "ON cases (person_id, submitted_at)", "ON cases (person_id)"},
		{"a default", "mysql", "fee_yuan     INT         NOT NULL DEFAULT 10", "fee_yuan     INT         NOT NULL DEFAULT 20"},
		{"nullability", "sqlite", "legal_due_at        DATETIME     NOT NULL", "legal_due_at        DATETIME     NULL"},
		{"time precision", "mysql", "submitted_at        DATETIME(6)", "submitted_at        DATETIME"},
		{"a unique index made plain", "sqlite", "CREATE UNIQUE INDEX uq_cases_no", "CREATE INDEX uq_cases_no"},
		{"a type", "mysql", "fee_yuan            INT", "fee_yuan            BIGINT"},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			fsys := map[string]fs.FS{"mysql": dialectFS(t, "mysql"), "sqlite": dialectFS(t, "sqlite")}
			src, err := fs.ReadFile(fsys[e.dialect], "00001_schema.sql")
			if err != nil {
				t.Fatal(err)
			}
			edited := strings.Replace(string(src), e.from, e.to, 1)
			if edited == string(src) {
				t.Fatalf("%s 00001_schema.sql no longer contains %q: update this test", e.dialect, e.from)
			}
			fsys[e.dialect] = overlay(t, fsys[e.dialect], "00001_schema.sql", edited)
			if p := parityProblems(t, fsys["mysql"], fsys["sqlite"]); len(p) == 0 {
				t.Fatal("the parity check did not notice")
			}
		})
	}
}

// overlay copies a migration folder with one file's text replaced.
func overlay(t *testing.T, fsys fs.FS, name, text string) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out[name] = &fstest.MapFile{Data: []byte(text)}
	return out
}
