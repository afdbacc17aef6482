package calendar

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxNoteLength is the longest Day.Note in characters (the column is
// VARCHAR(64)).
const MaxNoteLength = 64

// ImportError is a problem on one line of an import file.
type ImportError struct {
	// Line is the 1-based line number in the file.
	Line int
	// Message says what is wrong, in Chinese.
	Message string
}

// Error names the line in Chinese and English, then the problem.
func (e *ImportError) Error() string {
	return fmt.Sprintf("第%d行（line %d）：%s", e.Line, e.Line, e.Message)
}

// ParseImport reads a holiday schedule for `idcard calendar import FILE`:
// CSV lines "date,working,note" where date is 2006-01-02, working is 1/0,
// true/false, 上班/休息 (or 班/休) and the note is optional (quote it if it
// holds a comma). Blank lines, lines starting with # and a first line
// "date,working,note" (or 日期,…) are skipped; a UTF-8 byte-order mark is
// ignored. Each date may appear once. The days come back sorted by date.
// A bad line gives an *ImportError naming the line; an empty file is an
// error too.
func ParseImport(r io.Reader) ([]Day, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	seenAt := map[string]int{}
	var days []Day
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ImportError{Line: pe.Line, Message: "CSV格式错误：" + pe.Err.Error()}
			}
			return nil, fmt.Errorf("读取日历文件失败（reading calendar file）: %w", err)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
		if (len(rec) == 1 && rec[0] == "") || strings.HasPrefix(rec[0], "#") {
			continue
		}
		if first && isHeader(rec[0]) {
			first = false
			continue
		}
		first = false
		d, msg := parseRow(rec)
		if msg != "" {
			return nil, &ImportError{Line: line, Message: msg}
		}
		if prev, dup := seenAt[d.Date]; dup {
			return nil, &ImportError{Line: line, Message: fmt.Sprintf("日期%s重复，第%d行已出现", d.Date, prev)}
		}
		seenAt[d.Date] = line
		days = append(days, d)
	}
	if len(days) == 0 {
		return nil, errors.New("日历文件中没有任何日期（no dates in calendar file）")
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	return days, nil
}

// isHeader reports whether a first field names the date column.
func isHeader(field string) bool {
	f := strings.ToLower(field)
	return f == "date" || f == "day" || f == "日期"
}

// parseRow turns trimmed fields into a Day, or returns a Chinese message.
func parseRow(rec []string) (Day, string) {
	if len(rec) < 2 || len(rec) > 3 {
		return Day{}, fmt.Sprintf("应为“日期,是否上班,备注”2至3列，实际为%d列（含逗号的备注请加英文双引号）", len(rec))
	}
	t, err := time.Parse(DateLayout, rec[0])
	if err != nil {
		return Day{}, fmt.Sprintf("日期“%s”无效，应为YYYY-MM-DD格式的真实日期", rec[0])
	}
	working, ok := parseWorking(rec[1])
	if !ok {
		return Day{}, fmt.Sprintf("是否上班“%s”无效，应为1/0、true/false或上班/休息", rec[1])
	}
	note := ""
	if len(rec) == 3 {
		note = rec[2]
	}
	if !utf8.ValidString(note) {
		return Day{}, "备注不是有效的UTF-8文字，请将文件另存为UTF-8编码后再导入"
	}
	if n := utf8.RuneCountInString(note); n > MaxNoteLength {
		return Day{}, fmt.Sprintf("备注过长（%d字），最多%d字", n, MaxNoteLength)
	}
	return Day{Date: t.Format(DateLayout), Working: working, Note: note}, ""
}

// parseWorking reads the working column.
func parseWorking(s string) (working, ok bool) {
	switch strings.ToLower(s) {
	case "1", "true", "上班", "班":
		return true, true
	case "0", "false", "休息", "休":
		return false, true
	}
	return false, false
}
