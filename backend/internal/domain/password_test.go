package domain

import (
	"testing"
	"time"
)

func TestCheckPassword(t *testing.T) {
	for _, c := range []struct {
		pw string
		ok bool
	}{
		{"Abcdefghijk1", true},    // 12, three classes
		{"abcdefghij1!", true},    // lower, digit, symbol
		{"Abcdefghij1", false},    // 11 characters
		{"abcdefghijkl1", false},  // two classes
		{"ABCDEFGHIJKLMN", false}, // one class
		{"demo1234", false},       // the demo password is not a real one
		{"密码密码密码密码Ab12", true},    // symbols may be any other character
		{string(make([]byte, 129)), false},
	} {
		err := CheckPassword(c.pw)
		if (err == nil) != c.ok || (err != nil && ErrorCode(err) != CodePasswordPolicy) {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", c.pw, err, c.ok)
		}
	}
	set := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := PasswordDue(set); !got.Equal(set.AddDate(0, 0, 90)) {
		t.Errorf("due %v", got)
	}
}
