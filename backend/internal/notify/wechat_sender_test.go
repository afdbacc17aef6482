package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/wechat"
	"github.com/gzga/idcard/backend/internal/wechat/wechattest"
)

// TestWeChatSender: a case event's WeChat message, delivered by the outbox,
// reaches WeChat as the mini-program's subscribe message when the account
// has a mini-program openid, else as the official account's template
// message, with the configured template, the openid and the mapped data.
func TestWeChatSender(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openShared(t)
	st := newStore(t, db)
	fake := wechattest.New(t, map[string]string{"wxmini": "s1", "wxoa": "s2"})
	rdb := redis.NewClient(&redis.Options{Addr: miniredis.RunT(t).Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	snd := notify.WeChatSender{
		Mini: wechat.New(wechat.Options{AppID: "wxmini", Secret: "s1", BaseURL: fake.URL(), Redis: rdb}), SubscribeTemplate: "tpl-sub",
		MP: wechat.New(wechat.Options{AppID: "wxoa", Secret: "s2", BaseURL: fake.URL(), Redis: rdb}), MPTemplate: "tpl-oa",
		PublicURL: "https://idcard.example/"}

	mini, mp := "o-mini-1", "o-mp-2"
	both := store.Applicant{WechatOpenid: &mini, WechatMpOpenid: &mp}
	mpMP := "o-mp-3"
	oaOnly := store.Applicant{WechatMpOpenid: &mpMP}
	for _, a := range []*store.Applicant{&both, &oaOnly} {
		mustOK(t, st.Q(ctx).InsertApplicant(a))
	}
	enqueue(t, st, baseTime, both, 1, domain.ActionPrecheckReject)
	enqueue(t, st, baseTime, oaOnly, 2, domain.ActionArrive)

	now := baseTime
	ob := notify.New(notify.Options{Store: st, Clock: clockAt(&now), Senders: notify.Senders{WeChat: snd}})
	if _, err := ob.Deliver(ctx, "w1", 50); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM outbox WHERE channel = 'wechat' AND state = 'sent'"); n != 2 {
		t.Fatalf("%d WeChat messages sent, want 2", n)
	}

	subs := fake.Subscribes()
	if len(subs) != 1 {
		t.Fatalf("subscribe messages %+v", subs)
	}
	s := subs[0]
	body := s.Data["thing3"]
	if s.AppID != "wxmini" || s.ToUser != mini || s.TemplateID != "tpl-sub" || s.Page != notify.MiniCasePage+"?no="+caseNo(1) ||
		s.Data["character_string1"] != caseNo(1) || s.Data["thing2"] != "申请未通过核验" || s.Data["time4"] != "2026-03-02 18:00" ||
		utf8.RuneCountInString(body) != 20 || !strings.HasSuffix(body, "…") || !strings.HasPrefix(body, "办件"+caseNo(1)) {
		t.Fatalf("subscribe message %+v", s)
	}

	tpls := fake.Templates()
	if len(tpls) != 1 {
		t.Fatalf("template messages %+v", tpls)
	}
	m := tpls[0]
	if m.AppID != "wxoa" || m.ToUser != mpMP || m.TemplateID != "tpl-oa" || m.URL != "https://idcard.example/m/#/cases/"+caseNo(2) ||
		m.Data["keyword1"] != caseNo(2) || m.Data["keyword2"] != "证件可以领取" || m.Data["keyword3"] != "2026-03-02 18:00" ||
		!strings.Contains(m.Data["remark"], "已到达派出所") || m.Data["first"] == "" {
		t.Fatalf("template message %+v", m)
	}

	// A user who has not consented: the error says so, nothing is recorded.
	fake.RefuseConsent(mini)
	err := snd.Send(ctx, notify.Recipient{Kind: store.ActorApplicant, ID: both.ID, MiniOpenID: mini, MPOpenID: mp}, "x",
		notify.Message{CaseNo: caseNo(1), Title: "证件已签发", Body: "短", At: baseTime})
	if !errors.Is(err, wechat.ErrNoConsent) || len(fake.Subscribes()) != 1 {
		t.Fatalf("refused consent: %v", err)
	}
}

// TestMiniCasePageExists: the page a subscribe message opens is a page of
// the mini-program.
func TestMiniCasePageExists(t *testing.T) {
	raw, err := os.ReadFile("../../../frontend/miniprogram/app.json")
	if err != nil {
		t.Fatal(err)
	}
	var app struct{ Pages []string }
	if err := json.Unmarshal(raw, &app); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(app.Pages, notify.MiniCasePage) {
		t.Fatalf("app.json lists no page %s: %v", notify.MiniCasePage, app.Pages)
	}
}
