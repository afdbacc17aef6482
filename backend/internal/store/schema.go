package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Column describes one column as both dialects can agree on it.
type Column struct {
	Name     string
	Family   string // integer, bool, text, datetime, date, blob
	Nullable bool
	Primary  bool
}

// Index describes one secondary index.
type Index struct {
	Name    string
	Unique  bool
	Columns []string
}

// Table is a table's columns (in order) and its indexes (sorted by name).
type Table struct {
	Name    string
	Columns []Column
	Indexes []Index
}

// Schema reads the tables of the database (except goose's own) so the two
// dialects' migrations can be compared.
func (db *DB) Schema(ctx context.Context) (map[string]Table, error) {
	if db.dialect == MySQL {
		return db.mysqlSchema(ctx)
	}
	return db.sqliteSchema(ctx)
}

const gooseTable = "goose_db_version"

func family(declared string) string {
	t := strings.ToLower(strings.TrimSpace(declared))
	switch {
	case t == "tinyint(1)" || strings.HasPrefix(t, "bool"):
		return "bool"
	case strings.Contains(t, "int"):
		return "integer"
	case strings.Contains(t, "char") || strings.Contains(t, "text"):
		return "text"
	case strings.HasPrefix(t, "datetime") || strings.HasPrefix(t, "timestamp"):
		return "datetime"
	case t == "date":
		return "date"
	case strings.Contains(t, "blob"):
		return "blob"
	}
	return "other:" + t
}

func (db *DB) sqliteSchema(ctx context.Context) (map[string]Table, error) {
	var names []string
	if err := db.gorm.WithContext(ctx).Raw(
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?", gooseTable,
	).Scan(&names).Error; err != nil {
		return nil, err
	}
	out := map[string]Table{}
	for _, n := range names {
		t := Table{Name: n}
		var cols []struct {
			Name    string
			Type    string
			NotNull int `gorm:"column:notnull"`
			PK      int `gorm:"column:pk"`
		}
		if err := db.gorm.WithContext(ctx).Raw(fmt.Sprintf("PRAGMA table_info(%q)", n)).Scan(&cols).Error; err != nil {
			return nil, err
		}
		for _, c := range cols {
			t.Columns = append(t.Columns, Column{Name: c.Name, Family: family(c.Type), Nullable: c.NotNull == 0 && c.PK == 0, Primary: c.PK > 0})
		}
		var idx []struct {
			Name   string
			Unique int
			Origin string
		}
		if err := db.gorm.WithContext(ctx).Raw(fmt.Sprintf("PRAGMA index_list(%q)", n)).Scan(&idx).Error; err != nil {
			return nil, err
		}
		for _, i := range idx {
			if i.Origin == "pk" {
				continue
			}
			var ic []struct{ Name string }
			if err := db.gorm.WithContext(ctx).Raw(fmt.Sprintf("PRAGMA index_info(%q)", i.Name)).Scan(&ic).Error; err != nil {
				return nil, err
			}
			ix := Index{Name: i.Name, Unique: i.Unique == 1}
			for _, c := range ic {
				ix.Columns = append(ix.Columns, c.Name)
			}
			t.Indexes = append(t.Indexes, ix)
		}
		sort.Slice(t.Indexes, func(a, b int) bool { return t.Indexes[a].Name < t.Indexes[b].Name })
		out[n] = t
	}
	return out, nil
}

func (db *DB) mysqlSchema(ctx context.Context) (map[string]Table, error) {
	var cols []struct {
		TableName  string `gorm:"column:TABLE_NAME"`
		ColumnName string `gorm:"column:COLUMN_NAME"`
		ColumnType string `gorm:"column:COLUMN_TYPE"`
		IsNullable string `gorm:"column:IS_NULLABLE"`
		ColumnKey  string `gorm:"column:COLUMN_KEY"`
	}
	if err := db.gorm.WithContext(ctx).Raw(`SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> ?
		ORDER BY TABLE_NAME, ORDINAL_POSITION`, gooseTable).Scan(&cols).Error; err != nil {
		return nil, err
	}
	out := map[string]Table{}
	for _, c := range cols {
		t := out[c.TableName]
		t.Name = c.TableName
		t.Columns = append(t.Columns, Column{Name: c.ColumnName, Family: family(c.ColumnType), Nullable: c.IsNullable == "YES", Primary: c.ColumnKey == "PRI"})
		out[c.TableName] = t
	}
	var stats []struct {
		TableName  string `gorm:"column:TABLE_NAME"`
		IndexName  string `gorm:"column:INDEX_NAME"`
		NonUnique  int    `gorm:"column:NON_UNIQUE"`
		ColumnName string `gorm:"column:COLUMN_NAME"`
	}
	if err := db.gorm.WithContext(ctx).Raw(`SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME <> ?
		ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, gooseTable).Scan(&stats).Error; err != nil {
		return nil, err
	}
	for _, s := range stats {
		t := out[s.TableName]
		n := len(t.Indexes)
		if n == 0 || t.Indexes[n-1].Name != s.IndexName {
			t.Indexes = append(t.Indexes, Index{Name: s.IndexName, Unique: s.NonUnique == 0})
			n++
		}
		t.Indexes[n-1].Columns = append(t.Indexes[n-1].Columns, s.ColumnName)
		out[s.TableName] = t
	}
	return out, nil
}
