package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// TestSchemaSameOnBothDialects migrates SQLite and MySQL and compares every
// table, column (type family, nullability, key) and index: a drift between
// migrations/mysql and migrations/sqlite fails it.
func TestSchemaSameOnBothDialects(t *testing.T) {
	ctx := context.Background()
	lite, err := storetest.OpenSQLite(t).Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) < 15 {
		t.Fatalf("sqlite schema has %d tables, want the whole schema", len(lite))
	}
	my, err := storetest.OpenMySQL(t).Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffSchemas(lite, my) {
		t.Error(d)
	}
}

func diffSchemas(a, b map[string]store.Table) []string {
	var out []string
	for name, ta := range a {
		tb, ok := b[name]
		if !ok {
			out = append(out, fmt.Sprintf("table %s: only in sqlite", name))
			continue
		}
		if !reflect.DeepEqual(ta.Columns, tb.Columns) {
			out = append(out, fmt.Sprintf("table %s columns differ:\n sqlite %+v\n mysql  %+v", name, ta.Columns, tb.Columns))
		}
		if !reflect.DeepEqual(ta.Indexes, tb.Indexes) {
			out = append(out, fmt.Sprintf("table %s indexes differ:\n sqlite %+v\n mysql  %+v", name, ta.Indexes, tb.Indexes))
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			out = append(out, fmt.Sprintf("table %s: only in mysql", name))
		}
	}
	return out
}

func TestMigrateDownAndUpAgain(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	for {
		res, err := db.MigrateDown(ctx)
		if err != nil {
			break // nothing left to roll back
		}
		if res == nil {
			break
		}
	}
	s, err := db.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 0 {
		t.Fatalf("after rolling everything back %d tables remain", len(s))
	}
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
