package domain

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

func TestCodes(t *testing.T) {
	seen := map[Code]bool{}
	generic := CodeInternal.Message()
	for _, c := range AllCodes() {
		if seen[c] {
			t.Errorf("duplicate code %s", c)
		}
		seen[c] = true
		if string(c) != strings.ToUpper(string(c)) || strings.ContainsAny(string(c), " -") {
			t.Errorf("code %q is not UPPER_SNAKE", c)
		}
		msg := c.Message()
		if c != CodeInternal && msg == generic {
			t.Errorf("code %s has no message of its own", c)
		}
		if !containsHan(msg) {
			t.Errorf("code %s message %q is not Chinese", c, msg)
		}
	}
	declared := declaredCodes(t)
	for _, c := range declared {
		if !seen[c] {
			t.Errorf("code %s is declared but has no row in the code table", c)
		}
	}
	if len(seen) != len(declared) {
		t.Errorf("the code table has %d codes, errors.go declares %d", len(seen), len(declared))
	}
	if Code("NO_SUCH").Message() != generic {
		t.Error("unknown code should fall back to the internal message")
	}
}

// TestCodeMessagesAreDistinct proves that no two codes share a sentence, so
// a message names its code and a user can tell two refusals apart.
func TestCodeMessagesAreDistinct(t *testing.T) {
	owner := map[string]Code{}
	for _, c := range AllCodes() {
		if o, dup := owner[c.Message()]; dup {
			t.Errorf("codes %s and %s share the message %q", o, c, c.Message())
		}
		owner[c.Message()] = c
	}
}

// declaredCodes returns the values of every Code constant in errors.go, read
// from the source, so a constant added without a table row is caught.
func declaredCodes(t *testing.T) []Code {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []Code
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
			return true
		}
		for _, v := range vs.Values {
			if lit, ok := v.(*ast.BasicLit); ok {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, Code(s))
			}
		}
		return true
	})
	if len(out) == 0 {
		t.Fatal("no Code constants found in errors.go")
	}
	return out
}

func containsHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestError(t *testing.T) {
	t.Run("E", func(t *testing.T) {
		err := E(CodeNotBound)
		if err.Message != CodeNotBound.Message() || err.Error() != "NOT_BOUND: 请先完成实名认证" {
			t.Errorf("E: %+v / %q", err, err.Error())
		}
	})
	t.Run("Errorf", func(t *testing.T) {
		err := Errorf(CodeReasonRequired, "请填写%s原因", "不通过")
		if err.Message != "请填写不通过原因" || err.Code != CodeReasonRequired {
			t.Errorf("Errorf: %+v", err)
		}
	})
	t.Run("WrapAndUnwrap", func(t *testing.T) {
		cause := errors.New("dial tcp: refused")
		err := fmt.Errorf("open db: %w", Wrap(CodeUnavailable, cause))
		if !errors.Is(err, cause) {
			t.Error("cause not reachable through Unwrap")
		}
		if !errors.Is(err, E(CodeUnavailable)) || errors.Is(err, E(CodeInternal)) {
			t.Error("Is should match by code")
		}
		if ErrorCode(err) != CodeUnavailable {
			t.Errorf("ErrorCode = %s", ErrorCode(err))
		}
		if ErrorMessage(err) != CodeUnavailable.Message() {
			t.Errorf("ErrorMessage = %q", ErrorMessage(err))
		}
		if !strings.Contains(err.Error(), "refused") {
			t.Errorf("Error() should include the cause: %q", err.Error())
		}
	})
	t.Run("PlainErrorIsInternal", func(t *testing.T) {
		err := errors.New("secret table name")
		if ErrorCode(err) != CodeInternal {
			t.Errorf("ErrorCode = %s", ErrorCode(err))
		}
		if m := ErrorMessage(err); strings.Contains(m, "secret") || m != CodeInternal.Message() {
			t.Errorf("ErrorMessage leaked or wrong: %q", m)
		}
	})
	t.Run("Nil", func(t *testing.T) {
		if ErrorCode(nil) != "" || ErrorMessage(nil) != "" {
			t.Error("nil error should give empty code and message")
		}
	})
	t.Run("EmptyMessage", func(t *testing.T) {
		err := &Error{Code: CodeTokenUsed}
		if ErrorMessage(err) != CodeTokenUsed.Message() || !strings.Contains(err.Error(), "不能重复发证") {
			t.Errorf("empty message should fall back to the default: %q", err.Error())
		}
	})
}
