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
	admin := pkStaffPages(t, env, "admin")
	follow := func(c *pkClient, path string) (pkAnswer, string) {
		t.Helper()
		for range 5 {
			r := c.get(path)
			if r.status < 300 || r.status >= 400 {
				return r, path
			}
			path = r.header.Get("Location")
		}
		t.Fatalf("%s: too many redirects", path)
		return pkAnswer{}, ""
	}
	if r, at := follow(admin, "/staff/admin/"); r.status != http.StatusOK || at != "/staff/admin/staff" {
		t.Fatalf("/staff/admin/ ends at %s with %d", at, r.status)
	}
	if r, at := follow(admin, "/staff/admin"); r.status != http.StatusOK || at != "/staff/admin/staff" {
		t.Fatalf("/staff/admin ends at %s with %d", at, r.status)
	}
	anon := pkNewClient(t, env.URL)
	if r := anon.get("/m"); r.status != http.StatusFound || r.header.Get("Location") != "/m/" {
		t.Fatalf("/m: %d to %q", r.status, r.header.Get("Location"))
	}
	if r, _ := follow(anon, "/m"); r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("/m ends with %d %s", r.status, r.header.Get("Content-Type"))
	}

	req, _ := http.NewRequest(http.MethodGet, env.URL+"/staff/admin/nothing-here", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	res, err := admin.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("a missing staff page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if r := anon.get("/staff/admin/nothing-here"); r.status != http.StatusNotFound || r.str("error.code") != "NOT_FOUND" {
		t.Fatalf("an API client on a missing address: %d %s", r.status, r.text())
	}
}
