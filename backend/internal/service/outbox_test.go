package service_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
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

// countingSender counts the calls per message.
type countingSender struct {
	channel string
	mu      sync.Mutex
	calls   map[string]int
	fail    func(key string, call int) error // nil = always succeed
}

func newCounting(channel string) *countingSender {
	return &countingSender{channel: channel, calls: map[string]int{}}
}

func msgKey(channel string, to service.Recipient, template string, m service.Message) string {
	return fmt.Sprintf("%s|%s|%d|%s|%s", channel, to.Kind, to.ID, template, m.CaseNo)
}

func (c *countingSender) Send(_ context.Context, to service.Recipient, template string, m service.Message) error {
	k := msgKey(c.channel, to, template, m)
	c.mu.Lock()
	c.calls[k]++
	n := c.calls[k]
	c.mu.Unlock()
	if c.fail != nil {
		return c.fail(k, n)
	}
	return nil
}

func (c *countingSender) total() (calls, keys int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.calls {
		calls += n
	}
	return calls, len(c.calls)
}

// outboxLeft counts the messages not yet delivered.
func outboxLeft(ctx context.Context, db *store.DB) (int64, error) {
	var n int64
	err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')").Scan(&n)
	return n, err
}

// TestOutboxExactlyOnce runs two delivery workers, each with its own
// database handle and Service, over the same outbox: every message is
// delivered once — one notification row per in-app message, one call per
// WeChat or SMS message.
func TestOutboxExactlyOnce(t *testing.T) {
	t.Parallel()
	db1, db2 := openShared(t)
	f := setupFixture(t, db1)
	svc2 := f.serviceOn(db2)

	// 40 cases' worth: each applicant has a WeChat openid and a phone; half
	// the cases are rejected (urgent: also SMS), half accepted.
	for i := range 40 {
		tc := f.newCase(caseSpec{wechat: true, mail: i%3 == 0})
		if i%2 == 0 {
			_, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Reason: "照片不清晰"})
			mustOK(t, err)
		} else {
			_, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true})
			mustOK(t, err)
		}
	}
	byChannel := map[string]int64{}
	for _, ch := range []string{service.ChannelInApp, service.ChannelWeChat, service.ChannelSMS} {
		byChannel[ch] = f.count("SELECT COUNT(*) FROM outbox WHERE channel = ?", ch)
	}
	if byChannel["inapp"] != 80 || byChannel["wechat"] != 80 || byChannel["sms"] != 20 {
		t.Fatalf("outbox holds %v, want 80 in-app, 80 WeChat, 20 SMS", byChannel)
	}

	wechat, sms := newCounting(service.ChannelWeChat), newCounting(service.ChannelSMS)
	senders := service.Senders{WeChat: wechat, SMS: sms}
	var delivered [2]int
	work := func(i int, svc *service.Service, db *store.DB) error {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			n, err := svc.DeliverOutbox(f.ctx, fmt.Sprintf("worker-%d", i), 3, senders)
			if err != nil {
				return err
			}
			delivered[i] += n
			if n == 0 {
				left, err := outboxLeft(f.ctx, db)
				if err != nil || left == 0 {
					return err
				}
				time.Sleep(time.Millisecond) // the other worker holds the rest
			}
		}
		return errors.New("outbox not drained in 30 s")
	}
	errs := race(func() error { return work(0, f.svc, db1) }, func() error { return work(1, svc2, db2) })
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
	t.Logf("worker 0 delivered %d, worker 1 delivered %d", delivered[0], delivered[1])
	// On MariaDB the workers claim side by side (SKIP LOCKED); SQLite
	// serialises the claims and may let one worker win every race.
	if db1.Dialect() == store.MySQL && (delivered[0] == 0 || delivered[1] == 0) {
		t.Fatalf("one worker did everything (%d, %d): the test did not run them concurrently", delivered[0], delivered[1])
	}
	total := byChannel["inapp"] + byChannel["wechat"] + byChannel["sms"]
	if int64(delivered[0]+delivered[1]) != total {
		t.Fatalf("delivered %d + %d, want %d", delivered[0], delivered[1], total)
	}
	if n := f.count("SELECT COUNT(*) FROM outbox WHERE state <> 'sent' OR attempts <> 1 OR sent_at IS NULL OR locked_by IS NOT NULL"); n != 0 {
		t.Fatalf("%d messages not sent exactly once", n)
	}
	if n := f.count("SELECT COUNT(*) FROM notifications"); n != byChannel["inapp"] {
		t.Fatalf("%d notifications for %d in-app messages", n, byChannel["inapp"])
	}
	if n := f.count("SELECT COUNT(*) FROM outbox o WHERE o.channel = 'inapp' AND (SELECT COUNT(*) FROM notifications n WHERE n.outbox_id = o.id) <> 1"); n != 0 {
		t.Fatalf("%d in-app messages without exactly one notification", n)
	}
	for _, s := range []*countingSender{wechat, sms} {
		calls, keys := s.total()
		if int64(calls) != byChannel[s.channel] || int64(keys) != byChannel[s.channel] {
			t.Fatalf("%s: %d calls for %d distinct messages, want %d of each", s.channel, calls, keys, byChannel[s.channel])
		}
	}
	// A further round finds nothing to do.
	n, err := svc2.DeliverOutbox(f.ctx, "worker-1", 50, senders)
	mustOK(t, err)
	if calls, _ := wechat.total(); n != 0 || int64(calls) != byChannel["wechat"] {
		t.Fatalf("a drained outbox delivered %d more", n)
	}
}

