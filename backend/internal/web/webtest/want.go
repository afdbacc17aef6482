package webtest

import (
	"net/http"
	"strings"
	"testing"
)

// Want fails t unless r has the status and, when code is not empty, the
// error code; it returns r for chaining.
func Want(t testing.TB, r Reply, status int, code string) Reply {
	t.Helper()
	if r.Status != status || (code != "" && r.Code() != code) {
		t.Fatalf("want %d %s, got %s", status, code, r)
	}
	return r
}

// Redirect fails t unless r is a 303 to location.
func Redirect(t testing.TB, r Reply, location string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || r.Location() != location {
		t.Fatalf("%s %s: %d to %q, want 303 to %q\n%s", r.Method, r.Path, r.Status, r.Location(), location, Excerpt(r.Text()))
	}
}

// Has fails t unless body holds every part.
func Has(t testing.TB, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Fatalf("%s: missing %q in:\n%s", what, p, Excerpt(body))
		}
	}
}

// Lacks fails t if body holds any part.
func Lacks(t testing.TB, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(body, p) {
			t.Fatalf("%s: unexpected %q in:\n%s", what, p, Excerpt(body))
		}
	}
}

// Excerpt is a page's main part, shortened for failure messages.
func Excerpt(body string) string {
	if i := strings.Index(body, `<main class="page">`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 4000 {
		body = body[:4000] + "…"
	}
	return body
}
