package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/sms/tencent"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/wechat"
	"github.com/gzga/idcard/backend/internal/wechat/wechattest"
)

// TestEveryMessageReachesItsFake drives every outbound message type — each
// event of the notice table, and the notice of an identity moved to
// another account — through the outbox, the real Tencent SMS client and the
// real WeChat client, into local fakes that check the vendors' protocols
// (the SMS fake recomputes the TC3-HMAC-SHA256 signature; the WeChat fake
// checks the access token). Each fake must hold exactly what the notice
// table says: the template, its parameters and the WeChat data. Then both
// fakes are killed mid-run: what is left is retried with back-off and ends
// as dead letters, every attempt recorded.
func TestEveryMessageReachesItsFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openShared(t)
	st := newStore(t, db)

	templates := sms.Templates{sms.TemplateCode: "3001", sms.TemplateStatus: "3002", sms.TemplatePickup: "3003", sms.TemplateIdentity: "3004"}
	smsFake := smstest.New(smstest.Options{SecretID: "AKIDall", SecretKey: "all-secret", AppID: "1400000009", Sign: "贵州公安",
		Templates: map[string]int{"3001": 2, "3002": 2, "3003": 2, "3004": 1}})
	gw, err := tencent.New(tencent.Config{SecretID: "AKIDall", SecretKey: "all-secret", AppID: "1400000009", Sign: "贵州公安",
		Endpoint: smsFake.Endpoint(), Timeout: 2 * time.Second})
	mustOK(t, err)
	wxFake := wechattest.New(t, map[string]string{"wxmini": "s1", "wxoa": "s2"})
	rdb := redis.NewClient(&redis.Options{Addr: miniredis.RunT(t).Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	wx := notify.WeChatSender{
		Mini: wechat.New(wechat.Options{AppID: "wxmini", Secret: "s1", BaseURL: wxFake.URL(), Redis: rdb, HTTP: shortHTTP()}), SubscribeTemplate: "tpl-sub",
		MP: wechat.New(wechat.Options{AppID: "wxoa", Secret: "s2", BaseURL: wxFake.URL(), Redis: rdb, HTTP: shortHTTP()}), MPTemplate: "tpl-oa",
		PublicURL: "https://idcard.example"}
	now := baseTime
	ob := notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{
		WeChat: wx, SMS: notify.NewSMSSender(gw, templates, nil)}})

	// A mini-program user and an official-account user, both with phones.
	mini, mp := "o-all-mini", "o-all-mp"
	miniUser := store.Applicant{Phone: "13912340001", WechatOpenid: &mini}
	mpUser := store.Applicant{Phone: "13912340002", WechatMpOpenid: &mp}
	for _, a := range []*store.Applicant{&miniUser, &mpUser} {
		mustOK(t, st.Q(ctx).InsertApplicant(a))
	}

	// want is what the fakes must hold, built from the enqueued payloads.
	type wantSMS struct {
		phone, template string
		params          []string
	}
	var wantSMSs []wantSMS
	wantWeChat := map[string]notify.Message{} // by case number and user
	events := append(domain.AllActions(), notify.PickupReminder, notify.TemporaryCardIssued)
	for i, ev := range events {
		for j, ap := range []store.Applicant{miniUser, mpUser} {
			n := 2*i + j
			for _, m := range enqueue(t, st, now, ap, n, ev) {
				var msg notify.Message
				mustOK(t, json.Unmarshal([]byte(m.Payload), &msg))
				switch m.Channel {
				case notify.ChannelSMS:
					wantSMSs = append(wantSMSs, wantSMS{"+86" + ap.Phone, templates[msg.SMSTemplate], msg.SMSParams})
				case notify.ChannelWeChat:
					wantWeChat[caseNo(n)] = msg
				}
			}
		}
	}
	moved := notify.IdentityMovedAway(miniUser, now)
	mustOK(t, st.Q(ctx).Enqueue(now, moved...))
	for _, m := range moved {
		var msg notify.Message
		mustOK(t, json.Unmarshal([]byte(m.Payload), &msg))
		if m.Channel == notify.ChannelSMS {
			if msg.SMSTemplate != sms.TemplateIdentity || len(msg.SMSParams) != 1 {
				t.Fatalf("the identity-moved SMS: %+v", msg)
			}
			wantSMSs = append(wantSMSs, wantSMS{"+86" + miniUser.Phone, templates[msg.SMSTemplate], msg.SMSParams})
		}
	}
	if len(wantSMSs) < 2*7+1 || len(wantWeChat) != 2*len(events) {
		t.Fatalf("the notice table gives %d SMS and %d WeChat messages", len(wantSMSs), len(wantWeChat))
	}

	for {
		n, err := ob.Deliver(ctx, "w1", 50)
		mustOK(t, err)
		if n == 0 {
			break
		}
	}
	if left := count(t, db, "SELECT COUNT(*) FROM outbox WHERE state <> 'sent'"); left != 0 {
		t.Fatalf("%d messages not sent", left)
	}

	got := smsFake.Messages()
	if len(got) != len(wantSMSs) {
		t.Fatalf("the SMS fake got %d messages, want %d: %+v (refused: %v)", len(got), len(wantSMSs), got, smsFake.Refusals())
	}
	for _, w := range wantSMSs {
		found := false
		for _, g := range got {
			if g.Phone == w.phone && g.TemplateID == w.template && equalStrings(g.Params, w.params) {
				found = true
			}
		}
		if !found {
			t.Errorf("no SMS %s %s %v among %+v", w.phone, w.template, w.params, got)
		}
	}
	subs, tpls := wxFake.Subscribes(), wxFake.Templates()
	if len(subs)+len(tpls) != len(wantWeChat) {
		t.Fatalf("the WeChat fake got %d subscribe and %d template messages, want %d", len(subs), len(tpls), len(wantWeChat))
	}
	for _, s := range subs {
		w, ok := wantWeChat[s.Data["character_string1"]]
		if !ok || s.ToUser != mini || s.TemplateID != "tpl-sub" || !sameStart(s.Data["thing2"], w.Title) || !sameStart(s.Data["thing3"], w.Body) {
			t.Errorf("subscribe message %+v, want %+v", s, w)
		}
	}
	for _, m := range tpls {
		w, ok := wantWeChat[m.Data["keyword1"]]
		if !ok || m.ToUser != mp || m.TemplateID != "tpl-oa" || m.Data["keyword2"] != w.Title || m.Data["remark"] != w.Body {
			t.Errorf("template message %+v, want %+v", m, w)
		}
	}

	// Both fakes die mid-run: the next messages are retried, each after a
	// longer wait, and end as dead letters with every attempt on record.
	smsFake.Close()
	wxFake.Close()
	enqueue(t, st, now, miniUser, 900, domain.ActionArrive) // in-app, WeChat and SMS
	for range 40 {
		_, err := ob.Deliver(ctx, "w1", 50)
		mustOK(t, err)
		now = now.Add(2 * time.Hour) // past the longest back-off
	}
	if n := count(t, db, "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND channel = 'inapp' AND state = 'sent'", 1900); n != 1 {
		t.Fatalf("the in-app notice was not delivered while the fakes were down (%d)", n)
	}
	for _, ch := range []string{notify.ChannelSMS, notify.ChannelWeChat} {
		if n := count(t, db, "SELECT COUNT(*) FROM outbox WHERE case_id = ? AND channel = ? AND state = 'dead'", 1900, ch); n != 1 {
			t.Fatalf("the %s message is not a dead letter (%d)", ch, n)
		}
		failed := count(t, db, "SELECT COUNT(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.case_id = ? AND o.channel = ? AND a.outcome = 'failed'", 1900, ch)
		dead := count(t, db, "SELECT COUNT(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.case_id = ? AND o.channel = ? AND a.outcome = 'dead'", 1900, ch)
		if failed != int64(notify.MaxAttempts(ch)-1) || dead != 1 {
			t.Fatalf("%s attempts: %d failed and %d dead, want %d and 1", ch, failed, dead, notify.MaxAttempts(ch)-1)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameStart: a subscribe message's thing value is the text, or its first
// 19 characters and "…".
func sameStart(got, full string) bool {
	r, f := []rune(got), []rune(full)
	if len(r) == len(f) {
		return got == full
	}
	return len(r) == 20 && r[19] == '…' && string(r[:19]) == string(f[:19])
}

// shortHTTP is an HTTP client that gives up on a dead fake quickly.
func shortHTTP() *http.Client { return &http.Client{Timeout: 2 * time.Second} }
