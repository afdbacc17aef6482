package domain

import (
	"errors"
	"fmt"
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
	if len(seen) != 34 {
		t.Errorf("got %d codes, want 34", len(seen))
	}
	if Code("NO_SUCH").Message() != generic {
		t.Error("unknown code should fall back to the internal message")
	}
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
		if ErrorMessage(err) != CodeTokenUsed.Message() || !strings.Contains(err.Error(), "已使用") {
			t.Errorf("empty message should fall back to the default: %q", err.Error())
		}
	})
}
