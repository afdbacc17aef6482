package web_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

var (
	auditActionCellRe = regexp.MustCompile(`data-action="([^"]+)">(?s:.*?)<td>([^<]*)</td>\s*<td>`)
	auditDetailCellRe = regexp.MustCompile(`<td class="detail">(.*?)</td>`)
	auditKVRe         = regexp.MustCompile(`<span class="kv"><span class="k">([^<]+)</span>：([^<]*)</span>`)
)

// TestAuditPageReadsInChinese: after a case goes through the pages (a
// rejected pre-check with its reason) and others through every step, the
// supervisor's audit page names every action in Chinese, never by its
// code, and shows the details as labelled Chinese text (states by their
// names, the reason), not JSON.
func TestAuditPageReadsInChinese(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Cases: 30})
	no := env.NewCase(t, webtest.CaseSpec{})
	station := webtest.StaffPages(t, env, "station-520102")
	station.Post("/staff/cases/"+no+"/precheck", env.ActionForm(t, no, "decision", "reject", "reason_text", "照片背景不合格"))
	mail := env.NewCase(t, webtest.CaseSpec{Mail: true})
	env.Drive(t, mail, domain.StatusShipped)
	webtest.StaffPages(t, env, "production").Post("/staff/cases/"+mail+"/deliver", env.ActionForm(t, mail, "signed_by", "本人"))
	sup := webtest.StaffPages(t, env, "supervisor")
	sup.Get("/staff/cases/" + no) // case.view

	body := sup.Get("/staff/audit?object_id=" + no).Text()
	webtest.Has(t, "rejected pre-check", body, domain.ActionPrecheckReject.Label(), "查看办件",
		`<span class="k">原状态</span>：已提交待核验`, `<span class="k">新状态</span>：`+domain.StatusRejected.Label(),
		`<span class="k">原因</span>：照片背景不合格`)
	webtest.Lacks(t, "rejected pre-check", body, "&#34;from&#34;", "{&#34;", ">submitted<", "precheck_reject</div>")

	for _, page := range []string{"/staff/audit", "/staff/audit?object_id=" + mail, "/staff/audit?action=case."} {
		body := sup.Get(page).Text()
		rows := auditActionCellRe.FindAllStringSubmatch(body, -1)
		if len(rows) == 0 {
			t.Fatalf("%s: no rows", page)
		}
		for _, m := range rows {
			if label := strings.TrimSpace(m[2]); label == "" || label == m[1] || strings.HasPrefix(label, "其他操作") {
				t.Errorf("%s: action %s reads %q", page, m[1], label)
			}
		}
		for _, m := range auditDetailCellRe.FindAllStringSubmatch(body, -1) {
			if strings.Contains(m[1], "{") || strings.Contains(m[1], "&#34;") {
				t.Errorf("%s: raw details %s", page, m[1])
			}
			for _, kv := range auditKVRe.FindAllStringSubmatch(m[1], -1) {
				if regexp.MustCompile(`^[a-z_]+$`).MatchString(kv[1]) {
					t.Errorf("%s: a detail labelled by its key %q (%s)", page, kv[1], kv[2])
				}
			}
		}
	}
}

var auditPrevRe = regexp.MustCompile(`href="(/staff/audit\?[^"]+)" id="prev-page"`)

// TestAuditPageTotalAndBack: the audit page counts the matching entries
// over every page, and from an older page 较新的记录 gives back exactly the
// page before, up to the newest, which has none.
func TestAuditPageTotalAndBack(t *testing.T) {
	env := webtest.Start(t)
	ctx := context.Background()
	for i := range 120 {
		if err := env.Store.Audit(ctx, &store.AuditEntry{ActorKind: "system", ActorName: "测试任务", Action: "test.ping",
			ObjectType: "job", ObjectID: fmt.Sprint("job-", i), Detail: "{}"}); err != nil {
			t.Fatal(err)
		}
	}
	c := webtest.StaffPages(t, env, "supervisor")
	var pages [][]int64
	url := "/staff/audit?action=test.ping"
	for url != "" {
		body := c.Get(url).Text()
		webtest.Has(t, url, body, `id="audit-total">共 120 条记录`)
		seqs, _ := auditRows(body)
		pages = append(pages, seqs)
		if len(pages) == 1 && auditPrevRe.MatchString(body) {
			t.Fatal("the newest page links to newer entries")
		}
		url = ""
		if m := nextRe.FindStringSubmatch(body); m != nil {
			url = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(pages) != 3 || len(pages[2]) != 20 {
		t.Fatalf("pages of %d", len(pages))
	}
	body := ""
	last := pages[2]
	body = c.Get(fmt.Sprintf("/staff/audit?action=test.ping&before=%d", pages[1][len(pages[1])-1])).Text()
	if seqs, _ := auditRows(body); !slices.Equal(seqs, last) {
		t.Fatalf("the last page: %v", seqs)
	}
	for i := 1; i >= 0; i-- {
		m := auditPrevRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no link back to page %d", i+1)
		}
		body = c.Get(strings.ReplaceAll(m[1], "&amp;", "&")).Text()
		if seqs, _ := auditRows(body); !slices.Equal(seqs, pages[i]) {
			t.Fatalf("back to page %d: %v, want %v", i+1, seqs, pages[i])
		}
	}
	if auditPrevRe.MatchString(body) || !nextRe.MatchString(body) {
		t.Fatal("back on the newest page: still a link to newer entries, or none to older")
	}
}
