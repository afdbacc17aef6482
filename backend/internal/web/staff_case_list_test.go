package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

var cpNextLinkRe = regexp.MustCompile(`href="([^"]+)" id="next-page"`)

// TestCaseListPage: a station's queue, due soonest first, with the overdue
// case first and marked in red, masked names, only its own cases, and
// keyset pages that keep the filters.
func TestCaseListPage(t *testing.T) {
	env := webtest.Start(t)
	own := []string{env.NewCase(t, webtest.CaseSpec{}), env.NewCase(t, webtest.CaseSpec{}), env.NewCase(t, webtest.CaseSpec{})}
	other := env.NewCase(t, webtest.CaseSpec{Household: "520103"})
	late := own[2]
	env.UpdateCase(t, late, func(c *store.Case) {
		past := time.Now().Add(-10 * 24 * time.Hour).UTC()
		c.StageDueAt = &past
	})
	b := webtest.StaffPages(t, env, "station-520102").Following()

	t.Run("OK", func(t *testing.T) {
		code, body := b.Get("/staff/cases?status=submitted&order=due").Page()
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		webtest.Has(t, "queue", body, late, "超期", `class="late-row"`, "黔***", "南明区", "已提交待核验", own[0], own[1])
		webtest.Lacks(t, "queue", body, other, "黔测试")
		if strings.Index(body, late) > strings.Index(body, own[0]) || strings.Index(body, late) > strings.Index(body, own[1]) {
			t.Fatal("the overdue case is not listed first")
		}
	})

	t.Run("Pages", func(t *testing.T) {
		for _, order := range []string{"", "due"} {
			first := "/staff/cases?status=submitted&limit=2&order=" + order
			code, body := b.Get(first).Page()
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			m := cpNextLinkRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("order %q: no next page link", order)
			}
			next := html.UnescapeString(m[1])
			for _, keep := range []string{"status=submitted", "order=" + order, "limit=2", "cursor="} {
				if !strings.Contains(next, keep) {
					t.Fatalf("next link %q lost %s", next, keep)
				}
			}
			code, body2 := b.Get(next).Page()
			if code != 200 {
				t.Fatalf("page 2: %d", code)
			}
			for _, no := range own {
				if strings.Contains(body, no) == strings.Contains(body2, no) {
					t.Fatalf("order %q: case %s is on both pages or on none", order, no)
				}
			}
			webtest.Has(t, "page 2", body2, "第一页", "已是最后一页")
		}
	})

	t.Run("OverdueOnly", func(t *testing.T) {
		body := b.Get("/staff/cases?overdue=1").Text()
		webtest.Has(t, "overdue list", body, late)
		webtest.Lacks(t, "overdue list", body, own[0], own[1])
	})

	t.Run("ByNumber", func(t *testing.T) {
		body := b.Get("/staff/cases?q=" + own[1]).Text()
		webtest.Has(t, "by number", body, own[1])
		webtest.Lacks(t, "by number", body, own[0], late)
	})

	t.Run("ErrBadDate", func(t *testing.T) {
		code, body := b.Get("/staff/cases?from=yesterday").Page()
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", code)
		}
		webtest.Has(t, "bad date", body, "开始日期应为日期", `id="case-filters"`)
	})

	t.Run("Supervisor", func(t *testing.T) {
		s := webtest.StaffPages(t, env, "supervisor-5201").Following()
		body := s.Get("/staff/cases?county=520103").Text()
		webtest.Has(t, "supervisor county filter", body, other, "受理派出所", "云岩区", "贵阳市",
			`href="/staff/cases/export.csv?county=520103"`)
		webtest.Lacks(t, "supervisor county filter", body, own[0])
		body = webtest.StaffPages(t, env, "supervisor-5202").Following().Get("/staff/cases").Text()
		webtest.Lacks(t, "other prefecture", body, own[0], other)
	})

	t.Run("ErrAdmin", func(t *testing.T) {
		code, body := webtest.StaffPages(t, env, "admin").Following().Get("/staff/cases").Page()
		if code != http.StatusForbidden {
			t.Fatalf("admin: %d", code)
		}
		webtest.Lacks(t, "admin", body, own[0])
	})
}
