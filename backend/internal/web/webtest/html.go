package webtest

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	cellRe = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tagRe  = regexp.MustCompile(`<[^>]+>`)
)

// Cells reads the text of the cells of the table rows of a page that carry
// the attribute rowAttr, by its value.
func Cells(t testing.TB, body, rowAttr string) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	re := regexp.MustCompile(`(?s)<tr ` + rowAttr + `="([^"]+)"[^>]*>(.*?)</tr>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		var cells []string
		for _, c := range cellRe.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, strings.TrimSpace(tagRe.ReplaceAllString(c[1], " ")))
		}
		rows[m[1]] = cells
	}
	return rows
}

// CellNum reads the leading integer of a cell ("—" and "·" are 0).
func CellNum(t testing.TB, s string) int64 {
	t.Helper()
	f := strings.Fields(s)
	if len(f) == 0 || f[0] == "—" || f[0] == "·" {
		return 0
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		t.Fatalf("cell %q is not a number", s)
	}
	return n
}

// Denied fails t unless the answer is the staff pages' 403 error page and
// shows none of leaks.
func Denied(t testing.TB, status int, body string, leaks ...string) {
	t.Helper()
	if status != http.StatusForbidden {
		t.Fatalf("status %d, want 403", status)
	}
	if !strings.Contains(body, "无法完成") || !strings.Contains(body, "FORBIDDEN") {
		t.Fatalf("not the error page: %.300s", body)
	}
	for _, l := range leaks {
		if strings.Contains(body, l) {
			t.Fatalf("the denial shows %q", l)
		}
	}
}
