package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/secrets"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
	"github.com/gzga/idcard/backend/internal/suite"
)

var outboxDone = regexp.MustCompile(`job=outbox count=(\d+)`)

// TestTwoServeProcessesDeliverOnce runs two `idcard serve` on one database
// and one Redis (MariaDB when IDCARD_TEST_MYSQL_DSN is set, else one SQLite
// file), fills the outbox, and checks that every message is delivered
// exactly once between them: one claim each, one in-app notification each.
func TestTwoServeProcessesDeliverOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server twice")
	}
	dir := t.TempDir()
	env := map[string]string{"IDCARD_DATA_DIR": dir, "IDCARD_ADDR": "127.0.0.1:0", "IDCARD_DEMO": "true", "IDCARD_LOG_FORMAT": "text"}
	if dsn := storetest.MySQLDSN(); dsn != "" {
		env["IDCARD_MYSQL_DSN"] = storetest.CreateDatabase(t, dsn)
		redisURL := os.Getenv("IDCARD_TEST_REDIS_URL")
		if redisURL == "" {
			mr := miniredis.RunT(t)
			redisURL = "redis://" + mr.Addr() + "/0"
		}
		env["IDCARD_REDIS_URL"] = redisURL
	}
	_, logsA, stopA := startServe(t, env)
	defer stopA()
	_, logsB, stopB := startServe(t, env)
	defer stopB()

	// The outbox is filled behind the servers' backs, as transactions on any
	// instance would.
	keys, err := secrets.Resolve("", "", "", dir)
	if err != nil {
		t.Fatal(err)
	}
	box, err := pii.NewBox(suite.SM, keys.PII, keys.IndexKey)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Options{MySQLDSN: env["IDCARD_MYSQL_DSN"], DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := store.New(db, box)
	const n = 300
	err = st.Tx(context.Background(), func(q *store.Q) error {
		for i := range n {
			m := &store.OutboxMessage{Channel: "inapp", RecipientKind: "applicant", RecipientID: int64(1000 + i),
				Template: "test", Payload: fmt.Sprintf(`{"case_no":"","title":"测试","body":"消息%d"}`, i)}
			if err := q.Enqueue(time.Now(), m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q := st.Q(context.Background())
	deadline := time.Now().Add(60 * time.Second)
	for {
		pending, err := q.CountOutbox(store.OutboxPending)
		if err != nil {
			t.Fatal(err)
		}
		sending, _ := q.CountOutbox(store.OutboxSending)
		if pending+sending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still pending after 60 s", pending+sending)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if sent, _ := q.CountOutbox(store.OutboxSent); sent != n {
		t.Fatalf("%d of %d messages sent", sent, n)
	}
	var claimedTwice, notes int64
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM outbox WHERE attempts <> 1").Scan(&claimedTwice); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM notifications WHERE recipient_id >= 1000").Scan(&notes); err != nil {
		t.Fatal(err)
	}
	if claimedTwice != 0 || notes != n {
		t.Fatalf("%d messages claimed more than once; %d notifications for %d messages", claimedTwice, notes, n)
	}
	count := func(logs string) int {
		total := 0
		for _, m := range outboxDone.FindAllStringSubmatch(logs, -1) {
			k, _ := strconv.Atoi(m[1])
			total += k
		}
		return total
	}
	// Each server logs a batch just after committing it, so the last line
	// may follow the database's count by a moment: wait for it.
	a, b := count(logsA.String()), count(logsB.String())
	for wait := time.Now().Add(10 * time.Second); a+b < n && time.Now().Before(wait); {
		time.Sleep(100 * time.Millisecond)
		a, b = count(logsA.String()), count(logsB.String())
	}
	if a+b != n {
		t.Fatalf("the two servers report %d + %d deliveries, want %d in all", a, b, n)
	}
	t.Logf("server A delivered %d, server B %d", a, b)
}
