package notify_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

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

func msgKey(channel string, to notify.Recipient, template string, m notify.Message) string {
	return fmt.Sprintf("%s|%s|%d|%s|%s", channel, to.Kind, to.ID, template, m.CaseNo)
}

func (c *countingSender) Send(_ context.Context, to notify.Recipient, template string, m notify.Message) error {
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

// race runs fns at once and returns their errors.
func race(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errs
}

// TestOutboxExactlyOnce runs two delivery workers, each with its own
// database handle and Outbox, over the same outbox: every message is
// delivered once — one notification row per in-app message, one call per
// WeChat or SMS message.
func TestOutboxExactlyOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db1, db2 := openShared(t)
	st1, st2 := newStore(t, db1), newStore(t, db2)

	// 40 cases' worth: each applicant has a WeChat openid and a phone; half
	// the cases are rejected (urgent: also SMS), half accepted.
	for i := range 40 {
		ap := newApplicant(t, st1, i, account{phone: true, wechat: true})
		event := domain.ActionPrecheckApprove
		if i%2 == 0 {
			event = domain.ActionPrecheckReject
		}
		enqueue(t, st1, time.Now(), ap, i, event)
	}
	byChannel := map[string]int64{}
	for _, ch := range []string{notify.ChannelInApp, notify.ChannelWeChat, notify.ChannelSMS} {
		byChannel[ch] = count(t, db1, "SELECT COUNT(*) FROM outbox WHERE channel = ?", ch)
	}
	if byChannel["inapp"] != 40 || byChannel["wechat"] != 40 || byChannel["sms"] != 20 {
		t.Fatalf("outbox holds %v, want 40 in-app, 40 WeChat, 20 SMS", byChannel)
	}

	wechat, sms := newCounting(notify.ChannelWeChat), newCounting(notify.ChannelSMS)
	senders := notify.Senders{WeChat: wechat, SMS: sms}
	var delivered [2]int
	work := func(i int, st *store.Store, db *store.DB) error {
		ob := notify.New(notify.Options{Store: st, Senders: senders})
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			n, err := ob.Deliver(ctx, fmt.Sprintf("worker-%d", i), 3)
			if err != nil {
				return err
			}
			delivered[i] += n
			if n == 0 {
				left, err := outboxLeft(ctx, db)
				if err != nil || left == 0 {
					return err
				}
				time.Sleep(time.Millisecond) // the other worker holds the rest
			}
		}
		return errors.New("outbox not drained in 30 s")
	}
	errs := race(func() error { return work(0, st1, db1) }, func() error { return work(1, st2, db2) })
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
	if n := count(t, db1, "SELECT COUNT(*) FROM outbox WHERE state <> 'sent' OR attempts <> 1 OR sent_at IS NULL OR locked_by IS NOT NULL"); n != 0 {
		t.Fatalf("%d messages not sent exactly once", n)
	}
	if n := count(t, db1, "SELECT COUNT(*) FROM notifications"); n != byChannel["inapp"] {
		t.Fatalf("%d notifications for %d in-app messages", n, byChannel["inapp"])
	}
	if n := count(t, db1, "SELECT COUNT(*) FROM outbox o WHERE o.channel = 'inapp' AND (SELECT COUNT(*) FROM notifications n WHERE n.outbox_id = o.id) <> 1"); n != 0 {
		t.Fatalf("%d in-app messages without exactly one notification", n)
	}
	for _, s := range []*countingSender{wechat, sms} {
		calls, keys := s.total()
		if int64(calls) != byChannel[s.channel] || int64(keys) != byChannel[s.channel] {
			t.Fatalf("%s: %d calls for %d distinct messages, want %d of each", s.channel, calls, keys, byChannel[s.channel])
		}
	}
	// A further round finds nothing to do.
	n, err := notify.New(notify.Options{Store: st2, Senders: senders}).Deliver(ctx, "worker-1", 50)
	mustOK(t, err)
	if calls, _ := wechat.total(); n != 0 || int64(calls) != byChannel["wechat"] {
		t.Fatalf("a drained outbox delivered %d more", n)
	}
}

// messageOn returns the stored outbox row of the channel among ms.
func messageOn(t testing.TB, st *store.Store, ms []*store.OutboxMessage, channel string) store.OutboxMessage {
	t.Helper()
	for _, m := range ms {
		if m.Channel != channel {
			continue
		}
		rows, err := st.Q(context.Background()).OutboxOfCase(*m.CaseID)
		mustOK(t, err)
		for _, r := range rows {
			if r.ID == m.ID {
				return r
			}
		}
	}
	t.Fatalf("no %s message", channel)
	return store.OutboxMessage{}
}

// TestOutboxRetry: a WeChat send that fails is retried after a back-off,
// delivered once, and given up after the last attempt.
func TestOutboxRetry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	st := newStore(t, db)

	t.Run("FailsOnceThenDelivered", func(t *testing.T) {
		now := time.Now()
		ap := newApplicant(t, st, 1, account{wechat: true})
		ms := enqueue(t, st, now, ap, 1, domain.ActionSubmit)
		flaky := newCounting(notify.ChannelWeChat)
		flaky.fail = func(_ string, call int) error {
			if call == 1 {
				return errors.New("wechat: system busy (-1)")
			}
			return nil
		}
		ob := notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{WeChat: flaky}})
		n, err := ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		if n != 1 {
			t.Fatalf("first round delivered %d, want the in-app message only", n)
		}
		m := messageOn(t, st, ms, notify.ChannelWeChat)
		if m.State != store.OutboxPending || m.Attempts != 1 || m.LastError == nil || m.LockedBy != nil {
			t.Fatalf("after a failure: state %s attempts %d last error %v", m.State, m.Attempts, m.LastError)
		}
		if wait := m.NextAttemptAt.Sub(now); wait < 10*time.Second-time.Millisecond || wait > time.Hour { // times are kept to the microsecond
			t.Fatalf("retry in %v, want a back-off of at least 10 s", wait)
		}
		// Not yet due: nothing is sent.
		n, err = ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		if calls, _ := flaky.total(); n != 0 || calls != 1 {
			t.Fatalf("retried before the back-off: %d delivered, %d calls", n, calls)
		}
		now = now.Add(time.Hour)
		n, err = ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		m = messageOn(t, st, ms, notify.ChannelWeChat)
		if n != 1 || m.State != store.OutboxSent || m.Attempts != 2 {
			t.Fatalf("retry: %d delivered, state %s attempts %d", n, m.State, m.Attempts)
		}
		n, err = ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		if calls, keys := flaky.total(); n != 0 || calls != 2 || keys != 1 {
			t.Fatalf("after delivery: %d more, %d calls for %d messages", n, calls, keys)
		}
		if k := count(t, db, "SELECT COUNT(*) FROM notifications WHERE case_no = ?", caseNo(1)); k != 1 {
			t.Fatalf("%d in-app notifications, want 1", k)
		}
	})
}
