package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

var auditSeqRe = regexp.MustCompile(`<tr data-seq="(\d+)" data-action="([^"]+)">`)

// auditRows reads the seq and action of each row of the audit page.
func auditRows(body string) (seqs []int64, actions []string) {
	for _, m := range auditSeqRe.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		seqs = append(seqs, n)
		actions = append(actions, m[2])
	}
	return seqs, actions
}

var nextRe = regexp.MustCompile(`href="(/staff/audit\?[^"]+)" id="next-page"`)

// TestAuditPageFiltersAndPages filters the log by action, object and actor,
// walks two pages through the keyset link, and keeps a prefecture
// supervisor to the entries about its own division's cases.
func TestAuditPageFiltersAndPages(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Cases: 60})
	ctx := context.Background()
	for i := range 60 {
		if err := env.Store.Audit(ctx, &store.AuditEntry{ActorKind: "system", ActorName: "测试任务", Action: "test.ping",
			ObjectType: "job", ObjectID: fmt.Sprint("job-", i), Detail: "{}"}); err != nil {
			t.Fatal(err)
		}
	}
	c := webtest.StaffPages(t, env, "supervisor")
	st, body := c.Get("/staff/audit?action=test.ping").Page()
	seqs, actions := auditRows(body)
	if st != http.StatusOK || len(seqs) != 50 {
		t.Fatalf("first page: %d, %d rows", st, len(seqs))
	}
	for _, a := range actions {
		if a != "test.ping" {
			t.Fatalf("the action filter let %s through", a)
		}
	}
	m := nextRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to the next page")
	}
	body2 := c.Get(strings.ReplaceAll(m[1], "&amp;", "&")).Text()
	seqs2, _ := auditRows(body2)
	if len(seqs2) != 10 || seqs2[0] >= seqs[len(seqs)-1] || nextRe.MatchString(body2) {
		t.Fatalf("second page: %d rows from %v after %d", len(seqs2), seqs2, seqs[len(seqs)-1])
	}
	body = c.Get("/staff/audit?object_type=job&object_id=job-7").Text()
	if seqs, _ := auditRows(body); len(seqs) != 1 {
		t.Fatalf("object filter: %d rows", len(seqs))
	}
	body = c.Get("/staff/audit?actor=" + url.QueryEscape("测试") + "&action=test.").Text()
	if seqs, _ := auditRows(body); len(seqs) != 50 {
		t.Fatalf("actor name and action prefix: %d rows", len(seqs))
	}
	sup, err := env.Store.Q(ctx).StaffByUsername("supervisor")
	if err != nil {
		t.Fatal(err)
	}
	body = c.Get(fmt.Sprintf("/staff/audit?actor=%d&actor_kind=staff", sup.ID)).Text()
	if _, actions := auditRows(body); len(actions) == 0 || actions[0] != "auth.staff_login" {
		t.Fatalf("actor id filter: %v", actions)
	}
	if st, body := c.Get("/staff/audit?from=yesterday").Page(); st != http.StatusUnprocessableEntity || !strings.Contains(body, "日期应为") {
		t.Fatalf("a bad date: %d", st)
	}

	// A prefecture supervisor sees the entries about its own cases only.
	var mine, theirs string
	db := env.Store.DB().SQL()
	if err := db.QueryRowContext(ctx, `SELECT no FROM cases WHERE station_division LIKE '5201%' ORDER BY id LIMIT 1`).Scan(&mine); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT no FROM cases WHERE station_division NOT LIKE '5201%' ORDER BY id LIMIT 1`).Scan(&theirs); err != nil {
		t.Fatal(err)
	}
	for _, no := range []string{mine, theirs} {
		if err := env.Store.Audit(ctx, &store.AuditEntry{ActorKind: "staff", ActorName: "某民警", Action: "case.view",
			ObjectType: "case", ObjectID: no, Detail: "{}"}); err != nil {
			t.Fatal(err)
		}
	}
	p := webtest.StaffPages(t, env, "supervisor-5201")
	body = p.Get("/staff/audit?action=case.view").Text()
	if !strings.Contains(body, `id="scope-note"`) || !strings.Contains(body, ">"+mine+"<") || strings.Contains(body, theirs) {
		t.Fatalf("prefecture view: mine %s shown %v, theirs %s shown %v", mine, strings.Contains(body, mine), theirs, strings.Contains(body, theirs))
	}
	body = p.Get("/staff/audit?action=test.ping").Text()
	if seqs, _ := auditRows(body); len(seqs) != 0 {
		t.Fatalf("a prefecture supervisor sees %d province entries", len(seqs))
	}
	body = p.Get("/staff/audit?action=auth.staff_login").Text()
	if seqs, _ := auditRows(body); len(seqs) != 1 {
		t.Fatalf("a prefecture supervisor sees %d sign-ins, want its own", len(seqs))
	}
}

// TestAuditChainCheck runs the check from the page: intact, then broken at
// the entry the test alters.
func TestAuditChainCheck(t *testing.T) {
	env := webtest.Start(t)
	c := webtest.StaffPages(t, env, "supervisor")
	st, body := c.Following().Get("/staff/audit").Page()
	if st != http.StatusOK || strings.Contains(body, "verify-result") {
		t.Fatalf("before any check: %d", st)
	}
	verified := c.Post("/staff/audit/verify", url.Values{})
	st, loc := verified.Status, verified.Location()
	if st != http.StatusSeeOther || loc != "/staff/audit" {
		t.Fatalf("verify: %d %s", st, loc)
	}
	body = c.Get(loc).Text()
	if !strings.Contains(body, `id="verify-result" data-intact="true"`) {
		t.Fatalf("intact chain not reported: %.2000s", body)
	}
	if body = c.Get(loc).Text(); strings.Contains(body, "verify-result") {
		t.Fatal("the result shows again on the next visit")
	}
	if _, err := env.Store.DB().SQL().Exec(`UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	c.Post("/staff/audit/verify", url.Values{})
	body = c.Get("/staff/audit").Text()
	if !strings.Contains(body, `data-intact="false" data-seq="2"`) || !strings.Contains(body, "被修改") {
		t.Fatalf("broken chain not reported at seq 2")
	}
	entries, err := env.Store.Q(context.Background()).AuditEntries(store.AuditFilter{Action: "audit.verify"})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audit.verify entries: %d %v", len(entries), err)
	}
}
