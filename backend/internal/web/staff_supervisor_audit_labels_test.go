package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
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
