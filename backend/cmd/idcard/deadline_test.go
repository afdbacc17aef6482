package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestDeadlineCommand checks `idcard deadline --from T --json` against
// dates worked out by hand from the 2026 State Council schedule.
func TestDeadlineCommand(t *testing.T) {
	env := map[string]string{"IDCARD_DATA_DIR": t.TempDir()}
	national := map[string]string{ // an event on 2026-10-01 (Shanghai), the National Day holiday
		"precheck_due":           "2026-10-10T23:59:59+08:00", // 10/8, 10/9, 10/10 (adjusted working Saturday)
		"review_due":             "2026-10-10T23:59:59+08:00",
		"production_due":         "2026-10-10T23:59:59+08:00",
		"pickup_due":             "2026-11-17T23:59:59+08:00",
		"legal_due":              "2026-11-30T23:59:59+08:00", // 60 days: a Monday
		"legal_due_max_extended": "2026-12-30T23:59:59+08:00", // 90 days: a Wednesday
	}
	friday := map[string]string{ // Friday 2026-01-30
		"precheck_due":           "2026-02-04T23:59:59+08:00",
		"review_due":             "2026-02-04T23:59:59+08:00",
		"production_due":         "2026-02-04T23:59:59+08:00",
		"pickup_due":             "2026-03-19T23:59:59+08:00", // 2/15–2/23 off, 2/14 and 2/28 worked
		"legal_due":              "2026-03-31T23:59:59+08:00",
		"legal_due_max_extended": "2026-04-30T23:59:59+08:00",
	}
	rolled := map[string]string{ // 2026-03-05 + 60 days = 5/4, inside the Labour Day holiday → 5/6
		"legal_due": "2026-05-06T23:59:59+08:00",
	}
	newYear := map[string]string{ // 2027 has no notice: 1 January is off by statute, then a weekend
		"precheck_due": "2027-01-06T23:59:59+08:00",
	}
	cases := []struct {
		from        string
		want        map[string]string
		provisional []any
	}{
		{"2026-10-01T00:00:00+08:00", national, []any{}},
		{"2026-10-01T23:59:59+08:00", national, []any{}},
		{"2026-09-30T17:30:00Z", national, []any{}}, // UTC, but already 10/1 in Shanghai
		{"2026-01-30T08:00:00+08:00", friday, []any{}},
		{"2026-01-30T15:59:59Z", friday, []any{}},
		{"2026-03-05T10:00:00+08:00", rolled, []any{}},
		{"2026-12-31T10:00:00+08:00", newYear, []any{2027.0}},
	}
	for _, c := range cases {
		t.Run(c.from, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(context.Background(), []string{"deadline", "--from", c.from, "--json"}, envOf(env), &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if len(got) != 8 {
				t.Fatalf("want the six due times, provisional and provisional_years, got %v", got)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %s", k, got[k], v)
				}
			}
			if got["provisional"] != (len(c.provisional) > 0) || !reflect.DeepEqual(got["provisional_years"], c.provisional) {
				t.Errorf("provisional = %v, provisional_years = %v, want %v", got["provisional"], got["provisional_years"], c.provisional)
			}
		})
	}
	if err := run(context.Background(), []string{"deadline", "--from", "yesterday"}, envOf(env), io.Discard, io.Discard); err == nil {
		t.Fatal("a bad --from was accepted")
	}
}

// TestCalendarImportCommand: `idcard calendar import FILE` with a 2027
// notice makes 2027 no longer provisional for `idcard deadline`, which then
// counts with the notice's days instead of the statutory fallback.
func TestCalendarImportCommand(t *testing.T) {
	env := map[string]string{"IDCARD_DATA_DIR": t.TempDir()}
	file := filepath.Join(t.TempDir(), "2027.csv")
	if err := os.WriteFile(file, []byte("2027-01-01,0,元旦\n2027-01-04,0,元旦\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"calendar", "import", file}, envOf(env), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 2 days of [2027]") {
		t.Errorf("output: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"deadline", "--from", "2026-12-31T10:00:00+08:00", "--json"}, envOf(env), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["precheck_due"] != "2027-01-07T23:59:59+08:00" || got["provisional"] != false {
		t.Errorf("after the import: %v", got)
	}
	if err := run(context.Background(), []string{"calendar", "import", file + ".missing"}, envOf(env), io.Discard, io.Discard); err == nil {
		t.Error("a missing file was accepted")
	}
}
