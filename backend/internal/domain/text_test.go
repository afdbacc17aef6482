package domain

import (
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		max            int
		wantMsg        string // part of the refusal; "" = accepted
	}{
		{name: "plain", in: "照片不清晰", want: "照片不清晰", max: 10},
		{name: "trimmed", in: " \t照片不清晰\u3000\n", want: "照片不清晰", max: 10},
		{name: "inner white space is one space", in: "贵阳市\r\n南明区\t\t花果园  3栋", want: "贵阳市 南明区 花果园 3栋", max: 50},
		{name: "line and paragraph separators", in: "一\u2028二\u2029三", want: "一 二 三", max: 10},
		{name: "NFC", in: "Jose\u0301", want: "José", max: 10},
		{name: "empty stays empty", in: "", want: "", max: 10},
		{name: "only spaces is empty", in: " \u3000\n ", want: "", max: 10},
		{name: "private use kept for rare name characters", in: "王\ue000", want: "王\ue000", max: 10},
		{name: "exactly max", in: strings.Repeat("字", 5), want: strings.Repeat("字", 5), max: 5},
		{name: "NUL", in: "\u0000\u0000", max: 10, wantMsg: "控制字符"},
		{name: "NUL inside", in: "原因\u0000", max: 10, wantMsg: "控制字符"},
		{name: "escape", in: "\x1b[31m红\x1b[0m", max: 20, wantMsg: "控制字符"},
		{name: "DEL", in: "a\x7fb", max: 10, wantMsg: "控制字符"},
		{name: "C1", in: "a\u009bb", max: 10, wantMsg: "控制字符"},
		{name: "bidi override", in: "abc\u202Egpj.exe", max: 20, wantMsg: "格式字符"},
		{name: "bidi isolate", in: "\u2066张三\u2069", max: 20, wantMsg: "格式字符"},
		{name: "bidi mark", in: "张三\u200f", max: 20, wantMsg: "格式字符"},
		{name: "zero-width only", in: "\u200b\u200c\u200d", max: 20, wantMsg: "格式字符"},
		{name: "word joiner", in: "张\u2060三", max: 20, wantMsg: "格式字符"},
		{name: "BOM", in: "\ufeff原因", max: 20, wantMsg: "格式字符"},
		{name: "soft hyphen", in: "a\u00adb", max: 20, wantMsg: "格式字符"},
		{name: "invalid UTF-8", in: "原\xff因", max: 20, wantMsg: "编码不正确"},
		{name: "truncated UTF-8", in: "原因\xe5\x8e", max: 20, wantMsg: "编码不正确"},
		{name: "replacement character", in: "原\ufffd因", max: 20, wantMsg: "编码不正确"},
		{name: "too long", in: strings.Repeat("字", 6), max: 5, wantMsg: "不能超过5个字"},
		{name: "length counted after folding", in: "字" + strings.Repeat(" ", 20) + "字", want: "字 字", max: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CleanText("原因", tc.in, tc.max)
			if tc.wantMsg == "" {
				if err != nil || got != tc.want {
					t.Fatalf("CleanText(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("CleanText(%q) = %q, want a refusal", tc.in, got)
			}
			if ErrorCode(err) != CodeValidationFailed {
				t.Fatalf("code %s, want VALIDATION_FAILED", ErrorCode(err))
			}
			if msg := ErrorMessage(err); !strings.HasPrefix(msg, "原因") || !strings.Contains(msg, tc.wantMsg) {
				t.Fatalf("message %q does not name the field and say %q", msg, tc.wantMsg)
			}
		})
	}
}
