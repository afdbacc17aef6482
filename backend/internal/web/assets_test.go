package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

// testSite is a small H5 and static tree with every kind of reference the
// assets rewrite, and an import cycle.
func testSite(ui string) []assetMount {
	long := strings.Repeat("body { color: #333; } ", 40)
	h5 := fstest.MapFS{
		"index.html": {Data: []byte(`<!doctype html><link rel="icon" href="img/logo.svg"><link rel="stylesheet" href="/static/vendor/w.css">
<link rel="stylesheet" href="css/app.css"><script type="module" src="js/app.js"></script><a href="#/x">x</a><img src="img/logo.svg">`)},
		"js/app.js": {Data: []byte(`import { h } from './ui.js';
import * as store from "./store.js";
const pages = { p: () => import('./pages/p.js') };
const logo = 'img/logo.svg';
const other = 'not/a/file.js';
`)},
		"js/store.js":    {Data: []byte(`import { h } from './ui.js'; export const s = 1;`)},
		"js/ui.js":       {Data: []byte(ui)},
		"js/pages/p.js":  {Data: []byte(`import { h } from '../ui.js'; export function render() {}`)},
		"js/a.js":        {Data: []byte(`import { b } from './b.js'; export const a = 1;`)},
		"js/b.js":        {Data: []byte(`import { a } from './a.js'; export const b = 2;`)},
		"js/c.js":        {Data: []byte(`import { a } from './a.js'; import { h } from './ui.js';`)},
		"css/app.css":    {Data: []byte(`.logo { background: url(../img/logo.svg) } .e { background: url("../img/none.svg") } ` + long)},
		"img/logo.svg":   {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg">` + strings.Repeat(`<path d="M0 0h10v10z"/>`, 30) + `</svg>`)},
		"img/photo.png":  {Data: append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 600)...)},
		"js/pages/q.mjs": {Data: []byte(`export {}`)},
	}
	static := fstest.MapFS{"vendor/w.css": {Data: []byte(long)}}
	return []assetMount{{prefix: "/m/", fsys: h5, docBase: "/m/"}, {prefix: "/static/", fsys: static}}
}

