package notify_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/ratelimit"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/sms/tencent"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// smsWorld is the fake Tencent gateway, the Tencent client on it and a
// Redis (in-process, or IDCARD_TEST_REDIS_URL's) for the budgets.
type smsWorld struct {
	fake      *smstest.Server
	gateway   *tencent.Gateway
	templates sms.Templates
	redis     *kv.Redis
}

func newSMSWorld(t *testing.T) *smsWorld {
	t.Helper()
	templates := sms.Templates{sms.TemplateCode: "2001", sms.TemplateStatus: "2002", sms.TemplatePickup: "2003", sms.TemplateIdentity: "2004"}
	fake := smstest.New(smstest.Options{SecretID: "AKIDnotify", SecretKey: "notify-secret", AppID: "1400000002", Sign: "贵州公安",
		Templates: map[string]int{"2001": 2, "2002": 2, "2003": 2, "2004": 1}})
	t.Cleanup(fake.Close)
	g, err := tencent.New(tencent.Config{SecretID: "AKIDnotify", SecretKey: "notify-secret", AppID: "1400000002", Sign: "贵州公安",
		Endpoint: fake.Endpoint(), Timeout: 2 * time.Second})
	mustOK(t, err)
	r, err := kv.Open(context.Background(), os.Getenv("IDCARD_TEST_REDIS_URL"), 4)
	mustOK(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return &smsWorld{fake: fake, gateway: g, templates: templates, redis: r}
}

// sender is the SMS channel with budgets under a fresh key prefix: a new
// prefix is a phone whose day's budget is untouched.
func (w *smsWorld) sender() *notify.SMSSender {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return notify.NewSMSSender(w.gateway, w.templates, ratelimit.New(w.redis.Client, "idcard-notify-sms-"+hex.EncodeToString(b)+":"))
}

func outboxRow(t *testing.T, st *store.Store, caseID int64, channel string) store.OutboxMessage {
	t.Helper()
	ms, err := st.Q(context.Background()).OutboxOfCase(caseID)
	mustOK(t, err)
	for _, m := range ms {
		if m.Channel == channel {
			return m
		}
	}
	t.Fatalf("case %d has no %s message", caseID, channel)
	return store.OutboxMessage{}
}

// TestSMSSenderUrgentNotice: the card's arrival reaches the applicant's
// phone through the Tencent gateway as the case-status template with the
// case number and the short text, and the outbox row is sent.
func TestSMSSenderUrgentNotice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newSMSWorld(t)
	st := newStore(t, storetest.Open(t))
	ap := newApplicant(t, st, 1, account{phone: true})
	enqueue(t, st, baseTime, ap, 1, domain.ActionArrive)
	ob := notify.New(notify.Options{Store: st, Clock: clockAt(&baseTime), Senders: notify.Senders{SMS: w.sender()}})
	n, err := ob.Deliver(ctx, "test", 10)
	if err != nil || n != 2 {
		t.Fatalf("delivered %d, %v; want the in-app and SMS messages", n, err)
	}
	got := w.fake.Messages()
	if len(got) != 1 || got[0].Phone != "+86"+ap.Phone || got[0].TemplateID != "2002" ||
		!slices.Equal(got[0].Params, []string{caseNo(1), "已到派出所待领取"}) {
		t.Fatalf("gateway got %+v", got)
	}
	if m := outboxRow(t, st, 1001, notify.ChannelSMS); m.State != store.OutboxSent {
		t.Fatalf("SMS row %s, want sent", m.State)
	}
}

// TestSMSSenderDailyBudget: a phone gets at most five SMS of one template
// and ten in all a day from the outbox. The next one is not sent now: it
// waits in the outbox, not failed, for about the time the budget needs,
// and goes out when its turn comes on a day with budget.
func TestSMSSenderDailyBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newSMSWorld(t)
	st := newStore(t, storetest.Open(t))
	now := baseTime
	ap := newApplicant(t, st, 2, account{phone: true})
	// Six rejections (case-status template) of cases 0..5 of one phone.
	for i := range 6 {
		enqueue(t, st, now, ap, i, domain.ActionPrecheckReject)
	}
	ob := notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{SMS: w.sender()}})
	n, err := ob.Deliver(ctx, "test", 100)
	if err != nil || n != 11 {
		t.Fatalf("delivered %d, %v; want 6 in-app and 5 SMS", n, err)
	}
	if got := len(w.fake.Messages()); got != 5 {
		t.Fatalf("gateway got %d SMS, want 5", got)
	}
	var held store.OutboxMessage
	for i := range 6 {
		if m := outboxRow(t, st, int64(1000+i), notify.ChannelSMS); m.State != store.OutboxSent {
			held = m
		}
	}
	if held.ID == 0 || held.State != store.OutboxPending || held.LastError == nil ||
		held.NextAttemptAt.Before(now.Add(time.Hour)) || held.NextAttemptAt.After(now.Add(24*time.Hour)) {
		t.Fatalf("the sixth SMS: %+v; want pending, retried hours later", held)
	}

	// Not before its time, even on a later delivery run.
	if n, err := ob.Deliver(ctx, "test", 100); err != nil || n != 0 {
		t.Fatalf("early run delivered %d, %v", n, err)
	}
	// Its time comes on a day with budget (a fresh budget stands for the
	// Redis day having passed): it goes out, as the sixth.
	now = held.NextAttemptAt.Add(time.Second)
	ob = notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{SMS: w.sender()}})
	if n, err := ob.Deliver(ctx, "test", 100); err != nil || n != 1 {
		t.Fatalf("retry delivered %d, %v; want the held SMS", n, err)
	}
	if got := w.fake.Messages(); len(got) != 6 {
		t.Fatalf("gateway got %d SMS, want 6", len(got))
	}

	// Ten in all a day: five of the status template and five pickup
	// reminders go; the eleventh, of a template not yet used, waits.
	ap2 := newApplicant(t, st, 3, account{phone: true})
	snd := w.sender()
	for i := range 5 {
		enqueue(t, st, now, ap2, 10+i, domain.ActionPrecheckReject)
		enqueue(t, st, now, ap2, 20+i, notify.PickupReminder)
	}
	enqueue(t, st, now, ap2, 30, domain.ActionArrive)
	ob = notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{SMS: snd}})
	mustOK(t, deliverAll(ctx, ob))
	sent := 0
	for _, m := range w.fake.Messages() {
		if m.Phone == "+86"+ap2.Phone {
			sent++
		}
	}
	if sent != 10 {
		t.Fatalf("the second phone got %d SMS, want 10", sent)
	}
	if m := outboxRow(t, st, 1030, notify.ChannelSMS); m.State != store.OutboxPending || !m.NextAttemptAt.After(now) {
		t.Fatalf("the eleventh SMS: %s at %s, want pending later", m.State, m.NextAttemptAt)
	}
}

// deliverAll runs delivery until a run delivers nothing.
func deliverAll(ctx context.Context, ob *notify.Outbox) error {
	for {
		n, err := ob.Deliver(ctx, "test", 100)
		if err != nil || n == 0 {
			return err
		}
	}
}
