package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/config"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// auditTestEnv returns a command environment on a fresh data folder, or on a
// fresh MySQL database when IDCARD_TEST_MYSQL_DSN is set.
func auditTestEnv(t *testing.T) (*cmdEnv, *bytes.Buffer) {
	t.Helper()
	vars := map[string]string{"IDCARD_DATA_DIR": t.TempDir()}
	if dsn := storetest.MySQLDSN(); dsn != "" {
		// Production mode takes its keys from the environment.
		key := func() string {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			return base64.StdEncoding.EncodeToString(b)
		}
		vars["IDCARD_MYSQL_DSN"] = storetest.CreateDatabase(t, dsn)
		vars["IDCARD_PII_KEYS"] = "k1:" + key()
		vars["IDCARD_INDEX_KEY"] = key()
		vars["IDCARD_TOKEN_KEY"] = key()
	}
	return auditTestEnvFrom(t, vars)
}

// auditTestEnvFrom returns a command environment on the variables vars.
func auditTestEnvFrom(t *testing.T, vars map[string]string) (*cmdEnv, *bytes.Buffer) {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return vars[k] }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := &bytes.Buffer{}
	return &cmdEnv{cfg: cfg, log: slog.New(slog.NewTextHandler(io.Discard, nil)), stdout: out, stderr: out}, out
}

// waitBriefly is the pause of a polling loop.
func waitBriefly() { time.Sleep(10 * time.Millisecond) }

func TestAuditVerifyCommand(t *testing.T) {
	ctx := context.Background()
	env, out := auditTestEnv(t)
	a, err := openDB(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.close() })
	if _, err := a.db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	st := store.New(a.db, a.box)
	var ids []int64
	for _, action := range []string{"staff.login", "person.view_unmasked", "case.accept"} {
		e := &store.AuditEntry{ActorKind: store.ActorStaff, ActorName: "李四", Role: "station", Action: action, IP: "10.1.2.3"}
		if err := st.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	if err := runAuditVerify(ctx, env, nil); err != nil {
		t.Fatalf("intact log: %v", err)
	}
	if got := out.String(); !strings.Contains(got, "audit log intact: 3 entries") {
		t.Fatalf("output %q", got)
	}

	if _, err := a.db.SQL().Exec("UPDATE audit_log SET actor_name = ? WHERE id = ?", "王五", ids[1]); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = runAuditVerify(ctx, env, nil)
	want := "audit log broken at entry seq=2 (id=" + itoa(ids[1]) + ")"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("tampered log: %v, want %q", err, want)
	}
	if !strings.Contains(out.String(), want) {
		t.Fatalf("output %q", out.String())
	}
	if err := runAuditVerify(ctx, env, []string{"extra"}); err == nil {
		t.Fatal("accepted an argument")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
