package store_test

import (
	"fmt"
	"slices"
	"strings"
)

// rawColumn is a column definition as written, before canonType.
type rawColumn struct {
	name    string
	base    string
	params  []string
	autoInc bool
	pk      bool
	unique  bool
	col     sqlColumn
	fk      string
}

// apply runs one migration half (Up or Down) of a dialect on the schema.
func (s sqlSchema) apply(dialect, src string) error {
	toks, err := tokenize(src)
	if err != nil {
		return err
	}
	for _, st := range statements(toks) {
		p := &parser{toks: st}
		if err := s.statement(dialect, p); err != nil {
			return fmt.Errorf("%s: %w", head(st), err)
		}
	}
	return nil
}

// head is the start of a statement, to say which one failed.
func head(st []sqlTok) string {
	var words []string
	for i := 0; i < len(st) && i < 6; i++ {
		words = append(words, st[i].text)
	}
	return strings.Join(words, " ")
}

func (s sqlSchema) statement(dialect string, p *parser) error {
	switch {
	case p.accept("CREATE", "TABLE"):
		return s.createTable(dialect, p)
	case p.accept("CREATE", "UNIQUE", "INDEX"):
		return s.createIndex(p, true)
	case p.accept("CREATE", "INDEX"):
		return s.createIndex(p, false)
	case p.accept("DROP", "TABLE"):
		p.accept("IF", "EXISTS")
		for {
			name, err := p.ident()
			if err != nil {
				return err
			}
			if _, err := s.table(name); err != nil {
				return err
			}
			delete(s, name)
			if !p.accept(",") {
				return nil
			}
		}
	case p.accept("DROP", "INDEX"):
		p.accept("IF", "EXISTS")
		name, err := p.ident()
		if err != nil {
			return err
		}
		t, err := s.indexOwner(name)
		if p.accept("ON") {
			var tn string
			if tn, err = p.ident(); err == nil {
				t, err = s.table(tn)
			}
		}
		if err != nil {
			return err
		}
		if _, ok := t.indexes[name]; !ok {
			return fmt.Errorf("no index %s", name)
		}
		delete(t.indexes, name)
		return nil
	case p.accept("ALTER", "TABLE"):
		return s.alterTable(dialect, p)
	}
	switch p.peek() {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "SET", "PRAGMA":
		return nil // data, not schema
	}
	return p.errorf("statement not understood by the parity test")
}

func (s sqlSchema) createTable(dialect string, p *parser) error {
	p.accept("IF", "NOT", "EXISTS")
	name, err := p.ident()
	if err != nil {
		return err
	}
	if _, ok := s[name]; ok {
		return fmt.Errorf("table %s exists", name)
	}
	t := &sqlTable{columns: map[string]sqlColumn{}, indexes: map[string]sqlIndex{}, fks: map[string]string{}}
	if err := p.expect("("); err != nil {
		return err
	}
	var raws []rawColumn
	for {
		if done, err := t.tableConstraint(p); err != nil {
			return err
		} else if !done {
			rc, err := p.columnDef()
			if err != nil {
				return err
			}
			raws = append(raws, rc)
			if rc.pk {
				t.pk = []string{rc.name}
			}
		}
		if p.accept(")") {
			break
		}
		if err := p.expect(","); err != nil {
			return err
		}
	}
	// Table options (ENGINE, CHARSET, STRICT, ...) do not change the schema.
	for _, rc := range raws {
		t.addColumn(dialect, rc, len(t.pk) == 1 && t.pk[0] == rc.name)
	}
	s[name] = t
	return nil
}

// addColumn stores a parsed column definition in canonical form.
func (t *sqlTable) addColumn(dialect string, rc rawColumn, soloPK bool) {
	rc.col.typ = canonType(dialect, rc.base, rc.params, rc.autoInc, soloPK)
	if slices.Contains(t.pk, rc.name) {
		rc.col.nullable = false
	}
	t.columns[rc.name] = rc.col
	if rc.unique {
		t.indexes["(unique "+rc.name+")"] = sqlIndex{unique: true, cols: []string{rc.name}}
	}
	if rc.fk != "" {
		t.fks[rc.fk] = "(" + rc.name + ") " + rc.fk
	}
}

