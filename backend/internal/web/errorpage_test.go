package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/session"
)

// TestBrowserGetsAnErrorPage: a browser asking for HTML gets a Chinese
// error page where an API client gets the JSON error body, for an unknown
// address (404) and for a session store that is down (503).
func TestBrowserGetsAnErrorPage(t *testing.T) {
	srv, r := startRedis(t)
	sm := session.New(r.Client, false)
	h, err := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Sessions: sm})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, accept string, cookie bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if cookie {
			req.AddCookie(&http.Cookie{Name: sm.Staff.Cookie.Name, Value: "some-session-token"})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	wantPage := func(rec *httptest.ResponseRecorder, status int, code, title string) {
		t.Helper()
		body := rec.Body.String()
		if rec.Code != status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(body, title) || !strings.Contains(body, `data-code="`+code+`"`) || strings.Contains(body, `{"error"`) {
			t.Fatalf("browser: %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), body)
		}
	}
	wantJSON := func(rec *httptest.ResponseRecorder, status int, code string) {
		t.Helper()
		if rec.Code != status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") ||
			!strings.Contains(rec.Body.String(), `"code":"`+code+`"`) {
			t.Fatalf("API client: %d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	}

	wantPage(get("/no/such/page", browser, false), http.StatusNotFound, "NOT_FOUND", "页面不存在")
	wantPage(get("/staff/no-such-page", browser, false), http.StatusNotFound, "NOT_FOUND", "返回工作台")
	wantJSON(get("/no/such/page", "application/json", false), http.StatusNotFound, "NOT_FOUND")
	wantJSON(get("/api/v1/nothing", "", false), http.StatusNotFound, "NOT_FOUND")

	srv.Close() // the session store goes down
	wantPage(get("/staff/", browser, true), http.StatusServiceUnavailable, "UNAVAILABLE", "服务暂时不可用")
	wantJSON(get("/api/v1/staff/me", "application/json", true), http.StatusServiceUnavailable, "UNAVAILABLE")
}
