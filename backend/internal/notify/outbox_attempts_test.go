package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// attemptsOf returns the recorded attempts of message id.
func attemptsOf(t testing.TB, st *store.Store, id int64) []store.OutboxAttempt {
	t.Helper()
	m, err := st.Q(context.Background()).OutboxAttemptsOf([]int64{id})
	mustOK(t, err)
	return m[id]
}

// outcomes lists the attempts' outcomes, and checks their numbering and
// worker.
func outcomes(t testing.TB, as []store.OutboxAttempt, worker string) []string {
	t.Helper()
	out := make([]string, len(as))
	for i, a := range as {
		if a.Attempt != i+1 || a.Worker != worker || a.FinishedAt.Before(a.StartedAt) {
			t.Fatalf("attempt %d recorded as %+v", i+1, a)
		}
		out[i] = a.Outcome
	}
	return out
}

// TestOutboxAttemptsRecorded: a WeChat sender that fails three times and
// then succeeds is tried four times, each after the back-off RetryDelay
// names, and delivers once; every attempt is recorded with its error text,
// which keeps no phone number or verification code.
func TestOutboxAttemptsRecorded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	st := newStore(t, db)
	now := baseTime
	ap := newApplicant(t, st, 11, account{phone: true, wechat: true})
	ms := enqueue(t, st, now, ap, 11, domain.ActionSubmit)
	const failures = 3
	flaky := newCounting(notify.ChannelWeChat)
	flaky.fail = func(_ string, call int) error {
		if call <= failures {
			return errors.New("wechat: system busy (-1) for 13912345678, 验证码 482913, id 520102199001011234")
		}
		return nil
	}
	ob := notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{WeChat: flaky}})
	id := messageOn(t, st, ms, notify.ChannelWeChat).ID
	delivered := 0
	for k := 1; k <= failures; k++ {
		n, err := ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		delivered += n
		m := messageOn(t, st, ms, notify.ChannelWeChat)
		want := store.Stored(now.Add(notify.RetryDelay(notify.ChannelWeChat, id, k)))
		if m.State != store.OutboxPending || m.Attempts != k || !m.NextAttemptAt.Equal(want) {
			t.Fatalf("after failure %d: state %s attempts %d next %v, want pending at %v", k, m.State, m.Attempts, m.NextAttemptAt, want)
		}
		// Due a microsecond later: nothing is sent yet.
		now = want.Add(-time.Microsecond)
		n, err = ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		if calls, _ := flaky.total(); n != 0 || calls != k {
			t.Fatalf("retried before the back-off: %d delivered, %d calls", n, calls)
		}
		now = want
	}
	n, err := ob.Deliver(ctx, "w", 10)
	mustOK(t, err)
	delivered += n
	m := messageOn(t, st, ms, notify.ChannelWeChat)
	calls, _ := flaky.total()
	// The first round delivered the in-app message too.
	if m.State != store.OutboxSent || m.SentAt == nil || calls != failures+1 || delivered != 2 {
		t.Fatalf("state %s, %d calls, %d delivered", m.State, calls, delivered)
	}
	as := attemptsOf(t, st, id)
	if got := strings.Join(outcomes(t, as, "w"), ","); got != "failed,failed,failed,sent" {
		t.Fatalf("attempts %s", got)
	}
	for _, a := range as[:failures] {
		if a.Error == nil || !strings.Contains(*a.Error, "system busy") {
			t.Fatalf("attempt %d error %v", a.Attempt, a.Error)
		}
		for _, secret := range []string{"13912345678", "482913", "520102199001011234"} {
			if strings.Contains(*a.Error, secret) {
				t.Fatalf("attempt %d keeps %s: %s", a.Attempt, secret, *a.Error)
			}
		}
		if !strings.Contains(*a.Error, "139****5678") {
			t.Fatalf("attempt error %q lacks the masked phone", *a.Error)
		}
	}
	if as[failures].Error != nil {
		t.Fatalf("the sent attempt has error %q", *as[failures].Error)
	}
	// The in-app message took one attempt.
	inapp := messageOn(t, st, ms, notify.ChannelInApp)
	if got := outcomes(t, attemptsOf(t, st, inapp.ID), "w"); len(got) != 1 || got[0] != store.AttemptSent {
		t.Fatalf("in-app attempts %v", got)
	}
}

