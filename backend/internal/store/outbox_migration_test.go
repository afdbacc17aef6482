package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// TestMigrationMakesFailedMessagesDeadLetters runs migration 6 over an
// outbox with a message given up on before it ('failed'): it becomes a dead
// letter that died when it was given up on, the others keep their state,
// and going down makes it 'failed' again.
func TestMigrationMakesFailedMessagesDeadLetters(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := db.MigrateDownTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	sql := db.SQL()
	for _, state := range []string{"failed", "pending", "sent"} {
		if _, err := sql.ExecContext(ctx, "INSERT INTO outbox (channel, recipient_kind, recipient_id, template, payload, state, attempts, next_attempt_at, created_at) VALUES ('sms', 'applicant', 1, 't', '{}', ?, 8, '2026-03-02 10:00:00', '2026-03-01 10:00:00')", state); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	var dead int
	var at time.Time
	if err := sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE state = ?", store.OutboxDead).Scan(&dead); err != nil || dead != 1 {
		t.Fatalf("%d dead letters (%v), want 1", dead, err)
	}
	st := store.New(db, nil)
	rows, err := st.Q(ctx).DeadLetters("", 0, 10)
	if err != nil || len(rows) != 1 || rows[0].DeadAt == nil {
		t.Fatalf("dead letters %+v %v", rows, err)
	}
	at = *rows[0].DeadAt
	if !at.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("died at %v", at)
	}
	var others int
	if err := sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sent') AND dead_at IS NULL").Scan(&others); err != nil || others != 2 {
		t.Fatalf("%d other messages kept (%v)", others, err)
	}
	if _, err := db.MigrateDownTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	var failed int
	if err := sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE state = 'failed'").Scan(&failed); err != nil || failed != 1 {
		t.Fatalf("after down: %d failed (%v)", failed, err)
	}
}
