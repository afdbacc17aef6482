package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// crashyAPI is a stand-in for a server that is killed now and then: it
// drops the connection after doing the first submission and the first
// cancel (the client never hears the answer), forgets every session once
// (a restart of embedded mode), and answers a repeated cancel 409 as the
// service did before cancels were idempotent.
type crashyAPI struct {
	mu        sync.Mutex
	token     int
	cut       map[string]bool // the steps already cut once
	cancelled bool
	forgot    bool
}

func (s *crashyAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	answer := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	drop := func(step string) bool {
		if s.cut[step] {
			return false
		}
		s.cut[step] = true
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return true
	}
	if r.URL.Path == "/api/v1/auth/wechat" {
		s.token++
		answer(200, map[string]any{"token": "t" + strconv.Itoa(s.token), "bound": true})
		return
	}
	if r.Header.Get("Authorization") != "Bearer t"+strconv.Itoa(s.token) {
		answer(401, map[string]any{"error": map[string]string{"code": "UNAUTHENTICATED"}})
		return
	}
	c := map[string]any{"no": "GZ261201000001", "status": "submitted"}
	switch {
	case r.Method == "POST" && r.URL.Path == "/api/v1/cases":
		if r.Header.Get("Idempotency-Key") != "k1" || drop("submit") {
			return
		}
		answer(201, c)
	case r.URL.Path == "/api/v1/cases/GZ261201000001/cancel":
		if s.cancelled {
			answer(409, map[string]any{"error": map[string]string{"code": "INVALID_TRANSITION"}})
			return
		}
		s.cancelled = true
		if !s.forgot {
			s.forgot = true
			s.token += 100 // every session is gone
		}
		drop("cancel")
	case r.URL.Path == "/api/v1/cases/GZ261201000001":
		if s.cancelled {
			c["status"] = "cancelled"
		}
		answer(200, c)
	default:
		answer(404, nil)
	}
}

// TestRoundSurvivesCutsAndLostSessions: an applicant whose submission and
// cancel lose their answers, and whose session is lost, retries each step
// with the same key, signs in again, and records exactly what it was told.
func TestRoundSurvivesCutsAndLostSessions(t *testing.T) {
	api := &crashyAPI{cut: map[string]bool{}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	led := newLedger()
	ap := &applicant{base: srv.URL, code: "dev:soak-test", http: &http.Client{Timeout: 5 * time.Second}, ledger: led,
		patience: 10 * time.Second, body: map[string]any{"kind": "damage_renewal", "station_id": 1, "collection": "window"}}
	if err := ap.round(context.Background(), "k1"); err != nil {
		t.Fatal(err)
	}
	got := led.answers()
	if strings.Join(got.Submitted["k1"], ",") != "GZ261201000001,GZ261201000001,GZ261201000001" || len(got.Submitted) != 1 {
		t.Errorf("submitted %v: want the submission and two replays of k1", got.Submitted)
	}
	if !got.Cancelled["GZ261201000001"] || led.cancels.Load() != 1 || led.cancel409.Load() != 1 {
		t.Errorf("cancelled %v, %d cancels, %d after a 409", got.Cancelled, led.cancels.Load(), led.cancel409.Load())
	}
	if led.signIns.Load() != 2 || led.cut.Load() < 1 || led.unexpCount.Load() != 0 {
		t.Errorf("%d sign-ins, %d cut tries, unexpected %v", led.signIns.Load(), led.cut.Load(), led.oddAnswers())
	}
}
