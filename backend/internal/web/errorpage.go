package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
)

// errorPageHTML is the page a browser gets instead of a JSON error body
// (a page address that does not exist, a dependency that is down). It is
// self-contained, so it works when templates or sessions do not.
const errorPageHTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · 居民身份证网上办理</title>
<link rel="stylesheet" href="/static/css/staff.css">
</head>
<body>
<main class="page">
<section class="card" id="error-page" data-code="{{.Code}}">
  <h1>{{.Title}}</h1>
  <p>{{.Message}}</p>
  <p class="muted">错误代码：{{.Code}}（HTTP {{.Status}}）</p>
  <p>{{if .Staff}}<a class="btn" href="/staff/">返回工作台</a>{{else}}<a class="btn" href="/m/">返回首页</a>{{end}}</p>
</section>
</main>
</body>
</html>
`

// wantsHTML reports whether the request comes from a browser asking for a
// page (its Accept header names text/html); API clients, the H5's fetch
// calls and the mini-program ask for JSON or anything.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// errorTitle is the page heading of an error status.
func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusServiceUnavailable:
		return "服务暂时不可用"
	case http.StatusForbidden:
		return "无权访问"
	}
	return "无法完成"
}

// answerError writes an error: the JSON body of openapi.yaml, or for a browser
// asking for HTML a Chinese error page with the same status, so a browser
// never shows raw JSON.
func answerError(w http.ResponseWriter, r *http.Request, status int, code domain.Code, msg string) {
	if !wantsHTML(r) {
		b, _ := json.Marshal(errorBody{Error: errorDetail{Code: string(code), Message: msg}})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(b)
		return
	}
	var buf bytes.Buffer
	if !staffErrorPage(&buf, r, status, code, msg) {
		buf.Reset()
		t := template.Must(template.New("error").Parse(errorPageHTML))
		_ = t.Execute(&buf, map[string]any{"Title": errorTitle(status), "Message": msg, "Code": string(code), "Status": status,
			"Staff": isStaffPath(r.URL.Path)})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// isStaffPath says a page address belongs to the staff pages.
func isStaffPath(p string) bool { return p == "/staff" || strings.HasPrefix(p, "/staff/") }

// errorPagesKey carries the parsed staff pages in a request's context, so
// an error answered outside a page handler (an unknown address, a session
// store that is down, a cross-site form) still gets the staff layout.
type errorPagesKey struct{}

// withErrorPages hands the staff pages to every request's error answers.
func (s *Server) withErrorPages(h http.Handler) http.Handler {
	if s.pages == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), errorPagesKey{}, s.pages)))
	})
}

// staffErrorPage renders the error of a staff address in the staff layout
// (templates/staff/error.html). The layout shows no menu: the session is
// not read, as it may be the thing that is down. Reports false when the
// address is not a staff one or the pages are not there.
func staffErrorPage(buf *bytes.Buffer, r *http.Request, status int, code domain.Code, msg string) bool {
	if !isStaffPath(r.URL.Path) {
		return false
	}
	p, _ := r.Context().Value(errorPagesKey{}).(pages)
	t := p["staff/error.html"]
	if t == nil {
		return false
	}
	title := errorTitle(status)
	d := pageData{Title: title, Data: map[string]any{"Title": title, "Message": msg, "Code": string(code), "Status": status}}
	return t.ExecuteTemplate(buf, "layout.html", d) == nil
}
