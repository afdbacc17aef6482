package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
)

// TestBackupRestoreWhileServing backs the embedded database up while a
// server on it keeps writing (failed sign-ins are audited), restores the
// backup into an empty data folder, and finds the same cases and an intact
// audit chain there, readable with the restored keys.
func TestBackupRestoreWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server")
	}
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"IDCARD_DATA_DIR": dir, "IDCARD_ADDR": "127.0.0.1:0"}
	var out bytes.Buffer
	if err := run(ctx, []string{"seed", "--cases", "30"}, envOf(env), &out, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	url, _, stop := startServe(t, env)

	// Writes go on through the server during the backup.
	var stopWriting atomic.Bool
	var writes atomic.Int64
	writing := make(chan struct{})
	go func() {
		defer close(writing)
		for !stopWriting.Load() {
			resp, err := http.Post(url+"/api/v1/staff/auth/login", "application/json",
				strings.NewReader(`{"username":"nobody-`+itoa(writes.Load()%7)+`","password":"wrong-password"}`))
			if err == nil {
				resp.Body.Close()
				writes.Add(1)
			}
		}
	}()
	for writes.Load() < 5 {
		waitBriefly()
	}
	backup := filepath.Join(t.TempDir(), "idcard.backup")
	out.Reset()
	if err := run(ctx, []string{"backup", "--to", backup}, envOf(env), &out, &out); err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	stopWriting.Store(true)
	<-writing
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	renv := map[string]string{"IDCARD_DATA_DIR": restored}
	out.Reset()
	if err := run(ctx, []string{"restore", "--from", backup}, envOf(renv), &out, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "audit log intact after restore") {
		t.Fatalf("restore output: %s", out.String())
	}
	// Restoring over data is refused.
	if err := run(ctx, []string{"restore", "--from", backup}, envOf(renv), &out, &out); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore into a full folder: %v", err)
	}

	orig, origCases := openCases(t, env)
	copyStore, copyCases := openCases(t, renv)
	if len(origCases) < 30 || strings.Join(origCases, "\n") != strings.Join(copyCases, "\n") {
		t.Fatalf("cases differ: %d original, %d restored", len(origCases), len(copyCases))
	}
	checked, bad, err := copyStore.VerifyAudit(ctx)
	if err != nil || bad != nil || checked == 0 {
		t.Fatalf("restored chain: %d checked, %+v, %v", checked, bad, err)
	}
	if n, _, _ := orig.VerifyAudit(ctx); n < checked {
		t.Fatalf("the restored chain (%d) is longer than the original (%d)", checked, n)
	}
	// The personal data opens with the restored keys.
	var c store.Case
	if err := copyStore.DB().SQL().QueryRow("SELECT no FROM cases WHERE collection = 'mail' LIMIT 1").Scan(&c.No); err == nil {
		if _, err := copyStore.Q(ctx).CaseByNo(c.No); err != nil {
			t.Fatalf("a restored mail case does not open: %v", err)
		}
	}
}

// openCases opens the store of a data folder and lists its cases as
// "no status version" lines.
func openCases(t *testing.T, vars map[string]string) (*store.Store, []string) {
	t.Helper()
	env, _ := auditTestEnvFrom(t, vars)
	a, st, err := openStore(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.close() })
	rows, err := a.db.SQL().Query("SELECT no, status, version FROM cases ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var no, status string
		var v int
		if err := rows.Scan(&no, &status, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, no+" "+status+" "+itoa(int64(v)))
	}
	return st, out
}
