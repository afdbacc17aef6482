package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestStaffErrorPagesInStaffLayout: a browser on a staff address gets its
// 404 (no such page), 403 (a cross-site form) and 503 (the session store
// down) in the staff layout — the staff top bar, stylesheet and footer —
// with the status heading and the code, never the bare page of the H5 or
// JSON.
func TestStaffErrorPagesInStaffLayout(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Proxied: true})
	c := webtest.StaffPages(t, env, "station-520102")
	browser := map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
	want := func(r webtest.Reply, status int, code, title string) {
		t.Helper()
		body := r.Text()
		for _, s := range []string{`class="topbar"`, "居民身份证网上办理业务系统", "贵州省公安厅", `data-code="` + code + `"`, "<h1>" + title + "</h1>", `href="/staff/"`} {
			if !strings.Contains(body, s) {
				t.Fatalf("%s %s: %d, no %q in\n%s", r.Method, r.Path, r.Status, s, body)
			}
		}
		if r.Status != status || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s %s: %d %s", r.Method, r.Path, r.Status, r.Header.Get("Content-Type"))
		}
	}
	want(c.Do(http.MethodGet, "/staff/no-such-page", nil, browser), http.StatusNotFound, "NOT_FOUND", "页面不存在")
	cross := map[string]string{"Accept": browser["Accept"], "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
	want(c.Do(http.MethodPost, "/staff/logout", nil, cross), http.StatusForbidden, "FORBIDDEN", "无权访问")
	// A page the role may not use is the same page, with the menu.
	r := c.Do(http.MethodGet, "/staff/audit", nil, browser)
	want(r, http.StatusForbidden, "FORBIDDEN", "无权访问")
	if !strings.Contains(r.Text(), `href="/staff/cases"`) {
		t.Fatalf("a signed-in denial shows no menu:\n%s", r.Text())
	}
	env.RedisProxy.Refuse()
	want(c.Unavailable().Do(http.MethodGet, "/staff/", nil, browser), http.StatusServiceUnavailable, "UNAVAILABLE", "服务暂时不可用")
	env.RedisProxy.Heal()
	// Outside the staff pages the error page stays the H5's own.
	if body := c.Do(http.MethodGet, "/no/such/page", nil, browser).Text(); strings.Contains(body, `class="topbar"`) {
		t.Fatalf("a citizen address got the staff layout:\n%s", body)
	}
}
