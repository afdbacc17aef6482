package tamper

import "testing"

func TestEdit(t *testing.T) {
	for _, c := range []struct {
		pos  uint
		b    byte
		op   uint8
		want string
	}{
		{1, 'X', 0, "aXc"},
		{4, 'X', 0, "aXc"}, // 4 mod 3
		{0, 'X', 1, "Xabc"},
		{2, '\n', 4, "ab\nc"},
		{2, 'X', 2, "ab"},
		{0, 'X', 5, ""},
	} {
		if got := Edit("abc", c.pos, c.b, c.op); got != c.want {
			t.Errorf("Edit(abc, %d, %q, %d) = %q; want %q", c.pos, c.b, c.op, got, c.want)
		}
	}
}
