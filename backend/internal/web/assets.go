package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// assets is the one place the embedded static files are prepared and
// served: the citizen H5 (/m/) and the staff assets (/static/).
//
// Built once when the server starts, from the embedded file systems:
//
//   - every file that is not HTML gets a content-hashed URL beside its plain
//     one (js/app.js → js/app.<hash>.js). The hashed URL answers
//     Cache-Control: public, max-age=31536000, immutable; the plain URL and
//     every HTML file answer no-cache (with an ETag, so a revalidation is a
//     304), so old links keep working;
//   - references between files are rewritten to the hashed URLs: src= and
//     href= in HTML, url() and @import in CSS, and in JavaScript every
//     quoted literal naming another file — static and dynamic import
//     specifiers ('./ui.js', import('./pages/login.js')) and, in the H5,
//     document-relative asset paths ('img/logo.svg'). A file's hash is taken
//     after its references are rewritten, so changing ui.js changes the URL
//     of every module importing it. Files in an import cycle keep their
//     plain URLs (each module must have exactly one URL, or the browser
//     would instantiate it twice);
//   - an HTML page gets a <link rel="modulepreload"> for every module its
//     module scripts import statically, directly or not, so the browser
//     fetches the whole static graph at once instead of one level per round
//     trip (a page module behind a dynamic import is not preloaded);
//   - text files are served gzip- or brotli-compressed by Accept-Encoding
//     (Vary: Accept-Encoding), each variant compressed once, on its first
//     request, and kept in memory: compressing the 1.1 MB of echarts with
//     brotli's best quality takes seconds, which a start-up (and every test
//     server) should not pay for files nobody asks for.
type assets struct {
	byURL   map[string]*asset   // by plain and by hashed URL path
	imports map[string][]string // a module's static imports, by plain URL
}

// assetMount is one embedded file system and where it is served.
type assetMount struct {
	prefix string // URL prefix, with a trailing slash: "/m/"
	fsys   fs.FS
	// docBase, if set, is the URL the JavaScript's document-relative
	// literals ('img/logo.svg') resolve against: the H5's page is /m/.
	docBase string
}

type asset struct {
	plain, hashed string // URL paths; hashed == plain for HTML and files in an import cycle
	ctype         string
	body          []byte
	etag          string // quoted, of body
	compressible  bool

	once   sync.Once
	gz, br []byte // nil when compression does not pay
}

const (
	immutableCache = "public, max-age=31536000, immutable"
	// brotliBestMax is the largest file compressed with brotli's best
	// quality (11), 0.7 s for weui's CSS; larger ones (echarts, jsQR) use
	// quality 5, some forty times faster and 14–40 % larger (still well
	// under gzip for jsQR, a little under it for echarts).
	brotliBestMax = 200 << 10
)

// References to other files: HTML attributes, CSS url()/@import, quoted
// JavaScript literals with a file extension.
var (
	htmlRef = regexp.MustCompile(`\b(?:src|href)\s*=\s*["']([^"'<>\s]+)["']`)
	cssRef  = regexp.MustCompile(`url\(\s*["']?([^"')\s]+)["']?\s*\)|@import\s+["']([^"']+)["']`)
	jsRef   = regexp.MustCompile(`["']([A-Za-z0-9_./-]+\.[A-Za-z0-9]+)["']`)
	// Static import and re-export specifiers (not import(), a dynamic one).
	jsStaticImport = regexp.MustCompile(`(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']`)
	htmlScript     = regexp.MustCompile(`<script\b[^>]*>`)
	htmlTypeModule = regexp.MustCompile(`\btype\s*=\s*["']module["']`)
	htmlSrc        = regexp.MustCompile(`\bsrc\s*=\s*["']([^"']+)["']`)
)

