package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/store"
)

// TestReadyzWhileDraining: once the instance drains, /readyz answers 503
// naming "instance" though every dependency answers, so the load balancer
// stops sending it requests.
func TestReadyzWhileDraining(t *testing.T) {
	var draining atomic.Bool
	h, err := New(Deps{
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Checks:   []Check{{Name: "database", Ping: func(context.Context) error { return nil }}},
		Draining: draining.Load,
	})
	if err != nil {
		t.Fatal(err)
	}
	if code, body := readyz(t, h); code != http.StatusOK {
		t.Fatalf("before: %d %v", code, body)
	}
	draining.Store(true)
	code, body := readyz(t, h)
	if down, _ := body["down"].([]any); code != http.StatusServiceUnavailable || len(down) != 1 || down[0] != "instance" {
		t.Fatalf("draining: %d %v, want 503 naming instance", code, body)
	}
}

// TestStickyPrimary: a staff write sets the short-lived cookie that keeps
// the browser's next lists on the primary; an applicant's write does not,
// and a staff list without the cookie is marked for a replica.
func TestStickyPrimary(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(stickyPrimary())
	var marked bool
	list := fromReplica(func(c *gin.Context) {
		marked = store.ReplicaAllowed(c.Request.Context())
		c.Status(http.StatusOK)
	})
	e.GET("/staff/cases", list)
	e.POST("/staff/cases/:no/review", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/staff/cases") })
	e.POST("/api/v1/cases", func(c *gin.Context) { c.Status(http.StatusCreated) })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/cases", nil))
	if len(rec.Result().Cookies()) != 0 {
		t.Fatalf("an applicant write set %v", rec.Result().Cookies())
	}
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/staff/cases/GZ1/review", nil))
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != wroteCookie || cookies[0].MaxAge != wroteWindow {
		t.Fatalf("a staff write set %v, want %s for %ds", cookies, wroteCookie, wroteWindow)
	}

	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/staff/cases", nil))
	if !marked {
		t.Fatal("a staff list without a recent write was not marked for a replica")
	}
	req := httptest.NewRequest(http.MethodGet, "/staff/cases", nil)
	req.AddCookie(cookies[0])
	e.ServeHTTP(httptest.NewRecorder(), req)
	if marked {
		t.Fatal("a staff list right after the browser's own write was marked for a replica")
	}
}
