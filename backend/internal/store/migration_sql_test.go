package store_test

import (
	"fmt"
	"strings"
	"unicode"
)

// This file is a small reader of the DDL our goose migrations use, just
// enough to rebuild, without any database server, the schema that a list of
// migration files yields in each dialect. migration_parity_test.go compares
// the two. A statement it does not know is an error, not a silent skip: a
// new construct must be taught here before the parity test can vouch for it.

// sqlTok is one token of a migration: a keyword or identifier (word), a
// number, a quoted string literal, or one punctuation character.
type sqlTok struct {
	kind byte // 'w' word, 'n' number, 's' string, 'p' punctuation
	text string
}

// upper is the token as a keyword: words and punctuation upper-cased.
func (t sqlTok) upper() string { return strings.ToUpper(t.text) }

// splitGoose returns the Up and Down halves of a goose SQL file.
func splitGoose(src string) (up, down string, err error) {
	var part *strings.Builder
	var ub, db strings.Builder
	for _, line := range strings.Split(src, "\n") {
		switch strings.TrimSpace(line) {
		case "-- +goose Up":
			part = &ub
			continue
		case "-- +goose Down":
			part = &db
			continue
		}
		if part == nil {
			continue // header comments before the first annotation
		}
		part.WriteString(line)
		part.WriteByte('\n')
	}
	if part == nil {
		return "", "", fmt.Errorf("no -- +goose Up annotation")
	}
	return ub.String(), db.String(), nil
}

// tokenize cuts SQL into tokens, dropping comments. Identifiers quoted with
// backticks or double quotes become plain words.
func tokenize(src string) ([]sqlTok, error) {
	var out []sqlTok
	r := []rune(src)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '-' && i+1 < len(r) && r[i+1] == '-':
			for i < len(r) && r[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(r) && r[i+1] == '*':
			end := strings.Index(string(r[i+2:]), "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated /* comment")
			}
			i += 2 + len([]rune(string(r[i+2:])[:end])) + 2
		case c == '\'':
			j := i + 1
			for ; j < len(r); j++ {
				if r[j] == '\'' {
					if j+1 < len(r) && r[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
			if j >= len(r) {
				return nil, fmt.Errorf("unterminated string literal")
			}
			out = append(out, sqlTok{'s', string(r[i : j+1])})
			i = j + 1
		case c == '`' || c == '"':
			j := i + 1
			for j < len(r) && r[j] != c {
				j++
			}
			if j >= len(r) {
				return nil, fmt.Errorf("unterminated quoted identifier")
			}
			out = append(out, sqlTok{'w', string(r[i+1 : j])})
			i = j + 1
		case unicode.IsDigit(c):
			j := i
			for j < len(r) && (unicode.IsDigit(r[j]) || r[j] == '.') {
				j++
			}
			out = append(out, sqlTok{'n', string(r[i:j])})
			i = j
		case unicode.IsLetter(c) || c == '_':
			j := i
			for j < len(r) && (unicode.IsLetter(r[j]) || unicode.IsDigit(r[j]) || r[j] == '_' || r[j] == '$') {
				j++
			}
			out = append(out, sqlTok{'w', string(r[i:j])})
			i = j
		default:
			out = append(out, sqlTok{'p', string(c)})
			i++
		}
	}
	return out, nil
}

// statements splits tokens at top-level semicolons, dropping empty ones.
func statements(toks []sqlTok) [][]sqlTok {
	var out [][]sqlTok
	var cur []sqlTok
	for _, t := range toks {
		if t.kind == 'p' && t.text == ";" {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// parser walks one statement's tokens.
type parser struct {
	toks []sqlTok
	pos  int
}

func (p *parser) done() bool { return p.pos >= len(p.toks) }

// peek is the upper-cased token at the cursor, or "" at the end.
func (p *parser) peek() string {
	if p.done() {
		return ""
	}
	return p.toks[p.pos].upper()
}

// accept consumes the given keywords in sequence if they all come next.
func (p *parser) accept(words ...string) bool {
	if p.pos+len(words) > len(p.toks) {
		return false
	}
	for i, w := range words {
		if p.toks[p.pos+i].upper() != w {
			return false
		}
	}
	p.pos += len(words)
	return true
}

func (p *parser) expect(words ...string) error {
	if !p.accept(words...) {
		return p.errorf("want %s", strings.Join(words, " "))
	}
	return nil
}

func (p *parser) errorf(format string, args ...any) error {
	at := "end of statement"
	if !p.done() {
		at = fmt.Sprintf("%q", p.toks[p.pos].text)
	}
	return fmt.Errorf(format+" at %s", append(args, at)...)
}

// ident consumes one identifier, lower-cased (both dialects treat our names
// case-insensitively), and accepts a schema-qualified name by its last part.
func (p *parser) ident() (string, error) {
	if p.done() || p.toks[p.pos].kind != 'w' {
		return "", p.errorf("want a name")
	}
	name := p.toks[p.pos].text
	p.pos++
	for p.peek() == "." && p.pos+1 < len(p.toks) {
		name = p.toks[p.pos+1].text
		p.pos += 2
	}
	return strings.ToLower(name), nil
}

// balanced consumes a parenthesised group and returns its text joined by
// single spaces (upper-cased words), for CHECK clauses and expression defaults.
func (p *parser) balanced() (string, error) {
	if err := p.expect("("); err != nil {
		return "", err
	}
	depth, parts := 1, []string{"("}
	for !p.done() {
		t := p.toks[p.pos]
		p.pos++
		text := t.text
		if t.kind == 'w' {
			text = t.upper()
		}
		parts = append(parts, text)
		switch text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return strings.Join(parts, " "), nil
			}
		}
	}
	return "", p.errorf("unbalanced parentheses")
}

// numList consumes "(n[,m])" after a type name.
func (p *parser) numList() ([]string, error) {
	if !p.accept("(") {
		return nil, nil
	}
	var out []string
	for {
		if p.done() || p.toks[p.pos].kind != 'n' {
			return nil, p.errorf("want a number")
		}
		out = append(out, p.toks[p.pos].text)
		p.pos++
		if p.accept(")") {
			return out, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}

// nameList consumes "(a, b(10) DESC, ...)": the columns of a key or index.
func (p *parser) nameList() ([]string, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var out []string
	for {
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if n, err := p.numList(); err != nil {
			return nil, err
		} else if n != nil {
			name += "(" + strings.Join(n, ",") + ")"
		}
		if p.accept("DESC") {
			name += " desc"
		}
		p.accept("ASC")
		out = append(out, name)
		if p.accept(")") {
			return out, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}

// literal consumes a default value: a literal, a signed number, a keyword
// such as CURRENT_TIMESTAMP (with an optional precision) or a parenthesised
// expression. The result is canonical across dialects (TRUE is 1).
func (p *parser) literal() (string, error) {
	if p.peek() == "(" {
		return p.balanced()
	}
	sign := ""
	if p.peek() == "-" || p.peek() == "+" {
		sign = p.toks[p.pos].text
		p.pos++
	}
	if p.done() {
		return "", p.errorf("want a value")
	}
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case 's':
		return t.text, nil
	case 'n':
		return sign + t.text, nil
	case 'w':
		v := t.upper()
		if p.peek() == "(" {
			if _, err := p.balanced(); err != nil { // CURRENT_TIMESTAMP(6)
				return "", err
			}
		}
		switch v {
		case "TRUE":
			return "1", nil
		case "FALSE":
			return "0", nil
		}
		return v, nil
	}
	return "", p.errorf("want a value")
}