func mustAssets(t *testing.T, ui string) *assets {
	t.Helper()
	a, err := newAssets(testSite(ui)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func body(t *testing.T, a *assets, u string) string {
	t.Helper()
	x, ok := a.byURL[u]
	if !ok {
		t.Fatalf("no asset %s", u)
	}
	return string(x.body)
}

var hashedRe = regexp.MustCompile(`\.([0-9a-f]{10})\.[a-z]+$`)

// TestAssetsHashAndRewrite: every reference names the hashed file, whose
// hash is that of its served bytes; the page preloads the static module
// graph but not the page behind a dynamic import; a cycle keeps plain URLs.
func TestAssetsHashAndRewrite(t *testing.T) {
	const ui = `export function h() {}`
	a := mustAssets(t, ui)
	for plain, x := range a.byURL {
		if plain != x.plain {
			continue
		}
		if path.Ext(plain) == ".html" || plain == "/m/js/a.js" || plain == "/m/js/b.js" {
			if x.hashed != plain {
				t.Errorf("%s: hashed as %s", plain, x.hashed)
			}
			continue
		}
		m := hashedRe.FindStringSubmatch(x.hashed)
		sum := sha256.Sum256(x.body)
		if m == nil || m[1] != hex.EncodeToString(sum[:])[:10] || a.byURL[x.hashed] != x {
			t.Errorf("%s: hashed URL %s is not its content hash", plain, x.hashed)
		}
	}
	u := a.URL
	page := body(t, a, "/m/index.html")
	for _, want := range []string{
		`href="img/` + path.Base(u("/m/img/logo.svg")) + `"`, `src="img/` + path.Base(u("/m/img/logo.svg")) + `"`,
		`href="` + u("/static/vendor/w.css") + `"`, `href="css/` + path.Base(u("/m/css/app.css")) + `"`,
		`src="js/` + path.Base(u("/m/js/app.js")) + `"`, `href="#/x"`,
		`<link rel="modulepreload" href="` + u("/m/js/ui.js") + `">`,
		`<link rel="modulepreload" href="` + u("/m/js/store.js") + `">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %s:\n%s", want, page)
		}
	}
	if strings.Contains(page, "pages/p") || strings.Index(page, "modulepreload") > strings.Index(page, `<script type="module"`) {
		t.Errorf("index.html preloads the dynamic page or after the script:\n%s", page)
	}
	app := body(t, a, "/m/js/app.js")
	for _, want := range []string{
		`'./` + path.Base(u("/m/js/ui.js")) + `'`, `"./` + path.Base(u("/m/js/store.js")) + `"`,
		`import('./pages/` + path.Base(u("/m/js/pages/p.js")) + `')`, `'img/` + path.Base(u("/m/img/logo.svg")) + `'`,
		`'not/a/file.js'`,
	} {
		if !strings.Contains(app, want) {
			t.Errorf("app.js lacks %s:\n%s", want, app)
		}
	}
	if css := body(t, a, "/m/css/app.css"); !strings.Contains(css, `url(../img/`+path.Base(u("/m/img/logo.svg"))+`)`) || !strings.Contains(css, `url("../img/none.svg")`) {
		t.Errorf("app.css: %s", css)
	}
	if c := body(t, a, "/m/js/c.js"); !strings.Contains(c, `'./a.js'`) || !strings.Contains(c, path.Base(u("/m/js/ui.js"))) {
		t.Errorf("c.js must import the cycle by its one plain URL and ui.js hashed: %s", c)
	}

	// A change in a leaf module changes the URL of every module importing it,
	// and of nothing else.
	b := mustAssets(t, ui+"\n// changed")
	for _, changed := range []string{"/m/js/ui.js", "/m/js/app.js", "/m/js/store.js", "/m/js/pages/p.js", "/m/js/c.js"} {
		if a.URL(changed) == b.URL(changed) {
			t.Errorf("%s kept its URL after ui.js changed", changed)
		}
	}
	for _, same := range []string{"/m/css/app.css", "/m/img/logo.svg", "/static/vendor/w.css", "/m/js/a.js"} {
		if a.URL(same) != b.URL(same) {
			t.Errorf("%s changed its URL after ui.js changed", same)
		}
	}
}

func get(t *testing.T, a *assets, method, u string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	if !a.serve(w, r, r.URL.Path) {
		w.Code = http.StatusNotFound
	}
	return w
}

func decode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch enc {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAssetsServe: caching by URL kind, the coding by Accept-Encoding with
// Vary and an exact Content-Length, revalidation and HEAD.
func TestAssetsServe(t *testing.T) {
	a := mustAssets(t, `export function h() {}`+strings.Repeat("\n// padding so it compresses", 20))
	css := a.URL("/m/css/app.css")
	for _, c := range []struct{ url, cache string }{
		{css, "public, max-age=31536000, immutable"},
		{"/m/css/app.css", "no-cache"},
		{"/m/", "no-cache"},
		{"/m/index.html", "no-cache"},
		{a.URL("/static/vendor/w.css"), "public, max-age=31536000, immutable"},
	} {
		w := get(t, a, "GET", c.url)
		if w.Code != 200 || w.Header().Get("Cache-Control") != c.cache {
			t.Errorf("GET %s: %d, Cache-Control %q, want %q", c.url, w.Code, w.Header().Get("Cache-Control"), c.cache)
		}
	}
	for _, u := range []string{"/m/js/", "/m/js", "/m/none.js", "/static/", "/m/css/app.0123456789.css"} {
		if w := get(t, a, "GET", u); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d", u, w.Code)
		}
	}
	plain := []byte(body(t, a, "/m/css/app.css"))
	for _, c := range []struct{ accept, enc string }{
		{"gzip, deflate, br", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0.5", "gzip"},
		{"*", "br"},
		{"br;q=0,gzip;q=0", ""},
		{"", ""},
		{"identity", ""},
	} {
		w := get(t, a, "GET", css, "Accept-Encoding", c.accept)
		h := w.Header()
		if h.Get("Content-Encoding") != c.enc || h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, Vary %q; want %q", c.accept, h.Get("Content-Encoding"), h.Get("Vary"), c.enc)
		}
		if h.Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
			t.Errorf("Accept-Encoding %q: Content-Length %s for %d bytes", c.accept, h.Get("Content-Length"), w.Body.Len())
		}
		if c.enc != "" && w.Body.Len() >= len(plain) {
			t.Errorf("%s: %d bytes, not smaller than %d", c.enc, w.Body.Len(), len(plain))
		}
		if got := decode(t, c.enc, w.Body.Bytes()); !bytes.Equal(got, plain) {
			t.Errorf("Accept-Encoding %q: the decoded body differs", c.accept)
		}
		// The ETag names the coding: a revalidation answers 304 for it.
		if r := get(t, a, "GET", css, "Accept-Encoding", c.accept, "If-None-Match", h.Get("ETag")); r.Code != http.StatusNotModified || r.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: %d", h.Get("ETag"), r.Code)
		}
	}
	br, gz := get(t, a, "GET", css, "Accept-Encoding", "br"), get(t, a, "GET", css, "Accept-Encoding", "gzip")
	if br.Header().Get("ETag") == gz.Header().Get("ETag") {
		t.Error("the br and gzip variants share an ETag")
	}
	if w := get(t, a, "HEAD", css, "Accept-Encoding", "br"); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != strconv.Itoa(br.Body.Len()) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %s", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}
	// A PNG is not compressed and does not vary.
	if w := get(t, a, "GET", a.URL("/m/img/photo.png"), "Accept-Encoding", "br, gzip"); w.Header().Get("Content-Encoding") != "" || w.Header().Get("Vary") != "" || w.Header().Get("Content-Type") != "image/png" {
		t.Errorf("png: %v", w.Header())
	}
	if w := get(t, a, "GET", "/m/js/app.js"); !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") {
		t.Errorf("js: Content-Type %s", w.Header().Get("Content-Type"))
	}
}

// TestAssetsRewriteStaffHTML: the staff templates' /static/ links name
// the hashed files; unknown and page links stay.
func TestAssetsRewriteStaffHTML(t *testing.T) {
	a := mustAssets(t, `export function h() {}`)
	got := a.RewriteHTML(`<link rel="stylesheet" href="/static/vendor/w.css"><script src="/static/none.js"></script><a href="/staff/cases?page={{.Page}}">`)
	want := `<link rel="stylesheet" href="` + a.URL("/static/vendor/w.css") + `"><script src="/static/none.js"></script><a href="/staff/cases?page={{.Page}}">`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
