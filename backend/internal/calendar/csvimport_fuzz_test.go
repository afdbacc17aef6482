package calendar

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseImport checks the calendar import on any file: it never panics;
// a refusal of a file it could read is an *ImportError naming a line of the
// file, or the empty-file error; what it accepts is real dates, once each, in
// order, with trimmed valid-UTF-8 notes of at most MaxNoteLength characters,
// and written back as CSV it reads the same again.
func FuzzParseImport(f *testing.F) {
	for _, s := range []string{
		"date,working,note\n2026-10-01,0,国庆节\n2026-10-11,1,调休上班\n",
		"\ufeff日期,是否上班,备注\r\n2026-01-01,休,元旦\r\n",
		"# comment\n\n2026-02-16, 休息 , \"春节, 除夕\"\n2026-02-28,班\n",
		"2026-02-30,0\n", "2026-01-01,maybe\n", "2026-01-01,0,a,b\n", "2026-01-01,0\n2026-01-01,1\n",
		"2026-01-01,0,\"unterminated\n", "", "date,working\n", "2026-01-01,TRUE,\"line\nbreak\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		days, err := ParseImport(bytes.NewReader(file))
		if err != nil {
			var ie *ImportError
			if errors.As(err, &ie) {
				if ie.Line < 1 || ie.Line > bytes.Count(file, []byte("\n"))+1 || ie.Message == "" {
					t.Fatalf("ParseImport(%q): %v names no line of the file", file, err)
				}
			} else if !strings.Contains(err.Error(), "no dates") {
				t.Fatalf("ParseImport(%q) = %v; want an *ImportError or the empty-file error", file, err)
			}
			return
		}
		for i, d := range days {
			if tm, err := time.Parse(DateLayout, d.Date); err != nil || tm.Format(DateLayout) != d.Date {
				t.Fatalf("day %d date %q is not a date", i, d.Date)
			}
			if i > 0 && days[i-1].Date >= d.Date {
				t.Fatalf("days %q then %q: want increasing dates", days[i-1].Date, d.Date)
			}
			if !utf8.ValidString(d.Note) || strings.TrimSpace(d.Note) != d.Note || utf8.RuneCountInString(d.Note) > MaxNoteLength {
				t.Fatalf("day %s note %q: want trimmed UTF-8 of at most %d characters", d.Date, d.Note, MaxNoteLength)
			}
		}
		again, err := ParseImport(bytes.NewReader(writeImport(t, days)))
		if err != nil || !reflect.DeepEqual(again, days) {
			t.Fatalf("written back, %q reads as %+v, %v; want %+v", writeImport(t, days), again, err, days)
		}
	})
}

// writeImport writes days in the import format, with a header.
func writeImport(t *testing.T, days []Day) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	rows := [][]string{{"date", "working", "note"}}
	for _, d := range days {
		working := "0"
		if d.Working {
			working = "1"
		}
		rows = append(rows, []string{d.Date, working, d.Note})
	}
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
