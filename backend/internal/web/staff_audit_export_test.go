package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestAuditAdminFiltersAndExports: the audit administrator reads the whole
// log, filters it by role, office, IP and result, and exports what the
// filter shows as CSV with the office column; the export is audited. The
// security administrator may do neither.
func TestAuditAdminFiltersAndExports(t *testing.T) {
	env := webtest.Start(t)
	webtest.StaffPages(t, env, "station-520102") // a staff sign-in to find
	auditor := webtest.StaffPages(t, env, "audit-admin").Following()
	st, body := auditor.Get("/staff/audit?role=station_officer&outcome=ok&action=auth.staff_login").Page()
	if st != http.StatusOK || !strings.Contains(body, `data-action="auth.staff_login"`) || !strings.Contains(body, "<td>派出所户籍民警</td>") || strings.Contains(body, "<td>审计管理员</td>") {
		t.Fatalf("filtered by role: %d\n%s", st, webtest.Excerpt(body))
	}
	r := auditor.Get("/staff/audit/export.csv?role=station_officer&action=auth.staff_login&ip=127.")
	csv := r.Text()
	if r.Status != http.StatusOK || !strings.Contains(csv, "机构") || !strings.Contains(csv, "station-520102") && !strings.Contains(csv, "派出所") {
		t.Fatalf("export: %d\n%s", r.Status, csv)
	}
	if strings.Count(csv, "\n") < 2 {
		t.Fatalf("export holds no entry:\n%s", csv)
	}
	if n := strings.Count(auditor.Get("/staff/audit/export.csv?ip=203.0.113.").Text(), "\n"); n != 1 {
		t.Fatalf("an IP no one used exports %d lines", n)
	}
	es, err := env.Store.Q(context.Background()).SearchAudit(store.AuditSearch{AuditFilter: store.AuditFilter{Action: "audit.export"}})
	if err != nil || len(es) != 2 || es[0].Office == "" {
		t.Fatalf("exports audited: %+v %v", es, err)
	}
	sec := webtest.StaffPages(t, env, "security-admin")
	for _, p := range []string{"/staff/audit", "/staff/audit/export.csv"} {
		st, body := sec.Get(p).Page()
		webtest.Denied(t, st, body, "audit-rows")
	}
}
