package store_test

import (
	"fmt"
	"maps"
	"testing"
)

// alterTable applies "ALTER TABLE t action[, action...]" in either dialect:
// ADD/DROP/MODIFY/CHANGE/RENAME COLUMN, ADD/DROP INDEX or KEY, RENAME TO.
func (s sqlSchema) alterTable(dialect string, p *parser) error {
	name, err := p.ident()
	if err != nil {
		return err
	}
	t, err := s.table(name)
	if err != nil {
		return err
	}
	for {
		if name, err = s.alterAction(dialect, p, name, t); err != nil {
			return err
		}
		if p.done() {
			return nil
		}
		if err := p.expect(","); err != nil {
			return err
		}
	}
}

// alterAction applies one action; a rename returns the table's new name.
func (s sqlSchema) alterAction(dialect string, p *parser, name string, t *sqlTable) (string, error) {
	switch {
	case p.accept("RENAME", "TO"), p.accept("RENAME", "AS"):
		to, err := p.ident()
		if err != nil {
			return name, err
		}
		delete(s, name)
		s[to] = t
		return to, nil
	case p.accept("RENAME", "COLUMN"):
		from, err := p.ident()
		if err == nil {
			err = p.expect("TO")
		}
		to, err2 := p.ident()
		if err != nil || err2 != nil {
			return name, fmt.Errorf("rename column: %v %v", err, err2)
		}
		return name, t.renameColumn(from, to)
	case p.accept("RENAME", "INDEX"), p.accept("RENAME", "KEY"):
		from, err := p.ident()
		if err == nil {
			err = p.expect("TO")
		}
		to, err2 := p.ident()
		if err != nil || err2 != nil {
			return name, fmt.Errorf("rename index: %v %v", err, err2)
		}
		ix, ok := t.indexes[from]
		if !ok {
			return name, fmt.Errorf("no index %s", from)
		}
		delete(t.indexes, from)
		t.indexes[to] = ix
		return name, nil
	case p.accept("DROP", "INDEX"), p.accept("DROP", "KEY"):
		ix, err := p.ident()
		if err != nil {
			return name, err
		}
		if _, ok := t.indexes[ix]; !ok {
			return name, fmt.Errorf("no index %s", ix)
		}
		delete(t.indexes, ix)
		return name, nil
	case p.accept("DROP", "FOREIGN", "KEY"):
		fk, err := p.ident()
		if err != nil {
			return name, err
		}
		delete(t.fks, fk)
		return name, nil
	case p.accept("DROP"):
		p.accept("COLUMN")
		col, err := p.ident()
		if err != nil {
			return name, err
		}
		if _, ok := t.columns[col]; !ok {
			return name, fmt.Errorf("no column %s", col)
		}
		delete(t.columns, col)
		return name, nil
	case p.accept("ADD"):
		if done, err := t.tableConstraint(p); done || err != nil {
			return name, err
		}
		p.accept("COLUMN")
		return name, t.replaceColumn(dialect, p, "", false)
	case p.accept("MODIFY"):
		p.accept("COLUMN")
		return name, t.replaceColumn(dialect, p, "", true)
	case p.accept("CHANGE"):
		p.accept("COLUMN")
		from, err := p.ident()
		if err != nil {
			return name, err
		}
		return name, t.replaceColumn(dialect, p, from, true)
	}
	return name, p.errorf("ALTER TABLE action not understood by the parity test")
}

// replaceColumn reads a column definition and adds it, or replaces the
// existing column (MODIFY: same name; CHANGE: the column named from).
func (t *sqlTable) replaceColumn(dialect string, p *parser, from string, replace bool) error {
	rc, err := p.columnDef()
	if err != nil {
		return err
	}
	if from == "" {
		from = rc.name
	}
	_, exists := t.columns[from]
	switch {
	case replace && !exists:
		return fmt.Errorf("no column %s", from)
	case !replace && exists:
		return fmt.Errorf("column %s exists", from)
	}
	if from != rc.name {
		if err := t.renameColumn(from, rc.name); err != nil {
			return err
		}
	}
	t.addColumn(dialect, rc, len(t.pk) == 1 && t.pk[0] == rc.name)
	return nil
}

// renameColumn renames a column and follows it in the keys and indexes.
func (t *sqlTable) renameColumn(from, to string) error {
	c, ok := t.columns[from]
	if !ok {
		return fmt.Errorf("no column %s", from)
	}
	delete(t.columns, from)
	t.columns[to] = c
	rename := func(cols []string) {
		for i, n := range cols {
			if n == from {
				cols[i] = to
			}
		}
	}
	rename(t.pk)
	for k := range maps.Keys(t.indexes) {
		rename(t.indexes[k].cols)
	}
	return nil
}

// TestMigrationReaderFollowsAlterTable checks the reader on the shapes a
// later migration takes in each dialect: MySQL alters in place, SQLite adds
// columns or rebuilds the table; both must land on the same schema.
func TestMigrationReaderFollowsAlterTable(t *testing.T) {
	base := "CREATE TABLE offices (id %s, kind VARCHAR(24) NOT NULL, name VARCHAR(64) NOT NULL);\n" +
		"CREATE INDEX idx_offices_kind ON offices (kind);\n"
	my := fmt.Sprintf(base, "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY") +
		"ALTER TABLE offices ADD COLUMN parent_id BIGINT NULL AFTER kind, MODIFY name VARCHAR(128) NOT NULL, ADD INDEX idx_offices_parent (parent_id);\n" +
		"ALTER TABLE offices CHANGE COLUMN kind office_kind VARCHAR(24) NOT NULL DEFAULT 'station';"
	lite := fmt.Sprintf(base, "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT") +
		"CREATE TABLE offices_new (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, office_kind VARCHAR(24) NOT NULL DEFAULT 'station', name VARCHAR(128) NOT NULL, parent_id BIGINT);\n" +
		"INSERT INTO offices_new (id, office_kind, name) SELECT id, kind, name FROM offices;\n" +
		"DROP TABLE offices;\nALTER TABLE offices_new RENAME TO offices;\n" +
		"CREATE INDEX idx_offices_kind ON offices (office_kind);\nCREATE INDEX idx_offices_parent ON offices (parent_id);"
	a, b := sqlSchema{}, sqlSchema{}
	if err := a.apply("mysql", my); err != nil {
		t.Fatal(err)
	}
	if err := b.apply("sqlite", lite); err != nil {
		t.Fatal(err)
	}
	if onlyMy, onlyLite := schemaDiff(a, b); len(onlyMy)+len(onlyLite) > 0 {
		t.Fatalf("only mysql %q, only sqlite %q", onlyMy, onlyLite)
	}
	if got := len(a.lines()); got != 7 {
		t.Fatalf("read %d facts, want 7: %q", got, a.lines())
	}
}