// TestOutboxDeadLetter: a sender that always fails is retried with growing
// delays until MaxAttempts, then the message is dead, every attempt
// recorded, and nothing sends it again.
func TestOutboxDeadLetter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	st := newStore(t, db)
	now := baseTime
	ap := newApplicant(t, st, 12, account{phone: true})
	ms := enqueue(t, st, now, ap, 12, domain.ActionPrecheckReject) // urgent: SMS
	down := newCounting(notify.ChannelSMS)
	down.fail = func(string, int) error { return errors.New("sms gateway: 503") }
	ob := notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{SMS: down}})
	max := notify.MaxAttempts(notify.ChannelSMS)
	if max < 2 {
		t.Fatalf("MaxAttempts %d", max)
	}
	var last time.Duration
	for k := 1; k < max; k++ {
		_, err := ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		m := messageOn(t, st, ms, notify.ChannelSMS)
		wait := m.NextAttemptAt.Sub(store.Stored(now))
		if m.State != store.OutboxPending || m.Attempts != k || wait != notify.RetryDelay(notify.ChannelSMS, m.ID, k) {
			t.Fatalf("after failure %d: state %s attempts %d wait %v, want %v", k, m.State, m.Attempts, wait, notify.RetryDelay(notify.ChannelSMS, m.ID, k))
		}
		if wait <= last {
			t.Fatalf("delay after failure %d is %v, not longer than the one before (%v)", k, wait, last)
		}
		last = wait
		now = m.NextAttemptAt
	}
	_, err := ob.Deliver(ctx, "w", 10)
	mustOK(t, err)
	m := messageOn(t, st, ms, notify.ChannelSMS)
	if m.State != store.OutboxDead || m.Attempts != max || m.DeadAt == nil || !m.DeadAt.Equal(store.Stored(now)) || m.LockedBy != nil {
		t.Fatalf("after %d attempts: %+v", max, m)
	}
	got := outcomes(t, attemptsOf(t, st, m.ID), "w")
	want := append(strings.Split(strings.Repeat("failed,", max-1), ",")[:max-1], "dead")
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("attempts %v, want %v", got, want)
	}
	now = now.Add(48 * time.Hour)
	_, err = ob.Deliver(ctx, "w", 10)
	mustOK(t, err)
	if calls, _ := down.total(); calls != max {
		t.Fatalf("%d calls, want %d", calls, max)
	}
}

// TestOutboxFinalAndSkip: a Final refusal makes the message dead after one
// attempt; a Skip marks it skipped after one attempt, neither retried nor
// dead. An admin's retry brings the dead letter back, and the next
// delivery sends it, its earlier attempt kept.
func TestOutboxFinalAndSkip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	st := newStore(t, db)
	now := baseTime
	refusing, noConsent := newApplicant(t, st, 13, account{wechat: true}), newApplicant(t, st, 14, account{wechat: true})
	refused := enqueue(t, st, now, refusing, 13, domain.ActionSubmit)
	skipped := enqueue(t, st, now, noConsent, 14, domain.ActionSubmit)
	refusedID, skippedID := messageOn(t, st, refused, notify.ChannelWeChat).ID, messageOn(t, st, skipped, notify.ChannelWeChat).ID
	wechat := newCounting(notify.ChannelWeChat)
	healed := false
	wechat.fail = func(key string, _ int) error {
		switch {
		case strings.Contains(key, caseNo(13)) && !healed:
			return notify.Final(errors.New("wechat: invalid template_id (40037)"))
		case strings.Contains(key, caseNo(14)):
			return notify.Skip(errors.New("wechat: user refuses to accept the msg (43101)"))
		}
		return nil
	}
	ob := notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{WeChat: wechat}})
	for range 3 {
		_, err := ob.Deliver(ctx, "w", 10)
		mustOK(t, err)
		now = now.Add(2 * time.Hour)
	}
	if calls, _ := wechat.total(); calls != 2 {
		t.Fatalf("%d WeChat calls, want one per message", calls)
	}
	dead := messageOn(t, st, refused, notify.ChannelWeChat)
	if dead.State != store.OutboxDead || dead.Attempts != 1 || dead.DeadAt == nil || dead.LastError == nil || !strings.Contains(*dead.LastError, "40037") {
		t.Fatalf("the refused message: %+v", dead)
	}
	if got := outcomes(t, attemptsOf(t, st, refusedID), "w"); len(got) != 1 || got[0] != store.AttemptDead {
		t.Fatalf("refused attempts %v", got)
	}
	skip := messageOn(t, st, skipped, notify.ChannelWeChat)
	if skip.State != store.OutboxSkipped || skip.Attempts != 1 || skip.DeadAt != nil || skip.SentAt != nil {
		t.Fatalf("the skipped message: %+v", skip)
	}
	if got := outcomes(t, attemptsOf(t, st, skippedID), "w"); len(got) != 1 || got[0] != store.AttemptSkipped {
		t.Fatalf("skipped attempts %v", got)
	}

	// The template is fixed; the admin retries the dead letter.
	healed = true
	var ids []int64
	mustOK(t, st.Tx(ctx, func(q *store.Q) error {
		var err error
		ids, err = q.RetryDeadLetters(refusedID, "", now)
		return err
	}))
	back := messageOn(t, st, refused, notify.ChannelWeChat)
	if len(ids) != 1 || ids[0] != refusedID || back.State != store.OutboxPending || back.Attempts != 0 || back.DeadAt != nil ||
		!back.NextAttemptAt.Equal(store.Stored(now)) {
		t.Fatalf("after the retry (%v): %+v", ids, back)
	}
	n, err := ob.Deliver(ctx, "w2", 10)
	mustOK(t, err)
	sent := messageOn(t, st, refused, notify.ChannelWeChat)
	if n != 1 || sent.State != store.OutboxSent || sent.Attempts != 1 {
		t.Fatalf("redelivery: %d delivered, %+v", n, sent)
	}
	as := attemptsOf(t, st, refusedID)
	if len(as) != 2 || as[0].Outcome != store.AttemptDead || as[1].Outcome != store.AttemptSent || as[1].Attempt != 1 || as[1].Worker != "w2" {
		t.Fatalf("attempts after the retry: %+v", as)
	}
	if calls, _ := wechat.total(); calls != 3 {
		t.Fatalf("%d WeChat calls, want 3", calls)
	}
}

