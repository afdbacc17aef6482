package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeEmbeddedKeepsSessionsAcrossRestarts signs a staff member in on
// the embedded server, restarts the server on the same data folder, and
// uses the same token: the session is still there (the in-process Redis
// alone would have forgotten it). Signing out then ends it.
func TestServeEmbeddedKeepsSessionsAcrossRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server twice")
	}
	env := map[string]string{"IDCARD_DATA_DIR": t.TempDir(), "IDCARD_ADDR": "127.0.0.1:0"}
	base, _, stop := startServe(t, env)
	resp, err := http.Post(base+"/api/v1/staff/auth/login", "application/json",
		strings.NewReader(`{"username":"station-520102","password":"demo1234"}`))
	if err != nil {
		t.Fatal(err)
	}
	var signed struct{ Token string }
	err = json.NewDecoder(resp.Body).Decode(&signed)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || signed.Token == "" {
		t.Fatalf("sign-in: %d %v", resp.StatusCode, err)
	}
	me := func(base string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/staff/me", nil)
		req.Header.Set("Authorization", "Bearer "+signed.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	if code := me(base); code != http.StatusOK {
		t.Fatalf("staff/me before the restart: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	base, _, stop = startServe(t, env)
	defer stop()
	if code := me(base); code != http.StatusOK {
		t.Fatalf("staff/me after the restart: %d, want the session kept", code)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/staff/auth/logout", nil)
	req.Header.Set("Authorization", "Bearer "+signed.Token)
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	if code := me(base); code != http.StatusUnauthorized {
		t.Fatalf("staff/me after signing out: %d", code)
	}
}
