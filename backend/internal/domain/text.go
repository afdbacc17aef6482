package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanText is the one rule for text that people type: reasons, names,
// addresses, recipients, opening hours. It returns s as it is kept: in
// Unicode NFC, every run of white space (line breaks and tabs included)
// made one space, trimmed. It refuses, with VALIDATION_FAILED and a
// sentence naming the field by its label, text that is not valid UTF-8 (or
// holds U+FFFD, the mark of text that was garbled on the way), any other
// control character (C0, DEL, C1: "\u0000" is not a reason), any format
// character (Unicode category Cf: the bidi overrides and isolates
// U+202A–202E and U+2066–2069, the zero-width U+200B–200D, U+2060 and
// U+FEFF, soft hyphens, tags), and text longer than max characters. An
// empty result is no error: whether the field is required is the caller's
// rule.
func CleanText(label, s string, max int) (string, error) {
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		return "", Errorf(CodeValidationFailed, "%s含有无法识别的字符（编码不正确），请重新输入", label)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r):
			return "", Errorf(CodeValidationFailed, "%s不能含有控制字符，请重新输入", label)
		case unicode.Is(unicode.Cf, r):
			return "", Errorf(CodeValidationFailed, "%s不能含有不可见的格式字符（如零宽字符、文字方向控制符），请重新输入", label)
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	out := b.String()
	if utf8.RuneCountInString(out) > max {
		return "", Errorf(CodeValidationFailed, "%s不能超过%d个字", label, max)
	}
	return out, nil
}