// tableConstraint reads a key, index, foreign key or check written among
// the columns; it reports false when the next item is a column instead.
func (t *sqlTable) tableConstraint(p *parser) (bool, error) {
	fkName := ""
	if p.accept("CONSTRAINT") {
		var err error
		if fkName, err = p.ident(); err != nil {
			return false, err
		}
	}
	switch {
	case p.accept("PRIMARY", "KEY"):
		cols, err := p.nameList()
		t.pk = cols
		return true, err
	case p.accept("FOREIGN", "KEY"):
		cols, err := p.nameList()
		if err != nil {
			return false, err
		}
		ref, err := p.references()
		if fkName == "" {
			fkName = ref
		}
		t.fks[fkName] = "(" + strings.Join(cols, ", ") + ") " + ref
		return true, err
	case p.peek() == "CHECK":
		p.pos++
		_, err := p.balanced()
		return true, err
	case p.peek() == "UNIQUE" || p.peek() == "KEY" || p.peek() == "INDEX":
		unique := p.accept("UNIQUE")
		if !p.accept("KEY") {
			p.accept("INDEX")
		}
		name := ""
		if p.peek() != "(" {
			var err error
			if name, err = p.ident(); err != nil {
				return false, err
			}
		}
		cols, err := p.nameList()
		if name == "" {
			name = "(unique " + strings.Join(cols, ", ") + ")"
		}
		t.indexes[name] = sqlIndex{unique: unique, cols: cols}
		return true, err
	}
	if fkName != "" {
		return false, p.errorf("constraint %s not understood", fkName)
	}
	return false, nil
}

// references reads "REFERENCES t (cols) [ON DELETE|UPDATE action]...".
func (p *parser) references() (string, error) {
	if err := p.expect("REFERENCES"); err != nil {
		return "", err
	}
	table, err := p.ident()
	if err != nil {
		return "", err
	}
	cols, err := p.nameList()
	if err != nil {
		return "", err
	}
	out := "references " + table + " (" + strings.Join(cols, ", ") + ")"
	for p.accept("ON") {
		event := p.peek()
		p.pos++
		var action []string
		for p.peek() == "CASCADE" || p.peek() == "RESTRICT" || p.peek() == "SET" || p.peek() == "NULL" ||
			p.peek() == "NO" || p.peek() == "ACTION" || p.peek() == "DEFAULT" {
			action = append(action, p.peek())
			p.pos++
		}
		out += " on " + strings.ToLower(event+" "+strings.Join(action, " "))
	}
	return out, nil
}

// columnDef reads "name TYPE[(n[,m])] constraints...".
func (p *parser) columnDef() (rawColumn, error) {
	rc := rawColumn{col: sqlColumn{nullable: true}}
	var err error
	if rc.name, err = p.ident(); err != nil {
		return rc, err
	}
	if p.done() || p.toks[p.pos].kind != 'w' {
		return rc, p.errorf("want the type of %s", rc.name)
	}
	rc.base = p.toks[p.pos].upper()
	p.pos++
	if rc.params, err = p.numList(); err != nil {
		return rc, err
	}
	p.accept("UNSIGNED") // would differ from SQLite's signed integers, but we use none
	for !p.done() && p.peek() != "," && p.peek() != ")" {
		if err := p.columnConstraint(&rc); err != nil {
			return rc, err
		}
	}
	return rc, nil
}

func (p *parser) columnConstraint(rc *rawColumn) error {
	var err error
	switch {
	case p.accept("NOT", "NULL"):
		rc.col.nullable = false
	case p.accept("NULL"):
		rc.col.nullable = true
	case p.accept("DEFAULT"):
		rc.col.def, err = p.literal()
		if rc.col.def == "NULL" {
			rc.col.def = ""
		}
	case p.accept("PRIMARY", "KEY"):
		rc.pk = true
		p.accept("ASC")
	case p.accept("AUTO_INCREMENT"), p.accept("AUTOINCREMENT"):
		rc.autoInc = true
	case p.accept("UNIQUE"):
		rc.unique = true
		p.accept("KEY")
	case p.accept("ON", "UPDATE"):
		rc.col.onUpdate, err = p.literal()
	case p.accept("CHECK"):
		rc.col.check, err = p.balanced()
	case p.peek() == "REFERENCES":
		rc.fk, err = p.references()
	case p.accept("COLLATE"), p.accept("CHARACTER", "SET"), p.accept("CHARSET"):
		_, err = p.ident() // MySQL's character sets have no SQLite counterpart
	case p.accept("COMMENT"):
		_, err = p.literal()
	case p.accept("CONSTRAINT"):
		_, err = p.ident()
	case p.accept("AFTER"):
		_, err = p.ident() // column order is not compared: SQLite can only append
	case p.accept("FIRST"):
	default:
		return p.errorf("column option not understood by the parity test")
	}
	return err
}

func (s sqlSchema) createIndex(p *parser, unique bool) error {
	p.accept("IF", "NOT", "EXISTS")
	name, err := p.ident()
	if err != nil {
		return err
	}
	if err := p.expect("ON"); err != nil {
		return err
	}
	tn, err := p.ident()
	if err != nil {
		return err
	}
	t, err := s.table(tn)
	if err != nil {
		return err
	}
	if _, err := s.indexOwner(name); err == nil {
		return fmt.Errorf("index %s exists", name)
	}
	cols, err := p.nameList()
	if err != nil {
		return err
	}
	if !p.done() {
		return p.errorf("partial or other index options not understood by the parity test")
	}
	t.indexes[name] = sqlIndex{unique: unique, cols: cols}
	return nil
}
