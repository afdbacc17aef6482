package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestCaseExportHoldsTheFilteredRows exports filtered lists as CSV and
// XLSX and compares the case numbers with the rows the filter selects in
// the database; each export is audited, and no unmasked phone number
// leaves.
func TestCaseExportHoldsTheFilteredRows(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Persons: 300, Cases: 500})
	ctx := context.Background()
	db := env.Store.DB().SQL()
	from := time.Now().In(calendar.Location()).AddDate(0, 0, -10).Format(calendar.DateLayout)
	var county string
	var n int
	if err := db.QueryRowContext(ctx, `SELECT station_division, COUNT(*) FROM cases GROUP BY station_division ORDER BY 2 DESC, 1 LIMIT 1`).Scan(&county, &n); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		user, prefix string
		query        url.Values
		where        string
		args         []any
	}{
		{"supervisor", "52", url.Values{}, "1=1", nil},
		{"supervisor", "52", url.Values{"status": {"collected"}, "kind": {"damage_renewal"}}, "status = ? AND kind = ?", []any{"collected", "damage_renewal"}},
		{"supervisor-5201", "5201", url.Values{"collection": {"mail"}}, "collection = ?", []any{"mail"}},
		{"supervisor", "52", url.Values{"from": {from}}, "submitted_at >= ?", []any{mustDay(t, from)}},
		{"supervisor-" + county[:4], county[:4], url.Values{"county": {county}, "collection": {"window"}}, "station_division = ? AND collection = ?", []any{county, "window"}},
		{"supervisor-" + county[:4], county[:4], url.Values{"county": {county}, "q": {"GZ"}}, "station_division = ?", []any{county}},
	}
	for _, tc := range cases {
		q := "SELECT no FROM cases WHERE station_division LIKE ? AND " + tc.where + " ORDER BY no"
		rows, err := db.QueryContext(ctx, q, append([]any{tc.prefix + "%"}, tc.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for rows.Next() {
			var no string
			if err := rows.Scan(&no); err != nil {
				t.Fatal(err)
			}
			want = append(want, no)
		}
		rows.Close()
		if len(want) == 0 {
			t.Fatalf("%s selects no case: the test proves nothing", tc.query.Encode())
		}
		c := webtest.StaffPages(t, env, tc.user)
		name := tc.user + "?" + tc.query.Encode()

		resp := c.Get("/staff/cases/export.csv?" + tc.query.Encode())
		st, body := resp.Page()
		if st != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: csv %d %s %.200s", name, st, resp.Header.Get("Content-Type"), body)
		}
		if !strings.HasPrefix(body, "\ufeff办件编号,") {
			t.Fatalf("%s: csv without BOM and header: %.40q", name, body)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := sortedFirst(recs[1:]); !slices.Equal(got, want) {
			t.Errorf("%s: csv has %d rows, want %d", name, len(got), len(want))
		}
		if regexp.MustCompile(`1[3-9]\d{9}`).MatchString(body) {
			t.Errorf("%s: an unmasked phone number in the csv", name)
		}

		resp = c.Get("/staff/cases/export.xlsx?" + tc.query.Encode())
		b := resp.Body
		if resp.Status != http.StatusOK {
			t.Fatalf("%s: xlsx %d", name, resp.Status)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: xlsx: %v", name, err)
		}
		xrows, err := f.GetRows("办件清单")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(xrows) == 0 || xrows[0][0] != "办件编号" {
			t.Fatalf("%s: xlsx header %v", name, xrows)
		}
		if got := sortedFirst(xrows[1:]); !slices.Equal(got, want) {
			t.Errorf("%s: xlsx has %d rows, want %d", name, len(got), len(want))
		}
	}
	entries, err := env.Store.Q(ctx).AuditEntries(store.AuditFilter{Action: "cases.export", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2*len(cases) {
		t.Fatalf("%d cases.export entries, want %d", len(entries), 2*len(cases))
	}
	if !strings.Contains(entries[0].Detail, `"rows":`) || !strings.Contains(entries[0].Detail, `"format":"xlsx"`) {
		t.Errorf("audit detail %s", entries[0].Detail)
	}
}

// TestCaseExportRefusesABadFilter answers a bad filter with the error page
// before any file starts.
func TestCaseExportRefusesABadFilter(t *testing.T) {
	env := webtest.Start(t)
	c := webtest.StaffPages(t, env, "supervisor")
	for _, q := range []string{"status=nonsense", "from=yesterday", "office_id=abc"} {
		resp := c.Get("/staff/cases/export.csv?" + q)
		st, body := resp.Page()
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "无法完成") || resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s: %d %q", q, st, resp.Header.Get("Content-Disposition"))
		}
	}
}

func sortedFirst(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		if len(r) > 0 {
			out = append(out, r[0])
		}
	}
	slices.Sort(out)
	return out
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(calendar.DateLayout, s, calendar.Location())
	if err != nil {
		t.Fatal(err)
	}
	return d.UTC()
}
