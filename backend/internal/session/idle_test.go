package session

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
)

// countingStore counts the commits of the store beneath it and keeps the
// last expiry it was given.
type countingStore struct {
	scs.Store
	commits atomic.Int64
	expiry  time.Time
}

func (c *countingStore) Commit(token string, b []byte, expiry time.Time) error {
	c.commits.Add(1)
	c.expiry = expiry
	return c.Store.Commit(token, b, expiry)
}

// TestIdleExpiryIsLazy signs in, then reads the session many times: the
// store is written once, no read sends a Set-Cookie, and the store keeps
// the session only for its idle period; once a quarter of the period has
// passed, one read moves it on (one more write), and after a whole period
// without a request the session is gone.
func TestIdleExpiryIsLazy(t *testing.T) {
	cs := &countingStore{Store: memstore.New()}
	ms := newManagers(func(string) scs.Store { return cs }, false)
	m := ms.Staff
	now := time.Now()
	m.now = func() time.Time { return now }
	var token string
	var seen int64
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			tok, _, err := m.Begin(r.Context(), "staff_id", 7)
			if err != nil {
				t.Fatal(err)
			}
			token = tok
			return
		}
		seen = m.GetInt64(r.Context(), "staff_id")
	}))
	do := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if token != "" {
			req.AddCookie(&http.Cookie{Name: m.Cookie.Name, Value: token})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	do("/login")
	base := cs.commits.Load()
	if base == 0 || cs.expiry.Sub(now) > StaffIdle+time.Second {
		t.Fatalf("sign-in: %d commits, kept until %v (idle %v)", cs.commits.Load(), cs.expiry.Sub(now), StaffIdle)
	}
	for range 50 {
		rec := do("/read")
		if rec.Header().Get("Set-Cookie") != "" || seen != 7 {
			t.Fatalf("a read sent %q, saw staff %d", rec.Header().Get("Set-Cookie"), seen)
		}
	}
	if n := cs.commits.Load() - base; n != 0 {
		t.Fatalf("50 reads wrote the session %d times", n)
	}
	now = now.Add(StaffIdle/4 + time.Second)
	do("/read")
	do("/read")
	if n := cs.commits.Load() - base; n != 1 {
		t.Fatalf("after a quarter of the idle period: %d writes, want 1", n)
	}
	now = now.Add(StaffIdle + time.Second)
	do("/read")
	if seen != 0 {
		t.Fatalf("a session idle for longer than %v still signed in", StaffIdle)
	}
}
