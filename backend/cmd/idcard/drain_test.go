package main

import (
	"strings"
	"testing"
	"time"
)

// TestServeDrainsOnStop: once serve is told to stop, /readyz answers 503
// naming the instance while the server still answers other requests, for
// IDCARD_DRAIN_DELAY; then serve returns cleanly.
func TestServeDrainsOnStop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server")
	}
	env := map[string]string{"IDCARD_DATA_DIR": t.TempDir(), "IDCARD_ADDR": "127.0.0.1:0", "IDCARD_DRAIN_DELAY": "5s"}
	base, logs, stop := startServe(t, env)
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("readyz before the stop: %d %s", code, body)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body := get(t, base+"/readyz")
		if code == 503 {
			if !strings.Contains(body, `"instance"`) {
				t.Fatalf("readyz while draining: %s, want instance named", body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz still %d after the stop began:\n%s", code, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("healthz while draining: %d, want the server still serving", code)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve after the drain: %v", err)
	}
	if !strings.Contains(logs.String(), "draining") {
		t.Fatalf("no drain in the log:\n%s", logs)
	}
}
