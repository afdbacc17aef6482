package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/gzga/idcard/backend/internal/kv"
)

// startRedis runs a Redis server of its own, which the test may stop, and
// a production-mode client of it; both end with t.
func startRedis(t *testing.T) (*miniredis.Miniredis, *kv.Redis) {
	t.Helper()
	srv := miniredis.NewMiniRedis()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	r, err := kv.Open(context.Background(), "redis://"+srv.Addr()+"/0", 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return srv, r
}

func readyz(t *testing.T, h http.Handler) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("readyz body %q: %v", rec.Body.String(), err)
	}
	return rec.Code, body
}

// TestReadyzFollowsRedis stops the Redis server behind a production-mode
// client and starts it again: /readyz answers 503 naming redis within 5 s,
// then 200 again on the same process and client.
func TestReadyzFollowsRedis(t *testing.T) {
	srv, r := startRedis(t)
	h, _ := New(Deps{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Checks: []Check{{Name: "redis", Ping: r.Ping}, {Name: "database", Ping: func(context.Context) error { return nil }}},
	})
	if code, body := readyz(t, h); code != 200 {
		t.Fatalf("before: %d %v", code, body)
	}
	srv.Close()
	start := time.Now()
	code, body := readyz(t, h)
	if code != http.StatusServiceUnavailable || time.Since(start) > 5*time.Second {
		t.Fatalf("after stopping redis: %d %v in %s", code, body, time.Since(start))
	}
	if down, _ := body["down"].([]any); len(down) != 1 || down[0] != "redis" {
		t.Fatalf("down = %v, want [redis]", body["down"])
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if code, _ := readyz(t, h); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("readyz did not recover after redis came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestUnknownRouteAnswersContractError(t *testing.T) {
	h, _ := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/nothing", nil))
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 404 || body.Error.Code != "NOT_FOUND" || body.Error.Message == "" {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Request-ID") == "" {
		t.Fatal("security or request-id headers missing")
	}
}
