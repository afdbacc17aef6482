package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
)

// TestPIIRotate walks a change of IDCARD_CRYPTO from aes to sm: rows
// written under AES (and under the unnamed v1 form of before) stay readable
// and findable by their blind index; `idcard pii rotate` turns every value
// into SM4 naming its algorithm and key, in batches, resumably (a second run
// rewrites nothing); and the audit chain, whose entries were sealed unkeyed,
// with HMAC-SHA256 and then with HMAC-SM3, verifies before and after.
func TestPIIRotate(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo registry")
	}
	ctx := context.Background()
	aesEnv, _ := auditTestEnv(t)
	aesEnv.cfg.Crypto = "aes"
	aesEnv.cfg.Demo = true // the demo registry, on MySQL too
	var out bytes.Buffer
	aesEnv.stdout, aesEnv.stderr = &out, &out
	if err := runSeed(ctx, aesEnv, nil); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	a, st, err := openStore(ctx, aesEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	for _, s := range []*store.Store{store.New(a.db, nil), st} { // unkeyed, then HMAC-SHA256
		if err := s.Audit(ctx, &store.AuditEntry{ActorKind: store.ActorSystem, Action: "test.entry"}); err != nil {
			t.Fatal(err)
		}
	}
	raw := func(q string) string {
		t.Helper()
		var v string
		if err := a.db.SQL().QueryRow(q).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := raw("SELECT id_number_enc FROM persons ORDER BY id LIMIT 1"); !strings.HasPrefix(v, "aes:k1:") {
		t.Fatalf("an AES row reads %q", v)
	}
	// One row as the product wrote it before ciphertexts named their algorithm.
	relabel := "UPDATE persons SET address_enc = 'v1:' || substr(address_enc, 5) WHERE id = (SELECT MIN(id) FROM persons)"
	if a.db.Dialect() == store.MySQL {
		relabel = "UPDATE persons SET address_enc = CONCAT('v1:', SUBSTRING(address_enc, 5)) ORDER BY id LIMIT 1"
	}
	if _, err := a.db.SQL().Exec(relabel); err != nil {
		t.Fatal(err)
	}
	firstID := raw("SELECT MIN(id) FROM persons")
	if v := raw("SELECT address_enc FROM persons WHERE id = " + firstID); !strings.HasPrefix(v, "v1:k1:") {
		t.Fatalf("relabelled row %q", v)
	}

	smEnv := *aesEnv
	smEnv.cfg.Crypto = "sm"
	b, sm, err := openStore(ctx, &smEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	const zhang = "52010219900101123X"
	if p, err := sm.Q(ctx).PersonByIDNumber(zhang); err != nil || p.Address == "" {
		t.Fatalf("an AES-indexed person under sm: %+v %v", p, err)
	}
	if _, err := sm.Q(ctx).Person(int64(atoi(t, firstID))); err != nil {
		t.Fatalf("the v1 row under sm: %v", err)
	}
	stale, err := sm.CountStalePII(ctx)
	if err != nil || stale["persons"] == 0 {
		t.Fatalf("stale before rotation: %v %v", stale, err)
	}

	out.Reset()
	if err := runPII(ctx, &smEnv, []string{"rotate", "--batch", "50"}); err != nil {
		t.Fatalf("rotate: %v\n%s", err, out.String())
	}
	for _, want := range []string{"audit log intact before: 2 entries", "audit log intact after: 3 entries", "persons: 50 rows read"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("rotate output lacks %q:\n%s", want, out.String())
		}
	}
	stale, err = sm.CountStalePII(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range stale {
		if n != 0 {
			t.Fatalf("%s: %d values left unrotated", table, n)
		}
	}
	if n := raw("SELECT COUNT(*) FROM persons WHERE id_number_enc NOT LIKE 'sm4:k1:%' OR address_enc NOT LIKE 'sm4:k1:%'"); n != "0" {
		t.Fatalf("%s persons not in SM4", n)
	}
	if p, err := sm.Q(ctx).PersonByIDNumber(zhang); err != nil || p.IDNumber != zhang || p.IDNumberBidx != sm.Q(ctx).IDNumberIndex(zhang) {
		t.Fatalf("after rotation: %+v %v", p, err)
	}
	if v := raw("SELECT hash_alg FROM audit_log ORDER BY seq DESC LIMIT 1"); v != "hmac-sm3" {
		t.Fatalf("the rotation's audit entry is sealed with %q", v)
	}
	out.Reset()
	if err := runPII(ctx, &smEnv, []string{"rotate"}); err != nil || !strings.Contains(out.String(), "rotated: 0 rows rewritten") {
		t.Fatalf("a second run: %v\n%s", err, out.String())
	}
	if err := runAuditVerify(ctx, &smEnv, nil); err != nil {
		t.Fatal(err)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