// shiftOutbox moves the case's pending messages' due time back by d: the
// database's clock, which ClaimOutbox reads, cannot be moved by the test.
func (f *fixture) shiftOutbox(caseID int64, d time.Duration) {
	f.t.Helper()
	ms, err := f.st.Q(f.ctx).OutboxOfCase(caseID)
	mustOK(f.t, err)
	for _, m := range ms {
		if m.State != store.OutboxPending {
			continue
		}
		if _, err := f.db.SQL().ExecContext(f.ctx, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", m.NextAttemptAt.Add(-d), m.ID); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fixture) outboxOf(caseID int64, channel string) store.OutboxMessage {
	f.t.Helper()
	ms, err := f.st.Q(f.ctx).OutboxOfCase(caseID)
	mustOK(f.t, err)
	for _, m := range ms {
		if m.Channel == channel {
			return m
		}
	}
	f.t.Fatalf("case %d has no %s message", caseID, channel)
	return store.OutboxMessage{}
}

// TestOutboxRetry: a WeChat send that fails is retried after a back-off,
// delivered once, and given up after the last attempt.
func TestOutboxRetry(t *testing.T) {
	t.Parallel()
	root := newFixture(t)

	t.Run("FailsOnceThenDelivered", func(t *testing.T) {
		f := root.with(t)
		defer f.clk.Set(baseTime)
		f.clk.Set(time.Now()) // the outbox's own times come from the database's clock
		tc := f.newCase(caseSpec{wechat: true})
		c := f.caseRow(tc.no)
		flaky := newCounting(service.ChannelWeChat)
		flaky.fail = func(_ string, call int) error {
			if call == 1 {
				return errors.New("wechat: system busy (-1)")
			}
			return nil
		}
		senders := service.Senders{WeChat: flaky}
		n, err := f.svc.DeliverOutbox(f.ctx, "w", 10, senders)
		mustOK(t, err)
		if n != 1 {
			t.Fatalf("first round delivered %d, want the in-app message only", n)
		}
		m := f.outboxOf(c.ID, service.ChannelWeChat)
		if m.State != store.OutboxPending || m.Attempts != 1 || m.LastError == nil || m.LockedBy != nil {
			t.Fatalf("after a failure: state %s attempts %d last error %v", m.State, m.Attempts, m.LastError)
		}
		if wait := m.NextAttemptAt.Sub(f.clk.Now()); wait < 10*time.Second-time.Millisecond || wait > time.Hour { // times are kept to the microsecond
			t.Fatalf("retry in %v, want a back-off of at least 10 s", wait)
		}
		// Not yet due: nothing is sent.
		n, err = f.svc.DeliverOutbox(f.ctx, "w", 10, senders)
		mustOK(t, err)
		if calls, _ := flaky.total(); n != 0 || calls != 1 {
			t.Fatalf("retried before the back-off: %d delivered, %d calls", n, calls)
		}
		f.clk.Advance(time.Hour)
		f.shiftOutbox(c.ID, time.Hour)
		n, err = f.svc.DeliverOutbox(f.ctx, "w", 10, senders)
		mustOK(t, err)
		m = f.outboxOf(c.ID, service.ChannelWeChat)
		if n != 1 || m.State != store.OutboxSent || m.Attempts != 2 {
			t.Fatalf("retry: %d delivered, state %s attempts %d", n, m.State, m.Attempts)
		}
		n, err = f.svc.DeliverOutbox(f.ctx, "w", 10, senders)
		mustOK(t, err)
		if calls, keys := flaky.total(); n != 0 || calls != 2 || keys != 1 {
			t.Fatalf("after delivery: %d more, %d calls for %d messages", n, calls, keys)
		}
		if k := f.count("SELECT COUNT(*) FROM notifications WHERE case_no = ?", tc.no); k != 1 {
			t.Fatalf("%d in-app notifications, want 1", k)
		}
	})

	t.Run("GivesUp", func(t *testing.T) {
		f := root.with(t)
		defer f.clk.Set(baseTime)
		f.clk.Set(time.Now())
		tc := f.newCase(caseSpec{wechat: true})
		c := f.caseRow(tc.no)
		down := newCounting(service.ChannelWeChat)
		down.fail = func(string, int) error { return errors.New("wechat: down") }
		senders := service.Senders{WeChat: down}
		for range 20 {
			_, err := f.svc.DeliverOutbox(f.ctx, "w", 10, senders)
			mustOK(t, err)
			f.clk.Set(time.Now())
			f.shiftOutbox(c.ID, 2*time.Hour) // every back-off is at most an hour
		}
		m := f.outboxOf(c.ID, service.ChannelWeChat)
		calls, _ := down.total()
		if m.State != store.OutboxFailed || m.Attempts != 8 || calls != 8 {
			t.Fatalf("state %s after %d attempts and %d calls, want failed after 8", m.State, m.Attempts, calls)
		}
	})
}
