package store_test

import (
	"fmt"
	"slices"
	"strings"
)

// sqlSchema is the schema that migrations yield, as read from their SQL by
// migration_sql_test.go, in terms both dialects share (see canonType).
type sqlSchema map[string]*sqlTable

// sqlTable is one table: columns by name, primary key, indexes by name and
// foreign keys by name (an unnamed one by its own text).
type sqlTable struct {
	columns map[string]sqlColumn
	pk      []string
	indexes map[string]sqlIndex
	fks     map[string]string
}

// sqlColumn is one column in canonical form.
type sqlColumn struct {
	typ      string
	nullable bool
	def      string // "" when there is none (DEFAULT NULL counts as none)
	onUpdate string
	check    string
}

// sqlIndex is one index: unique or not, over these columns in this order.
type sqlIndex struct {
	unique bool
	cols   []string
}

// lines renders the schema as sorted lines, one fact per line, so that two
// schemas compare as sets and a difference reads as the fact that differs.
func (s sqlSchema) lines() []string {
	var out []string
	for name, t := range s {
		out = append(out, fmt.Sprintf("table %s primary key (%s)", name, strings.Join(t.pk, ", ")))
		for cn, c := range t.columns {
			l := fmt.Sprintf("column %s.%s %s", name, cn, c.typ)
			if !c.nullable {
				l += " NOT NULL"
			}
			if c.def != "" {
				l += " DEFAULT " + c.def
			}
			if c.onUpdate != "" {
				l += " ON UPDATE " + c.onUpdate
			}
			if c.check != "" {
				l += " CHECK " + c.check
			}
			out = append(out, l)
		}
		for in, ix := range t.indexes {
			kind := "index"
			if ix.unique {
				kind = "unique index"
			}
			out = append(out, fmt.Sprintf("%s %s on %s (%s)", kind, in, name, strings.Join(ix.cols, ", ")))
		}
		for _, fk := range t.fks {
			out = append(out, fmt.Sprintf("foreign key %s %s", name, fk))
		}
	}
	slices.Sort(out)
	return out
}

// clone copies the schema deeply, so each migration's result can be kept.
func (s sqlSchema) clone() sqlSchema {
	out := sqlSchema{}
	for name, t := range s {
		c := &sqlTable{columns: map[string]sqlColumn{}, pk: slices.Clone(t.pk), indexes: map[string]sqlIndex{}, fks: map[string]string{}}
		for k, v := range t.columns {
			c.columns[k] = v
		}
		for k, v := range t.indexes {
			c.indexes[k] = sqlIndex{v.unique, slices.Clone(v.cols)}
		}
		for k, v := range t.fks {
			c.fks[k] = v
		}
		out[name] = c
	}
	return out
}

func (s sqlSchema) table(name string) (*sqlTable, error) {
	t, ok := s[name]
	if !ok {
		return nil, fmt.Errorf("no table %s", name)
	}
	return t, nil
}

// indexOwner finds the table holding an index: SQLite's DROP INDEX names
// no table (its index names are unique per database).
func (s sqlSchema) indexOwner(index string) (*sqlTable, error) {
	for _, t := range s {
		if _, ok := t.indexes[index]; ok {
			return t, nil
		}
	}
	return nil, fmt.Errorf("no index %s", index)
}

// canonType maps a dialect's column type to the type both dialects agree
// on: MySQL DATETIME(6) and SQLite DATETIME are one type (microseconds);
// MySQL BIGINT AUTO_INCREMENT and SQLite INTEGER PRIMARY KEY AUTOINCREMENT
// are one 64-bit surrogate key; MEDIUMBLOB/LONGBLOB are SQLite's BLOB.
// Anything else keeps its name and its length, so VARCHAR(16) against
// VARCHAR(32) differs, and so does a MySQL DATETIME without microseconds.
func canonType(dialect, base string, params []string, autoInc, soloPK bool) string {
	base = strings.ToUpper(base)
	with := func(b string) string {
		if len(params) == 0 {
			return b
		}
		return b + "(" + strings.Join(params, ",") + ")"
	}
	if dialect == "mysql" {
		switch base {
		case "BIGINT", "INT", "INTEGER", "SMALLINT", "MEDIUMINT":
			if autoInc {
				if base == "BIGINT" {
					return "AUTOID"
				}
				return "AUTOID(" + base + ")" // 32-bit: not SQLite's rowid
			}
			if base == "INTEGER" {
				base = "INT"
			}
			return base // display widths such as INT(11) mean nothing
		case "TINYINT":
			if slices.Equal(params, []string{"1"}) {
				return "BOOLEAN"
			}
			return "TINYINT"
		case "BOOL":
			return "BOOLEAN"
		case "DATETIME", "TIMESTAMP":
			if slices.Equal(params, []string{"6"}) {
				return base
			}
			if len(params) == 0 {
				return base + "(0)" // whole seconds: SQLite keeps microseconds
			}
			return with(base)
		case "BLOB", "MEDIUMBLOB", "LONGBLOB":
			return "BLOB"
		case "TEXT", "MEDIUMTEXT", "LONGTEXT":
			return "TEXT"
		}
		return with(base)
	}
	switch base {
	case "INTEGER":
		if soloPK && autoInc {
			return "AUTOID"
		}
		if soloPK {
			return "ROWID" // reuses deleted ids, unlike AUTO_INCREMENT
		}
		return "INT"
	case "BOOL":
		return "BOOLEAN"
	}
	if autoInc {
		return "AUTOID(" + base + ")"
	}
	return with(base)
}