// newAssets reads every file of the mounts and hashes and rewrites them.
func newAssets(mounts ...assetMount) (*assets, error) {
	a := &assets{byURL: map[string]*asset{}, imports: map[string][]string{}}
	type pending struct {
		a     *asset
		m     assetMount
		text  string
		deps  []string
		kind  string
		isDoc bool
		// plainOnly: on an import cycle, so served at its plain URL only.
		plainOnly bool
	}
	var todo []*pending
	for _, m := range mounts {
		if m.fsys == nil {
			continue
		}
		err := fs.WalkDir(m.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(m.fsys, p)
			if err != nil {
				return err
			}
			ext := path.Ext(p)
			ctype := mime.TypeByExtension(ext)
			if ctype == "" {
				ctype = http.DetectContentType(b)
			}
			x := &asset{plain: m.prefix + p, ctype: ctype, body: b, compressible: compressible(ctype)}
			a.byURL[x.plain] = x
			todo = append(todo, &pending{a: x, m: m, text: string(b), kind: ext, isDoc: ext == ".html"})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// What each text file refers to (files of any mount).
	for _, p := range todo {
		p.deps = a.refs(p.text, p.kind, p.a.plain, p.m.docBase)
		if p.kind == ".js" || p.kind == ".mjs" {
			for _, m := range jsStaticImport.FindAllStringSubmatch(p.text, -1) {
				if u := a.resolve(m[1], p.kind, p.a.plain, p.m.docBase); u != "" {
					a.imports[p.a.plain] = append(a.imports[p.a.plain], u)
				}
			}
		}
	}
	// Rewrite and hash files whose references are final, leaves first.
	done := map[string]bool{}
	finish := func(p *pending) {
		if len(p.deps) > 0 {
			p.a.body = []byte(a.rewrite(p.text, p.kind, p.a.plain, p.m.docBase))
		}
		if p.isDoc {
			p.a.body = []byte(a.preloadModules(string(p.a.body), p.text, p.a.plain))
		}
		sum := sha256.Sum256(p.a.body)
		h := hex.EncodeToString(sum[:])
		p.a.etag = `"` + h[:20] + `"`
		p.a.hashed = p.a.plain
		if !p.isDoc && !p.plainOnly {
			p.a.hashed = hashedName(p.a.plain, h[:10])
		}
		done[p.a.plain] = true
	}
	for len(todo) > 0 {
		var rest []*pending
		for _, p := range todo {
			ready := true
			for _, d := range p.deps {
				if d != p.a.plain && !done[d] {
					ready = false
					break
				}
			}
			if ready {
				finish(p)
			} else {
				rest = append(rest, p)
			}
		}
		if len(rest) == len(todo) {
			// Stuck on import cycles: the files on a cycle keep their
			// plain URLs; then what imports them can be hashed.
			deps := func(u string) []string {
				for _, q := range rest {
					if q.a.plain == u {
						return q.deps
					}
				}
				return nil
			}
			var cycle []*pending
			for _, p := range rest {
				if onCycle(p.a.plain, deps, done) {
					cycle = append(cycle, p)
				}
			}
			if len(cycle) == 0 {
				return nil, fmt.Errorf("assets: cannot order the references of %s", rest[0].a.plain)
			}
			for _, p := range cycle {
				p.plainOnly = true
				p.a.hashed = p.a.plain
				done[p.a.plain] = true
			}
			for _, p := range cycle {
				finish(p)
			}
			rest = rest[:0:0]
			for _, p := range todo {
				if !done[p.a.plain] {
					rest = append(rest, p)
				}
			}
		}
		todo = rest
	}
	for _, x := range a.byURL {
		if x.hashed != x.plain {
			a.byURL[x.hashed] = x
		}
	}
	return a, nil
}

// preloadModules inserts, before the first module script of the page
// rewritten (whose original text is orig), a modulepreload link for each
// module that its module scripts import statically, directly or not.
func (a *assets) preloadModules(rewritten, orig, from string) string {
	var entries []string
	for _, tag := range htmlScript.FindAllString(orig, -1) {
		if !htmlTypeModule.MatchString(tag) {
			continue
		}
		if m := htmlSrc.FindStringSubmatch(tag); m != nil {
			if u := a.resolve(m[1], ".html", from, ""); u != "" {
				entries = append(entries, u)
			}
		}
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e] = true
	}
	var links strings.Builder
	queue := append([]string(nil), entries...)
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, d := range a.imports[u] {
			if seen[d] {
				continue
			}
			seen[d] = true
			queue = append(queue, d)
			links.WriteString(`<link rel="modulepreload" href="` + a.byURL[d].hashed + `">` + "\n")
		}
	}
	if links.Len() == 0 {
		return rewritten
	}
	for _, loc := range htmlScript.FindAllStringIndex(rewritten, -1) {
		if htmlTypeModule.MatchString(rewritten[loc[0]:loc[1]]) {
			return rewritten[:loc[0]] + links.String() + rewritten[loc[0]:]
		}
	}
	return rewritten
}

// onCycle tells whether start can reach itself through deps among the
// files not done.
func onCycle(start string, deps func(string) []string, done map[string]bool) bool {
	seen := map[string]bool{}
	stack := append([]string(nil), deps(start)...)
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if u == start {
			return true
		}
		if seen[u] || done[u] {
			continue
		}
		seen[u] = true
		stack = append(stack, deps(u)...)
	}
	return false
}

// hashedName inserts the hash before the extension: /m/js/app.js → /m/js/app.<h>.js.
func hashedName(p, h string) string {
	ext := path.Ext(p)
	return strings.TrimSuffix(p, ext) + "." + h + ext
}

func compressible(ctype string) bool {
	for _, t := range []string{"text/", "application/javascript", "application/json", "image/svg+xml", "application/xml", "application/yaml"} {
		if strings.HasPrefix(ctype, t) {
			return true
		}
	}
	return false
}

// resolve turns a reference found in the file at url into the plain URL
// path of a known file, or "".
func (a *assets) resolve(ref, kind, from, docBase string) string {
	if ref == "" || strings.Contains(ref, "://") || strings.HasPrefix(ref, "//") || strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
		return ""
	}
	ref, _, _ = strings.Cut(ref, "#")
	ref, _, _ = strings.Cut(ref, "?")
	var u string
	switch {
	case strings.HasPrefix(ref, "/"):
		u = path.Clean(ref)
	case kind == ".js" && !strings.HasPrefix(ref, "./") && !strings.HasPrefix(ref, "../"):
		if docBase == "" {
			return ""
		}
		u = path.Join(docBase, ref)
	default:
		u = path.Join(path.Dir(from), ref)
	}
	if _, ok := a.byURL[u]; !ok || u == from {
		return ""
	}
	return u
}

