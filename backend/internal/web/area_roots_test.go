package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestAreaRootsAnswerAPage: /m and /staff/admin/ lead by redirects to a
// page, and a page address that does not exist shows a browser a Chinese
// error page, never raw JSON.
func TestAreaRootsAnswerAPage(t *testing.T) {
	env := webtest.Start(t)
	admin := webtest.StaffPages(t, env, "admin")
	follow := func(c *webtest.Client, path string) (webtest.Reply, string) {
		t.Helper()
		for range 5 {
			r := c.Get(path)
			if r.Status < 300 || r.Status >= 400 {
				return r, path
			}
			path = r.Header.Get("Location")
		}
		t.Fatalf("%s: too many redirects", path)
		return webtest.Reply{}, ""
	}
	if r, at := follow(admin, "/staff/admin/"); r.Status != http.StatusOK || at != "/staff/admin/offices" {
		t.Fatalf("/staff/admin/ ends at %s with %d (the system admin's first page)", at, r.Status)
	}
	if r, at := follow(admin, "/staff/admin"); r.Status != http.StatusOK || at != "/staff/admin/offices" {
		t.Fatalf("/staff/admin ends at %s with %d", at, r.Status)
	}
	anon := webtest.NewClient(t, env.URL)
	if r := anon.Get("/m"); r.Status != http.StatusFound || r.Header.Get("Location") != "/m/" {
		t.Fatalf("/m: %d to %q", r.Status, r.Header.Get("Location"))
	}
	if r, _ := follow(anon, "/m"); r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/m ends with %d %s", r.Status, r.Header.Get("Content-Type"))
	}

	res := admin.Do(http.MethodGet, "/staff/admin/nothing-here", nil, map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
	if res.Status != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("a missing staff page: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	if r := anon.Get("/staff/admin/nothing-here"); r.Status != http.StatusNotFound || r.Str("error.code") != "NOT_FOUND" {
		t.Fatalf("an API client on a missing address: %d %s", r.Status, r.Text())
	}
}
