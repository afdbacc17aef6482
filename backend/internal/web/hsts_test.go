package web

import (
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gzga/idcard/backend/internal/session"
)

// TestHSTSWhenCookiesAreSecure: with Secure cookies (TLS ends at a proxy)
// every answer carries Strict-Transport-Security; without them only an
// answer on a TLS connection does.
func TestHSTSWhenCookiesAreSecure(t *testing.T) {
	_, r := startRedis(t)
	for _, tc := range []struct {
		secure, tls bool
		want        bool
	}{{true, false, true}, {false, false, false}, {false, true, true}} {
		h, err := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Sessions: session.New(r.Client, tc.secure)})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		if tc.tls {
			req.TLS = &tls.ConnectionState{}
		}
		h.ServeHTTP(rec, req)
		got := rec.Header().Get("Strict-Transport-Security")
		if (got == "max-age=31536000") != tc.want {
			t.Errorf("secure cookies %v, TLS %v: Strict-Transport-Security %q", tc.secure, tc.tls, got)
		}
	}
}
