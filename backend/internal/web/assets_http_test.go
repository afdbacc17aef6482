package web_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestAssetURLs follows the references of the real H5 and a staff page:
// pages are no-cache, every hashed URL they (and the H5's modules) name
// answers immutable and compressed, and the plain URLs still answer.
func TestAssetURLs(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	fetch := func(path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, _ := fetch("/m/")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("/m/: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	plain := func(path string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	page := plain("/m/")
	hashed := regexp.MustCompile(`[a-z0-9_./-]+\.[0-9a-f]{10}\.(?:js|css|svg)`)
	refs := hashed.FindAllString(page, -1)
	for _, want := range []string{"js/app.", "css/app.", "/static/vendor/weui.min.", "img/logo.", "/m/js/ui."} {
		if !strings.Contains(strings.Join(refs, " "), want) {
			t.Errorf("/m/ names no hashed %s: %v", want, refs)
		}
	}
	seen := map[string]bool{}
	for len(refs) > 0 {
		ref := refs[0]
		refs = refs[1:]
		u := ref
		if !strings.HasPrefix(u, "/") {
			u = "/m/" + strings.TrimLeft(u, "./")
		}
		if seen[u] {
			continue
		}
		seen[u] = true
		res, _ := fetch(u)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.Header.Get("Content-Encoding") == "" && !strings.HasSuffix(u, ".svg") {
			t.Errorf("%s: %d, Cache-Control %q, Content-Encoding %q", u, res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"))
		}
		if strings.HasSuffix(u, ".js") {
			for _, r := range hashed.FindAllString(plain(u), -1) {
				switch {
				case strings.HasPrefix(r, "./") || strings.HasPrefix(r, "../"):
					r = u[:strings.LastIndex(u, "/")+1] + r // an import specifier
				case !strings.HasPrefix(r, "/"):
					r = "/m/" + r // an asset path, relative to the page
				}
				refs = append(refs, cleanPath(r))
			}
		}
	}
	for _, want := range []string{"/m/js/pages/login.", "/m/js/pages/case-detail.", "/m/js/store."} {
		found := false
		for u := range seen {
			found = found || strings.HasPrefix(u, want)
		}
		if !found {
			t.Errorf("no hashed %s reached from /m/: %v", want, seen)
		}
	}
	staff := webtest.StaffPages(t, env, "supervisor").Get("/staff/").Text()
	if !regexp.MustCompile(`href="/static/css/staff\.[0-9a-f]{10}\.css"`).MatchString(staff) {
		t.Errorf("the staff page does not name the hashed staff.css: %s", webtest.Excerpt(staff))
	}
	for _, old := range []string{"/m/js/app.js", "/m/js/pages/login.js", "/static/css/staff.css", "/static/vendor/weui.min.css"} {
		if res, _ := fetch(old); res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %d %q", old, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}

// cleanPath resolves ./ and ../ in an absolute URL path.
func cleanPath(p string) string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		switch s {
		case ".", "":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}
