package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
	"github.com/gzga/idcard/backend/internal/suite"
)

// openShared opens one database (a SQLite file, or a fresh MariaDB database
// when IDCARD_TEST_MYSQL_DSN is set) through two independent handles, as
// two server instances would.
func openShared(t *testing.T) (*store.DB, *store.DB) {
	t.Helper()
	ctx := context.Background()
	var o store.Options
	if dsn := storetest.MySQLDSN(); dsn != "" {
		o.MySQLDSN = storetest.CreateDatabase(t, dsn)
	} else {
		dir := t.TempDir()
		o.DataDir, o.SQLiteDB = dir, filepath.Join(dir, "shared.db")
	}
	open := func() *store.DB {
		db, err := store.Open(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	db1 := open()
	if _, err := db1.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	return db1, open()
}

func newStore(t testing.TB, db *store.DB) *store.Store {
	t.Helper()
	box, err := pii.NewBox(suite.SM, []pii.Key{{ID: "t1", Secret: bytes.Repeat([]byte{0x11}, 32)}}, bytes.Repeat([]byte{0x22}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return store.New(db, box)
}

// baseTime is a fixed "now" for tests that need none other.
var baseTime = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// clockAt returns a clock standing at *t, which the test moves.
func clockAt(t *time.Time) func() time.Time { return func() time.Time { return *t } }

// account is what an applicant account has for the channels.
type account struct{ phone, wechat bool }

// newApplicant inserts an applicant account with the channels of acc.
func newApplicant(t testing.TB, st *store.Store, n int, acc account) store.Applicant {
	t.Helper()
	var a store.Applicant
	if acc.phone {
		a.Phone = fmt.Sprintf("139%08d", 10000000+n)
	}
	if acc.wechat {
		o := fmt.Sprintf("openid-%d", n)
		a.WechatMpOpenid = &o
	}
	if err := st.Q(context.Background()).InsertApplicant(&a); err != nil {
		t.Fatalf("insert applicant: %v", err)
	}
	return a
}

// enqueue writes the messages of event about case n of applicant ap at
// the clock's time and returns them. The case exists only in memory: the
// outbox keeps its id and number.
func enqueue(t testing.TB, st *store.Store, at time.Time, ap store.Applicant, n int, event domain.Action) []*store.OutboxMessage {
	t.Helper()
	c := &store.Case{ID: int64(1000 + n), No: caseNo(n), ApplicantID: ap.ID,
		Kind: string(domain.KindDamageRenewal), Collection: string(domain.CollectionWindow), PickupDueAt: &at}
	ms, err := notify.Messages(st.Q(context.Background()), c, event, notify.Detail{Note: "照片不清晰"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Q(context.Background()).Enqueue(at, ms...); err != nil {
		t.Fatal(err)
	}
	return ms
}

// caseNo is the number of test case n.
func caseNo(n int) string { return fmt.Sprintf("GZ260302%06d", n) }

// count runs a COUNT query.
func count(t testing.TB, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.SQL().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
