package store_test

import (
	"context"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// TestAuditKeyedChain checks the keyed chain (HMAC-SM3 under the box's
// chain key): entries sealed unkeyed before it keep verifying; an entry
// recomputed without the key (as one who can write the table but does not
// hold the key would) is caught, as is a keyed entry relabelled unkeyed, and
// so is the office, now part of every keyed entry.
func TestAuditKeyedChain(t *testing.T) {
	ctx := context.Background()
	db, keyed := storetest.OpenStore(t)
	legacy := store.New(db, nil)
	var ids []int64
	for i, s := range []*store.Store{legacy, legacy, keyed, keyed, keyed} {
		e := sampleAudit(i)
		e.Office = "520102-PCS1 南明分局花果园派出所"
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	if _, bad, err := keyed.VerifyAudit(ctx); bad != nil || err != nil {
		t.Fatalf("a chain of unkeyed then keyed entries: %+v %v", bad, err)
	}
	var algs []string
	if err := db.SQL().QueryRow("SELECT hash_alg FROM audit_log WHERE id = ?", ids[2]).Scan(new(string)); err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL().Query("SELECT hash_alg FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		algs = append(algs, a)
	}
	rows.Close()
	if want := "sha256 sha256 hmac-sm3 hmac-sm3 hmac-sm3"; joinSpace(algs) != want {
		t.Fatalf("hash_alg %v, want %s", algs, want)
	}
	// Without the key the store cannot tell a keyed entry from a forgery.
	if _, bad, _ := legacy.VerifyAudit(ctx); bad == nil || bad.ID != ids[2] {
		t.Fatalf("verify without the key: %+v", bad)
	}
	for _, edit := range []string{
		"UPDATE audit_log SET office = '其他' WHERE id = ?",
		"UPDATE audit_log SET hash_alg = 'sha256' WHERE id = ?",
	} {
		db, keyed := storetest.OpenStore(t)
		var last int64
		for i, s := range []*store.Store{store.New(db, nil), keyed, keyed} {
			e := sampleAudit(i)
			if err := s.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
			last = e.ID
		}
		if _, err := db.SQL().Exec(edit, last); err != nil {
			t.Fatal(err)
		}
		if _, bad, err := keyed.VerifyAudit(ctx); err != nil || bad == nil || bad.ID != last {
			t.Fatalf("%s: break %+v, %v", edit, bad, err)
		}
	}
}

func joinSpace(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