func TestFinalAndSkipWrap(t *testing.T) {
	base := errors.New("refused")
	if notify.Final(nil) != nil || notify.Skip(nil) != nil {
		t.Fatal("nil is wrapped")
	}
	f := notify.Final(base)
	wrapped := errors.Join(errors.New("sms"), f)
	if !notify.IsFinal(f) || !notify.IsFinal(wrapped) || notify.IsSkip(f) || !errors.Is(f, base) || f.Error() != "refused" {
		t.Fatal("Final")
	}
	s := notify.Skip(base)
	if !notify.IsSkip(s) || notify.IsFinal(s) || !errors.Is(s, base) || notify.IsFinal(base) || notify.IsSkip(base) {
		t.Fatal("Skip")
	}
}

// TestRetryDelay: delays are computable (the same for the same message and
// attempt), jittered between messages, within half to all of the doubling
// delay, and never past the channel's ceiling.
func TestRetryDelay(t *testing.T) {
	for _, ch := range []string{notify.ChannelInApp, notify.ChannelWeChat, notify.ChannelSMS} {
		first := notify.RetryDelay(ch, 1, 1)
		if first != notify.RetryDelay(ch, 1, 1) {
			t.Fatalf("%s: not deterministic", ch)
		}
		differ := false
		for id := int64(2); id < 20; id++ {
			if notify.RetryDelay(ch, id, 1) != first {
				differ = true
			}
		}
		if !differ {
			t.Fatalf("%s: no jitter between messages", ch)
		}
		top := notify.RetryDelay(ch, 1, 1000)
		for k := 1; k < 40; k++ {
			d := notify.RetryDelay(ch, 7, k)
			if d <= 0 || d > 2*top+time.Second {
				t.Fatalf("%s attempt %d: %v", ch, k, d)
			}
			if next := notify.RetryDelay(ch, 7, k+1); next < d/2 {
				t.Fatalf("%s: delay fell from %v to %v", ch, d, next)
			}
		}
	}
}

func TestAttemptError(t *testing.T) {
	to := notify.Recipient{Phone: "13800001111", MPOpenID: "oAbCdEf123"}
	got := notify.AttemptError(errors.New("send to 13800001111 (openid oAbCdEf123) failed: code=654321, other 15912345678, "+strings.Repeat("长", 400)), to)
	for _, secret := range []string{"13800001111", "oAbCdEf123", "654321", "15912345678"} {
		if strings.Contains(got, secret) {
			t.Fatalf("%q keeps %s", got, secret)
		}
	}
	if !strings.Contains(got, "138****1111") || !strings.Contains(got, "159****5678") || len([]rune(got)) != 300 {
		t.Fatalf("%q", got)
	}
	if notify.AttemptError(nil, to) != "" {
		t.Fatal("nil error has text")
	}
	if got := notify.AttemptError(errors.New("wechat errcode 43101"), to); got != "wechat errcode 43101" {
		t.Fatalf("a vendor error code was changed: %q", got)
	}
}