func refPattern(kind string) *regexp.Regexp {
	switch kind {
	case ".html":
		return htmlRef
	case ".css":
		return cssRef
	case ".js", ".mjs":
		return jsRef
	}
	return nil
}

// refs lists the known files text refers to.
func (a *assets) refs(text, kind, from, docBase string) []string {
	re := refPattern(kind)
	if re == nil {
		return nil
	}
	var out []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		for _, ref := range m[1:] {
			if u := a.resolve(ref, kind, from, docBase); u != "" {
				out = append(out, u)
			}
		}
	}
	return out
}

// rewrite replaces each reference to a known file by its hashed name,
// keeping the reference's form (relative stays relative).
func (a *assets) rewrite(text, kind, from, docBase string) string {
	re := refPattern(kind)
	if re == nil {
		return text
	}
	return re.ReplaceAllStringFunc(text, func(m string) string {
		sub := re.FindStringSubmatchIndex(m)
		for i := 2; i+1 < len(sub); i += 2 {
			if sub[i] < 0 {
				continue
			}
			ref := m[sub[i]:sub[i+1]]
			u := a.resolve(ref, kind, from, docBase)
			if u == "" {
				continue
			}
			x := a.byURL[u]
			if x.hashed == "" || x.hashed == x.plain {
				continue
			}
			// Replace the last path segment's name, which is the same in
			// every form of the reference (before any ?query or #fragment).
			end := sub[i] + len(ref)
			if j := strings.IndexAny(ref, "?#"); j >= 0 {
				end = sub[i] + j
			}
			seg := path.Base(x.plain)
			start := end - len(seg)
			if start < sub[i] || m[start:end] != seg {
				continue
			}
			return m[:start] + path.Base(x.hashed) + m[end:]
		}
		return m
	})
}

// URL is the hashed URL of the file at plain (an absolute URL path), or
// plain itself when it is not a known file.
func (a *assets) URL(plain string) string {
	if x, ok := a.byURL[plain]; ok {
		return x.hashed
	}
	return plain
}

// RewriteHTML rewrites the src= and href= of an HTML text outside the
// mounts (the staff templates) that name known files by absolute path.
func (a *assets) RewriteHTML(text string) string {
	return a.rewrite(text, ".html", "/", "")
}

// compress makes the gzip and brotli variants, once.
func (x *asset) compress() {
	x.once.Do(func() {
		if !x.compressible || len(x.body) < 256 {
			return
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = zw.Write(x.body)
		_ = zw.Close()
		if gz.Len() < len(x.body) {
			x.gz = gz.Bytes()
		}
		q := brotli.BestCompression
		if len(x.body) > brotliBestMax {
			q = 5
		}
		var br bytes.Buffer
		bw := brotli.NewWriterLevel(&br, q)
		_, _ = bw.Write(x.body)
		_ = bw.Close()
		if br.Len() < len(x.body) {
			x.br = br.Bytes()
		}
	})
}

// serve answers the file at urlPath (a directory path answers its
// index.html); false when there is none.
func (a *assets) serve(w http.ResponseWriter, r *http.Request, urlPath string) bool {
	if strings.HasSuffix(urlPath, "/") {
		urlPath += "index.html"
	}
	x, ok := a.byURL[urlPath]
	if !ok {
		return false
	}
	h := w.Header()
	if urlPath == x.hashed && x.hashed != x.plain {
		h.Set("Cache-Control", immutableCache)
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("Content-Type", x.ctype)
	body, etag := x.body, x.etag
	if x.compressible {
		h.Add("Vary", "Accept-Encoding")
		x.compress()
		switch enc := acceptedEncoding(r.Header.Get("Accept-Encoding"), x.br != nil, x.gz != nil); enc {
		case "br":
			body, etag = x.br, strings.TrimSuffix(etag, `"`)+`-br"`
			h.Set("Content-Encoding", enc)
		case "gzip":
			body, etag = x.gz, strings.TrimSuffix(etag, `"`)+`-gz"`
			h.Set("Content-Encoding", enc)
		}
	}
	h.Set("ETag", etag)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return true
}

// etagMatches tells whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// acceptedEncoding picks br, then gzip, among what Accept-Encoding allows
// (q=0 refuses; * stands for any coding not named).
func acceptedEncoding(header string, haveBr, haveGz bool) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		v := 1.0
		if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
				v = f
			}
		}
		q[name] = v
	}
	ok := func(name string) bool {
		if v, named := q[name]; named {
			return v > 0
		}
		v, star := q["*"]
		return star && v > 0
	}
	switch {
	case haveBr && ok("br"):
		return "br"
	case haveGz && (ok("gzip") || ok("x-gzip")):
		return "gzip"
	}
	return ""
}
