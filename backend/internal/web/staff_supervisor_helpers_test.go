package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// The helpers of the supervisor and admin page tests carry an sv prefix so
// they never collide with other tests of the package.

// svClient is a browser-like client of the test server: a cookie jar, and
// redirects left to the caller.
type svClient struct {
	t    testing.TB
	base string
	c    *http.Client
}

// svLogin signs in as a demo account (password demo1234).
func svLogin(t testing.TB, env *webtest.Env, username string) *svClient {
	t.Helper()
	return svLoginAs(t, env, username, "demo1234")
}

// svLoginAs signs in with a password and fails the test unless it works.
func svLoginAs(t testing.TB, env *webtest.Env, username, password string) *svClient {
	t.Helper()
	c := svNewClient(t, env)
	if st, _, loc := c.postForm("/staff/login", url.Values{"username": {username}, "password": {password}, "next": {"/staff/"}}); st != http.StatusSeeOther || loc != "/staff/" {
		t.Fatalf("sign in as %s: status %d, location %q", username, st, loc)
	}
	return c
}

func svNewClient(t testing.TB, env *webtest.Env) *svClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &svClient{t: t, base: env.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get answers the status, the body and the redirect target of a GET.
func (c *svClient) get(path string) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	return c.read(resp)
}

// getRaw answers the whole response of a GET; the caller closes the body.
func (c *svClient) getRaw(path string) *http.Response {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	return resp
}

// follow GETs a page, following one redirect (after a POST, or the page
// itself redirecting).
func (c *svClient) follow(path string) (int, string) {
	c.t.Helper()
	st, body, loc := c.get(path)
	if st == http.StatusSeeOther || st == http.StatusFound {
		st, body, _ = c.get(loc)
	}
	return st, body
}

func (c *svClient) postForm(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	return c.read(resp)
}

func (c *svClient) post(path, contentType string, body io.Reader) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.Post(c.base+path, contentType, body)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	return c.read(resp)
}

func (c *svClient) read(resp *http.Response) (int, string, string) {
	c.t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// svCells reads the text of the cells of the table rows that carry the
// attribute rowAttr, by its value.
func svCells(t testing.TB, body, rowAttr string) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	re := regexp.MustCompile(`(?s)<tr ` + rowAttr + `="([^"]+)"[^>]*>(.*?)</tr>`)
	cell := regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tag := regexp.MustCompile(`<[^>]+>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		var cells []string
		for _, c := range cell.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, strings.TrimSpace(tag.ReplaceAllString(c[1], " ")))
		}
		rows[m[1]] = cells
	}
	return rows
}

// svNum reads the leading integer of a cell ("—" and "·" are 0).
func svNum(t testing.TB, s string) int64 {
	t.Helper()
	f := strings.Fields(s)
	if len(f) == 0 || f[0] == "—" || f[0] == "·" {
		return 0
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		t.Fatalf("cell %q is not a number", s)
	}
	return n
}

// svDenied checks an error page that shows no data.
func svDenied(t testing.TB, status int, body string, leaks ...string) {
	t.Helper()
	if status != http.StatusForbidden {
		t.Fatalf("status %d, want 403", status)
	}
	if !strings.Contains(body, "无法完成") || !strings.Contains(body, "FORBIDDEN") {
		t.Fatalf("not the error page: %.300s", body)
	}
	for _, l := range leaks {
		if strings.Contains(body, l) {
			t.Fatalf("the denial shows %q", l)
		}
	}
}
