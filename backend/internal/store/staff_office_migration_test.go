package store_test

import (
	"context"
	"testing"

	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// TestMigrationGivesEveryStaffAnOffice runs migration 5 over accounts made
// before it, without an office: each gets the office over its scope (its
// prefecture's bureau, the county bureau, the provincial department), and
// the column no longer takes NULL.
func TestMigrationGivesEveryStaffAnOffice(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	for { // back to just before migration 5
		r, err := db.MigrateDown(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Source.Version == 5 {
			break
		}
	}
	sql := db.SQL()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := sql.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("INSERT INTO divisions (code, name, level, parent_code) VALUES ('520000', '贵州省', 1, NULL), ('520100', '贵阳市', 2, '520000'), ('520102', '南明区', 3, '520100')")
	exec("INSERT INTO offices (code, kind, name, division_code, created_at, updated_at) VALUES ('520102-GA', 'county_bureau', '南明区公安分局', '520102', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
	for _, s := range [][3]string{{"admin", "admin", "52"}, {"supervisor", "supervisor", "52"}, {"supervisor-5201", "supervisor", "5201"}, {"supervisor-520102", "supervisor", "520102"}} {
		exec("INSERT INTO staff (username, name, password_hash, role, office_id, scope_division, created_at, updated_at) VALUES (?, ?, 'x', ?, NULL, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
			s[0], s[0], s[1], s[2])
	}
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"admin": "GZ-GAT", "supervisor": "GZ-GAT", "supervisor-5201": "520100-GA", "supervisor-520102": "520102-GA"}
	for user, code := range want {
		var got, kind, name string
		err := sql.QueryRowContext(ctx, "SELECT o.code, o.kind, o.name FROM staff s JOIN offices o ON o.id = s.office_id WHERE s.username = ?", user).Scan(&got, &kind, &name)
		if err != nil || got != code {
			t.Errorf("%s works at %q (%v), want %s", user, got, err, code)
		}
		if user == "supervisor-5201" && (kind != "prefecture_bureau" || name != "贵阳市公安局") {
			t.Errorf("the prefecture bureau is %s %s", kind, name)
		}
		if user == "admin" && (kind != "provincial_department" || name != "贵州省公安厅") {
			t.Errorf("the provincial department is %s %s", kind, name)
		}
	}
	if _, err := sql.ExecContext(ctx, "INSERT INTO staff (username, name, password_hash, role, office_id, scope_division, created_at, updated_at) VALUES ('nobody', 'nobody', 'x', 'supervisor', NULL, '52', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"); err == nil {
		t.Error("an account without an office was stored")
	}
}
