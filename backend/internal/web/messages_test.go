package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/frontend"
	"github.com/gzga/idcard/static"
	"github.com/gzga/idcard/templates"
)

// TestEveryCodeHasAStatus proves that each code of the domain table answers
// with an error status of its own kind: 5xx only for the server's failures.
func TestEveryCodeHasAStatus(t *testing.T) {
	for _, c := range domain.AllCodes() {
		st := httpStatus(c)
		server := c == domain.CodeInternal || c == domain.CodeUnavailable
		if st < 400 || st > 599 || (st >= 500) != server {
			t.Errorf("code %s answers HTTP %d", c, st)
		}
	}
}

// codeMapRE matches a browser script that maps an error code to a Chinese
// sentence of its own: `VERSION_CONFLICT: '…'` or `case 'VERSION_CONFLICT': return '…'`.
func codeMapRE() *regexp.Regexp {
	var names []string
	for _, c := range domain.AllCodes() {
		names = append(names, regexp.QuoteMeta(string(c)))
	}
	codes := `\b(?:` + strings.Join(names, "|") + `)\b`
	return regexp.MustCompile(codes + `['"]?\s*:\s*(?:return\s*)?['"` + "`" + `][^'"` + "`" + `]*\p{Han}`)
}

// statusLabelRE matches a browser script's own table of status names:
// `ready_for_pickup: '待领取'`.
func statusLabelRE() *regexp.Regexp {
	var names []string
	for _, st := range domain.AllStatuses() {
		names = append(names, regexp.QuoteMeta(string(st)))
	}
	return regexp.MustCompile(`\b(?:` + strings.Join(names, "|") + `)['"]?\s*:\s*['"` + "`" + `]\p{Han}`)
}

// TestNoSecondCopyOfCodeMessages proves the code table is the only home of
// a code's sentence: no staff template or script, no H5 module and no Go
// file outside domain/errors.go holds a code's default message or maps a
// code to a Chinese sentence of its own (a switch or if on a code that
// returns or assigns Chinese text), and no script keeps a table of status
// names. Pages and the H5 show the server's message and status_label.
func TestNoSecondCopyOfCodeMessages(t *testing.T) {
	msgs := map[string]domain.Code{}
	for _, c := range domain.AllCodes() {
		msgs[c.Message()] = c
	}
	mapRE, labelRE := codeMapRE(), statusLabelRE()
	for name, fsys := range map[string]fs.FS{"templates": templates.FS(), "static": static.FS(), "frontend": frontend.FS()} {
		err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(path, "vendor/") || !textAsset(path) {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			text := string(b)
			for m, c := range msgs {
				if strings.Contains(text, m) {
					t.Errorf("%s/%s copies the message of %s: %q", name, path, c, m)
				}
			}
			if loc := mapRE.FindString(text); loc != "" {
				t.Errorf("%s/%s maps a code to its own sentence: %q", name, path, loc)
			}
			if loc := labelRE.FindString(text); loc != "" {
				t.Errorf("%s/%s keeps its own status labels (the API gives status_label): %q", name, path, loc)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			filepath.ToSlash(path) == "../../internal/domain/errors.go" {
			return err
		}
		for _, p := range goMessageCopies(t, path, msgs) {
			t.Error(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCodeMapCheckCatchesACopy proves the scan above is not blind: the
// copies it is meant to refuse are found.
func TestCodeMapCheckCatchesACopy(t *testing.T) {
	re := codeMapRE()
	for _, s := range []string{
		"const MESSAGES = {\n  VERSION_CONFLICT: '办件已被更新，请刷新后重试',",
		"case 'TOKEN_USED': return \"领证码已使用\";",
	} {
		if !re.MatchString(s) {
			t.Errorf("not caught: %q", s)
		}
	}
	if !statusLabelRE().MatchString("const STATUS_LABELS = {\n  ready_for_pickup: '待领取',") {
		t.Error("a status label table is not caught")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "copy.go")
	code := "package x\n\nimport \"github.com/gzga/idcard/backend/internal/domain\"\n\n" +
		"func explain(err error) string {\n\tswitch domain.ErrorCode(err) {\n\tcase domain.CodeVersionConflict:\n\t\treturn \"该办件已被他人处理\"\n\t}\n" +
		"\tif domain.ErrorCode(err) == domain.CodeTokenUsed {\n\t\treturn \"已领取\"\n\t}\n\treturn " +
		strconv.Quote(domain.CodeNotFound.Message()) + "\n}\n"
	if err := os.WriteFile(src, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	msgs := map[string]domain.Code{domain.CodeNotFound.Message(): domain.CodeNotFound}
	if got := goMessageCopies(t, src, msgs); len(got) != 3 {
		t.Errorf("want the switch, the if and the copied sentence, got %q", got)
	}
}

// textAsset says whether an embedded file is text a person wrote.
func textAsset(path string) bool {
	switch filepath.Ext(path) {
	case ".html", ".js", ".css", ".json", ".txt":
		return true
	}
	return false
}

// goMessageCopies reports, for one Go file, every string literal that is a
// code's default message and every switch case or if on a domain code whose
// body returns or assigns a Chinese literal.
func goMessageCopies(t *testing.T, path string, msgs map[string]domain.Code) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	report := func(n ast.Node, what string) {
		out = append(out, fset.Position(n.Pos()).String()+": "+what)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING {
				if c, ok := msgs[s]; ok {
					report(n, "copies the message of "+string(c))
				}
			}
		case *ast.CaseClause:
			if namesCode(n.List...) && saysChinese(n.Body) {
				report(n, "a case on an error code says its own sentence")
			}
		case *ast.IfStmt:
			if namesCode(n.Cond) && saysChinese(n.Body.List) {
				report(n, "an if on an error code says its own sentence")
			}
		}
		return true
	})
	return out
}

// namesCode says whether the expressions mention a domain Code constant.
func namesCode(exprs ...ast.Expr) bool {
	found := false
	for _, e := range exprs {
		ast.Inspect(e, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "domain" && strings.HasPrefix(n.Sel.Name, "Code") {
					found = true
				}
			case *ast.Ident:
				if strings.HasPrefix(n.Name, "Code") && len(n.Name) > 4 && unicode.IsUpper(rune(n.Name[4])) {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// saysChinese says whether a statement list directly returns or assigns a
// string literal in Chinese.
func saysChinese(stmts []ast.Stmt) bool {
	var exprs []ast.Expr
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.ReturnStmt:
			exprs = append(exprs, s.Results...)
		case *ast.AssignStmt:
			exprs = append(exprs, s.Rhs...)
		}
	}
	for _, e := range exprs {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			for _, r := range lit.Value {
				if unicode.Is(unicode.Han, r) {
					return true
				}
			}
		}
	}
	return false
}
