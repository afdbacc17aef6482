package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestNoDirectoryListings asks for every kind of directory the embedded
// files have, with and without the trailing slash: each answers 404 and
// lists nothing; files and the H5's index still answer.
func TestNoDirectoryListings(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	c := webtest.NewClient(t, env.URL)
	for _, p := range []string{"/static/", "/static/css/", "/static/css", "/static/js/", "/static//js/",
		"/m/js/", "/m/js", "/m/css/", "/m/img/", "/m/js/pages/"} {
		r := c.Get(p)
		if r.Status != http.StatusNotFound || strings.Contains(r.Text(), "<a href") || strings.Contains(r.Text(), ".css") || strings.Contains(r.Text(), ".js") {
			t.Errorf("GET %s: %d %s", p, r.Status, webtest.Excerpt(r.Text()))
		}
	}
	for _, p := range []string{"/static/css/staff.css", "/m/js/api.js", "/m/"} {
		if r := c.Get(p); r.Status != http.StatusOK {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
}
