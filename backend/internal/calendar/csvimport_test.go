package calendar_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/calendar"
)

func TestParseImport(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		in := "\ufeffdate,working,note\n" +
			"# 2027 schedule\n" +
			"\n" +
			"2027-01-01,0,元旦\n" +
			"2027-02-06 , 上班 , 调休上班\n" +
			"  2027-01-02,false\n" +
			"2027-02-07,true,\"春节, 调休\"\n" +
			"2027-02-08,休息,春节\n" +
			"2027-02-09,1,\n" +
			"   \n" +
			"2027-02-10,TRUE,x\n"
		got, err := calendar.ParseImport(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		want := []calendar.Day{
			{Date: "2027-01-01", Working: false, Note: "元旦"},
			{Date: "2027-01-02", Working: false},
			{Date: "2027-02-06", Working: true, Note: "调休上班"},
			{Date: "2027-02-07", Working: true, Note: "春节, 调休"},
			{Date: "2027-02-08", Working: false, Note: "春节"},
			{Date: "2027-02-09", Working: true},
			{Date: "2027-02-10", Working: true, Note: "x"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	})
	errs := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"ErrBadDate", "2027-01-01,0,元旦\n2027-13-01,0,x\n", 2, "日期“2027-13-01”无效"},
		{"ErrNotADate", "# c\n\n1/1/2027,0\n", 3, "YYYY-MM-DD"},
		{"ErrBadWorking", "2027-01-01,maybe\n", 1, "是否上班“maybe”无效"},
		{"ErrOneColumn", "2027-01-01\n", 1, "2至3列"},
		{"ErrFourColumns", "2027-01-01,0,a,b\n", 1, "实际为4列"},
		{"ErrDuplicate", "2027-01-01,0\n# x\n2027-01-01,1\n", 3, "重复，第1行已出现"},
		{"ErrLongNote", "2027-01-01,0," + strings.Repeat("长", 65) + "\n", 1, "备注不能超过64个字"},
		{"ErrNoteControl", "2027-01-01,0,元旦\x00\n", 1, "备注不能含有控制字符"},
		{"ErrNoteBidi", "2027-01-01,0,元旦\u202e\n", 1, "备注不能含有不可见的格式字符"},
		{"ErrNoteNotUTF8", "2027-10-01,0,\xb9\xfa\xc7\xec\n", 1, "编码不正确"}, // 国庆 in GBK
		{"ErrHeaderNotFirst", "2027-01-01,0\ndate,working,note\n", 2, "日期“date”无效"},
		{"ErrBadQuote", "2027-01-01,0,\"unterminated\n", 1, "CSV格式错误"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := calendar.ParseImport(strings.NewReader(tt.in))
			var ie *calendar.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want *ImportError", err)
			}
			if ie.Line != tt.line || !strings.Contains(ie.Message, tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", ie.Line, ie.Message, tt.line, tt.msg)
			}
			if !strings.Contains(err.Error(), "line") || !strings.Contains(err.Error(), "行") {
				t.Errorf("error %q should name the line in both languages", err)
			}
		})
	}
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := calendar.ParseImport(strings.NewReader("# nothing\ndate,working,note\n")); err == nil {
			t.Error("an empty schedule must be an error")
		}
	})
	t.Run("ErrReader", func(t *testing.T) {
		_, err := calendar.ParseImport(failingReader{})
		var ie *calendar.ImportError
		if err == nil || errors.As(err, &ie) || !strings.Contains(err.Error(), "disk gone") {
			t.Errorf("got %v", err)
		}
	})
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }
