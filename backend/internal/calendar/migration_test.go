package calendar_test

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/calendar/calendartest"
)

const (
	sqliteMigration = "../../../migrations/sqlite/00002_calendar_2025_2026.sql"
	mysqlMigration  = "../../../migrations/mysql/00002_calendar_2025_2026.sql"
)

// upSection returns the text between "-- +goose Up" and "-- +goose Down".
func upSection(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	up := strings.Index(s, "-- +goose Up")
	down := strings.Index(s, "-- +goose Down")
	if up < 0 || down < up {
		t.Fatalf("%s: missing or misplaced goose annotations", path)
	}
	return s[up:down]
}

// migrationDays parses the rows the calendar migration inserts: the State
// Council notices of 2025 and 2026.
func migrationDays(t *testing.T) []calendar.Day {
	t.Helper()
	tuple := regexp.MustCompile(`\('(\d{4}-\d{2}-\d{2})',\s*([01]),\s*'([^']*)'\)`)
	var days []calendar.Day
	for _, m := range tuple.FindAllStringSubmatch(upSection(t, sqliteMigration), -1) {
		days = append(days, calendar.Day{Date: m[1], Working: m[2] == "1", Note: m[3]})
	}
	return days
}

// TestMigrationMatchesOfficialDays keeps the seeded calendar rows and the
// test schedule identical, so production and tests agree on every holiday.
func TestMigrationMatchesOfficialDays(t *testing.T) {
	up := upSection(t, sqliteMigration)
	if !strings.Contains(up, "INSERT INTO calendar_days (day, working, note) VALUES") {
		t.Error("Up section does not insert into calendar_days")
	}
	got := migrationDays(t)
	if n := strings.Count(up, "('"); n != len(got) {
		t.Errorf("%d tuples in the file but %d parsed", n, len(got))
	}
	if want := calendartest.OfficialDays(); !reflect.DeepEqual(got, want) {
		t.Errorf("migration rows differ from OfficialDays:\n got %d rows %v\nwant %d rows %v", len(got), got, len(want), want)
	}
	if !strings.HasSuffix(strings.TrimSpace(up), ";") {
		t.Error("the INSERT must end with a semicolon")
	}
}

func TestMigrationDialectsAgree(t *testing.T) {
	if upSection(t, sqliteMigration) != upSection(t, mysqlMigration) {
		t.Error("the mysql and sqlite Up sections differ")
	}
	for _, p := range []string{sqliteMigration, mysqlMigration} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		down := string(b)[strings.Index(string(b), "-- +goose Down"):]
		if !strings.Contains(down, "DELETE FROM calendar_days WHERE day >= '2025-01-01' AND day <= '2026-12-31';") {
			t.Errorf("%s: Down must delete the 2025 and 2026 rows", p)
		}
	}
}
