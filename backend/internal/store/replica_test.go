package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// Two databases on the test server stand in for a primary and its replica:
// a row written through the store lands only in the primary, so where a
// read is answered shows in what it finds.
func TestReplicaRouting(t *testing.T) {
	if storetest.MySQLDSN() == "" {
		t.Skip("IDCARD_TEST_MYSQL_DSN is not set: the MySQL leg runs in .ci/run")
	}
	ctx := context.Background()
	primaryDSN := storetest.CreateDatabase(t, storetest.MySQLDSN())
	replicaDSN := storetest.CreateDatabase(t, storetest.MySQLDSN())
	for _, dsn := range []string{primaryDSN, replicaDSN} {
		db, err := store.Open(ctx, store.Options{MySQLDSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
	}
	db, err := store.Open(ctx, store.Options{MySQLDSN: primaryDSN, ReplicaDSNs: []string{replicaDSN}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	st := store.New(db, nil)
	if err := st.Q(ctx).UpsertDivisions([]store.Division{{Code: "529999", Name: "写后读县", Level: 3}}); err != nil {
		t.Fatal(err)
	}
	found := func(ctx context.Context) bool {
		t.Helper()
		_, err := st.Q(ctx).Division("529999")
		if err != nil && err != store.ErrNotFound {
			t.Fatal(err)
		}
		return err == nil
	}

	t.Run("OwnReadsStayOnPrimary", func(t *testing.T) {
		if !found(ctx) {
			t.Fatal("an unmarked read after a write did not see the write: it went to the replica")
		}
	})
	t.Run("MarkedReadsGoToReplica", func(t *testing.T) {
		before := db.Replicas().ReplicaReads
		if found(store.FromReplica(ctx)) {
			t.Fatal("a read marked FromReplica was answered by the primary")
		}
		if got := db.Replicas(); got.ReplicaReads <= before || got.Fresh != 1 || got.Total != 1 {
			t.Fatalf("replica stats = %+v, want one more replica read and 1/1 fresh", got)
		}
	})
	t.Run("TransactionsStayOnPrimary", func(t *testing.T) {
		var inTx bool
		err := st.Tx(store.FromReplica(ctx), func(q *store.Q) error {
			_, err := q.Division("529999")
			inTx = err == nil
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !inTx {
			t.Fatal("a read inside a transaction went to the replica")
		}
	})
}

// A replica DSN beside the embedded SQLite is refused: replicas are a MySQL
// deployment's.
func TestReplicaNeedsMySQLPrimary(t *testing.T) {
	_, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), ReplicaDSNs: []string{"root@tcp(127.0.0.1:1)/x"}})
	if err == nil {
		t.Fatal("opened SQLite with a MySQL replica")
	}
}
