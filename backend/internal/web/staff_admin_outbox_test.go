package web_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// refuser refuses every message for good, as a channel rejecting the
// template would.
type refuser struct{ calls int }

func (r *refuser) Send(context.Context, notify.Recipient, string, notify.Message) error {
	r.calls++
	return notify.Final(errors.New("template_id invalid (40037) for 13912345678"))
}

// outboxRow reads message id.
func outboxRow(t *testing.T, env *webtest.Env, caseID, id int64) store.OutboxMessage {
	t.Helper()
	rows, err := env.Store.Q(context.Background()).OutboxOfCase(caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no outbox message %d", id)
	return store.OutboxMessage{}
}

// TestAdminOutbox: a WeChat and an SMS message a channel refused are dead
// letters on the admin's outbox page, with their attempts; a station
// officer can neither see the page nor retry; the admin's retry of one
// message, then of a channel, brings each back (audited as outbox.retry),
// and the next delivery sends it, the earlier attempt kept.
func TestAdminOutbox(t *testing.T) {
	env := webtest.Start(t)
	ctx := context.Background()
	no := env.NewCase(t, webtest.CaseSpec{})
	env.DeliverOutbox(t) // the case's own notices
	q := env.Store.Q(ctx)
	c, err := q.CaseByNo(no)
	if err != nil {
		t.Fatal(err)
	}
	payload := fmt.Sprintf(`{"case_no":%q,"title":"办件进度","body":"您的申请已受理"}`, no)
	wechat := &store.OutboxMessage{CaseID: &c.ID, Channel: notify.ChannelWeChat, RecipientKind: store.ActorApplicant,
		RecipientID: c.ApplicantID, Template: "case_progress", Payload: payload}
	sms := &store.OutboxMessage{CaseID: &c.ID, Channel: notify.ChannelSMS, RecipientKind: store.ActorApplicant,
		RecipientID: c.ApplicantID, Template: "case_urgent", Payload: payload}
	if err := q.Enqueue(time.Now(), wechat, sms); err != nil {
		t.Fatal(err)
	}
	ref := &refuser{}
	if _, err := notify.New(notify.Options{Store: env.Store, Senders: notify.Senders{WeChat: ref, SMS: ref}}).Deliver(ctx, "w1", 10); err != nil {
		t.Fatal(err)
	}
	if m := outboxRow(t, env, c.ID, wechat.ID); ref.calls != 2 || m.State != store.OutboxDead {
		t.Fatalf("%d calls, the WeChat message is %s", ref.calls, m.State)
	}

	admin := webtest.StaffPages(t, env, "admin")
	metrics := admin.Get("/metrics").Text()
	for _, want := range []string{`idcard_outbox_messages{channel="sms",state="dead"} 1`, `idcard_outbox_messages{channel="wechat",state="dead"} 1`,
		`idcard_outbox_messages{channel="inapp",state="dead"} 0`, `idcard_outbox_messages{channel="sms",state="pending"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("the metrics lack %s", want)
		}
	}
	st, body := admin.Get("/staff/admin/outbox").Page()
	if st != http.StatusOK {
		t.Fatalf("outbox page: %d", st)
	}
	for _, want := range []string{fmt.Sprintf(`data-id="%d"`, wechat.ID), fmt.Sprintf(`data-id="%d"`, sms.ID), no, "case_progress",
		"40037", "139****5678", "失败，不再重试", `data-outcome="dead"`, "投递失败（死信）"} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("the outbox page lacks %q", want)
		}
	}
	if !strings.Contains(body, `id="retry-sms"`) || strings.Contains(body, `id="retry-inapp"`) {
		t.Error("the channel retry buttons are not those of the channels with dead letters")
	}
	if strings.Contains(body, "13912345678") {
		t.Error("the page shows a full phone number")
	}
	// Newest first: the SMS message died after the WeChat one or at the
	// same time with a larger id.
	if strings.Index(body, fmt.Sprintf(`data-id="%d"`, sms.ID)) > strings.Index(body, fmt.Sprintf(`data-id="%d"`, wechat.ID)) {
		t.Error("dead letters are not newest first")
	}
	if body := admin.Get("/staff/admin/outbox?channel=sms").Text(); strings.Contains(body, fmt.Sprintf(`data-id="%d"`, wechat.ID)) ||
		!strings.Contains(body, fmt.Sprintf(`data-id="%d"`, sms.ID)) {
		t.Error("the channel filter does not filter")
	}

	officer := webtest.StaffPages(t, env, "station-520102")
	if st, body := officer.Get("/staff/admin/outbox").Page(); st != http.StatusForbidden || strings.Contains(body, "case_progress") {
		t.Fatalf("a station officer's outbox page: %d", st)
	}
	if st := officer.Post(fmt.Sprintf("/staff/admin/outbox/%d/retry", wechat.ID), url.Values{}).Status; st != http.StatusForbidden {
		t.Fatalf("a station officer's retry: %d", st)
	}
	if st := officer.Post("/staff/admin/outbox/retry", url.Values{"channel": {"sms"}}).Status; st != http.StatusForbidden {
		t.Fatalf("a station officer's channel retry: %d", st)
	}
	if m := outboxRow(t, env, c.ID, wechat.ID); m.State != store.OutboxDead {
		t.Fatalf("after the officer's retry the message is %s", m.State)
	}

	r := admin.Post(fmt.Sprintf("/staff/admin/outbox/%d/retry", wechat.ID), url.Values{"back": {"/staff/admin/outbox?channel=wechat"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/staff/admin/outbox?channel=wechat" {
		t.Fatalf("retry: %d %s", r.Status, r.Location())
	}
	m := outboxRow(t, env, c.ID, wechat.ID)
	if m.State != store.OutboxPending || m.Attempts != 0 || m.DeadAt != nil {
		t.Fatalf("after the retry: %+v", m)
	}
	if m := outboxRow(t, env, c.ID, sms.ID); m.State != store.OutboxDead {
		t.Fatalf("the SMS message is %s, want still dead", m.State)
	}
	audit, err := q.AuditEntries(store.AuditFilter{Action: "outbox.retry"})
	if err != nil || len(audit) != 1 || audit[0].ObjectID != fmt.Sprint(wechat.ID) || audit[0].ActorName == "" {
		t.Fatalf("audit %+v %v", audit, err)
	}
	env.DeliverOutbox(t)
	m = outboxRow(t, env, c.ID, wechat.ID)
	hist, err := q.OutboxAttemptsOf([]int64{wechat.ID})
	if err != nil || m.State != store.OutboxSent || m.Attempts != 1 || len(hist[wechat.ID]) != 2 ||
		hist[wechat.ID][0].Outcome != store.AttemptDead || hist[wechat.ID][1].Outcome != store.AttemptSent {
		t.Fatalf("after redelivery: %+v, attempts %+v (%v)", m, hist[wechat.ID], err)
	}
	if body := admin.Following().Get("/staff/admin/outbox").Text(); strings.Contains(body, fmt.Sprintf(`data-id="%d"`, wechat.ID)) {
		t.Error("a delivered message is still listed as dead")
	}

	// The message is no dead letter any more: a second retry is refused.
	admin.Post(fmt.Sprintf("/staff/admin/outbox/%d/retry", wechat.ID), url.Values{})
	if body := admin.Following().Get("/staff/admin/outbox").Text(); !strings.Contains(body, "不是投递失败的死信") {
		t.Error("retrying a sent message is not refused")
	}
	admin.Post("/staff/admin/outbox/retry", url.Values{"channel": {"fax"}})
	if body := admin.Following().Get("/staff/admin/outbox").Text(); !strings.Contains(body, "投递渠道应为") {
		t.Error("an unknown channel is not refused")
	}

	// Every dead letter of a channel.
	if r := admin.Post("/staff/admin/outbox/retry", url.Values{"channel": {"sms"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("channel retry: %d", r.Status)
	}
	if body := admin.Following().Get("/staff/admin/outbox").Text(); !strings.Contains(body, "1 条投递失败的消息重新列入投递队列") {
		t.Error("the channel retry's flash is missing")
	}
	audit, err = q.AuditEntries(store.AuditFilter{Action: "outbox.retry", ObjectID: "channel:sms"})
	if err != nil || len(audit) != 1 {
		t.Fatalf("channel audit %+v %v", audit, err)
	}
	env.DeliverOutbox(t)
	if m := outboxRow(t, env, c.ID, sms.ID); m.State != store.OutboxSent {
		t.Fatalf("the SMS message is %s after the channel retry", m.State)
	}
}
