package wechat_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/wechat"
	"github.com/gzga/idcard/backend/internal/wechat/wechattest"
)

const (
	appID  = "wxmini0001"
	secret = "mini-secret"
)

// testRedis is the Redis of IDCARD_TEST_REDIS_URL, or an in-process one,
// and a key prefix of this test alone.
func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	prefix := fmt.Sprintf("idcard-test:%s:%d:", t.Name(), time.Now().UnixNano())
	if u := os.Getenv("IDCARD_TEST_REDIS_URL"); u != "" {
		o, err := redis.ParseURL(u)
		if err != nil {
			t.Fatal(err)
		}
		c := redis.NewClient(o)
		t.Cleanup(func() {
			ctx := context.Background()
			keys, _ := c.Keys(ctx, prefix+"*").Result()
			if len(keys) > 0 {
				_ = c.Del(ctx, keys...).Err()
			}
			_ = c.Close()
		})
		return c, prefix
	}
	mr := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	return c, prefix
}

func newClient(fake *wechattest.Server, rdb redis.UniversalClient, prefix string) *wechat.Client {
	return wechat.New(wechat.Options{AppID: appID, Secret: secret, BaseURL: fake.URL(), Redis: rdb, KeyPrefix: prefix,
		HTTP: &http.Client{Timeout: 2 * time.Second}})
}

func subscribe(to string) wechat.SubscribeMessage {
	return wechat.SubscribeMessage{ToUser: to, TemplateID: "tpl-progress", Page: "pages/case-detail/case-detail?no=GZ1",
		Data: map[string]string{"character_string1": "GZ1", "thing2": "证件已签发"}}
}

// TestTokenFetchedOnce: 20 callers at once, on two Client values (two
// instances) sharing one Redis, fetch the access token once and all send.
func TestTokenFetchedOnce(t *testing.T) {
	t.Parallel()
	fake := wechattest.New(t, map[string]string{appID: secret})
	rdb, prefix := testRedis(t)
	clients := []*wechat.Client{newClient(fake, rdb, prefix), newClient(fake, rdb, prefix)}
	ctx := context.Background()
	errs := make([]error, 20)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			<-start
			errs[i] = clients[i%2].SendSubscribe(ctx, subscribe(fmt.Sprintf("o-%d", i)))
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	if n := fake.TokenFetches(appID); n != 1 {
		t.Fatalf("token fetched %d times, want 1", n)
	}
	if n := len(fake.Subscribes()); n != 20 {
		t.Fatalf("fake got %d messages, want 20", n)
	}
	ttl := rdb.PTTL(ctx, prefix+"wechat:token:"+appID).Val()
	if ttl <= 0 || ttl > 7200*time.Second-5*time.Minute {
		t.Fatalf("token cached for %v, want up to 5 minutes before expires_in", ttl)
	}
}

// TestTokenRejectedIsRefetched: an expired (42001) or invalidated (40001)
// token is dropped, a new one fetched once, and the call succeeds.
func TestTokenRejectedIsRefetched(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		reject func(*wechattest.Server)
	}{{"expired", (*wechattest.Server).ExpireTokens}, {"invalid", (*wechattest.Server).InvalidateTokens}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fake := wechattest.New(t, map[string]string{appID: secret})
			rdb, prefix := testRedis(t)
			cl := newClient(fake, rdb, prefix)
			ctx := context.Background()
			if err := cl.SendSubscribe(ctx, subscribe("o-1")); err != nil {
				t.Fatal(err)
			}
			c.reject(fake)
			if err := cl.SendSubscribe(ctx, subscribe("o-2")); err != nil {
				t.Fatalf("after the token was rejected: %v", err)
			}
			if n := fake.TokenFetches(appID); n != 2 {
				t.Fatalf("token fetched %d times, want 2", n)
			}
			if got := fake.Subscribes(); len(got) != 2 || got[1].ToUser != "o-2" {
				t.Fatalf("fake got %+v", got)
			}
		})
	}
}

// TestDropTokenComparesFirst: dropping a stale token leaves the newer one
// another caller fetched.
func TestDropTokenComparesFirst(t *testing.T) {
	t.Parallel()
	fake := wechattest.New(t, map[string]string{appID: secret})
	rdb, prefix := testRedis(t)
	a, b := newClient(fake, rdb, prefix), newClient(fake, rdb, prefix)
	ctx := context.Background()
	stale, err := a.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fake.ExpireTokens()
	if err := b.SendSubscribe(ctx, subscribe("o-1")); err != nil { // b drops stale, fetches a new one
		t.Fatal(err)
	}
	if err := a.DropToken(ctx, stale); err != nil { // a, late, drops what failed for it
		t.Fatal(err)
	}
	fresh, err := a.AccessToken(ctx)
	if err != nil || fresh == stale {
		t.Fatalf("token %q, %v; stale %q", fresh, err, stale)
	}
	if n := fake.TokenFetches(appID); n != 2 {
		t.Fatalf("token fetched %d times, want 2: the late drop removed the new token", n)
	}
}

// TestErrcodePassthrough: WeChat's errcode and errmsg reach the caller;
// 43101 is ErrNoConsent and is not retried.
func TestErrcodePassthrough(t *testing.T) {
	t.Parallel()
	fake := wechattest.New(t, map[string]string{appID: secret})
	rdb, prefix := testRedis(t)
	cl := newClient(fake, rdb, prefix)
	ctx := context.Background()

	fake.RefuseConsent("o-no")
	err := cl.SendSubscribe(ctx, subscribe("o-no"))
	if !errors.Is(err, wechat.ErrNoConsent) || wechat.ErrCode(err) != 43101 {
		t.Fatalf("refused consent: %v", err)
	}
	if len(fake.Subscribes()) != 0 || fake.TokenFetches(appID) != 1 {
		t.Fatalf("refused message recorded or retried")
	}

	_, err = cl.Code2Session(ctx, "never-issued")
	var we *wechat.Error
	if !errors.As(err, &we) || we.Code != 40029 || we.Msg != "invalid code" || errors.Is(err, wechat.ErrNoConsent) {
		t.Fatalf("bad code: %v", err)
	}

	m := subscribe("o-1")
	m.Data["thing2"] = "这是一段超过二十个字的进度说明文字内容用来测试长度限制"
	if err := cl.SendSubscribe(ctx, m); wechat.ErrCode(err) != 47003 {
		t.Fatalf("too long thing: %v", err)
	}

	bad := wechat.New(wechat.Options{AppID: appID, Secret: "wrong", BaseURL: fake.URL(), Redis: rdb, KeyPrefix: prefix + "bad:"})
	if err := bad.SendSubscribe(ctx, subscribe("o-1")); wechat.ErrCode(err) != 40125 {
		t.Fatalf("wrong secret: %v", err)
	}
}

// TestSessionsAndMessages: the code exchanges return the openid and
// unionid; the template message reaches the fake with its fields.
func TestSessionsAndMessages(t *testing.T) {
	t.Parallel()
	const oaID, oaSecret = "wxoa0001", "oa-secret"
	fake := wechattest.New(t, map[string]string{appID: secret, oaID: oaSecret})
	rdb, prefix := testRedis(t)
	mini := newClient(fake, rdb, prefix)
	oa := wechat.New(wechat.Options{AppID: oaID, Secret: oaSecret, BaseURL: fake.URL(), Redis: rdb, KeyPrefix: prefix})
	ctx := context.Background()

	fake.AddCode(appID, "c1", wechattest.User{OpenID: "o-mini", UnionID: "u-1"})
	fake.AddCode(oaID, "c2", wechattest.User{OpenID: "o-oa", UnionID: "u-1"})
	if s, err := mini.Code2Session(ctx, "c1"); err != nil || s != (wechat.Session{OpenID: "o-mini", UnionID: "u-1"}) {
		t.Fatalf("code2session: %+v, %v", s, err)
	}
	if _, err := mini.Code2Session(ctx, "c1"); wechat.ErrCode(err) != 40029 {
		t.Fatalf("code used twice: %v", err)
	}
	if _, err := mini.OAuthCode(ctx, "c2"); wechat.ErrCode(err) != 40029 {
		t.Fatalf("another app's code: %v", err)
	}
	if s, err := oa.OAuthCode(ctx, "c2"); err != nil || s.OpenID != "o-oa" {
		t.Fatalf("oauth: %+v, %v", s, err)
	}

	err := oa.SendTemplate(ctx, wechat.TemplateMessage{ToUser: "o-oa", TemplateID: "tpl-oa", URL: "https://h5.example/m/#/cases/GZ1",
		Data: map[string]string{"first": "办件进度", "keyword1": "GZ1"}})
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Templates()
	if len(got) != 1 || got[0].AppID != oaID || got[0].ToUser != "o-oa" || got[0].TemplateID != "tpl-oa" ||
		got[0].URL != "https://h5.example/m/#/cases/GZ1" || got[0].Data["keyword1"] != "GZ1" {
		t.Fatalf("template messages %+v", got)
	}
	if err := mini.SendSubscribe(ctx, subscribe("o-mini")); err != nil {
		t.Fatal(err)
	}
	sub := fake.Subscribes()
	if len(sub) != 1 || sub[0].AppID != appID || sub[0].State != "formal" || sub[0].Lang != "zh_CN" || sub[0].Page != "pages/case-detail/case-detail?no=GZ1" {
		t.Fatalf("subscribe messages %+v", sub)
	}
	if fake.TokenFetches(appID) != 1 || fake.TokenFetches(oaID) != 1 {
		t.Fatalf("each app has its own token: %d, %d", fake.TokenFetches(appID), fake.TokenFetches(oaID))
	}
}

// TestFaceInfo reads a registered face result; an unknown verify_result
// is WeChat's errcode.
func TestFaceInfo(t *testing.T) {
	t.Parallel()
	fake := wechattest.New(t, map[string]string{appID: secret})
	rdb, prefix := testRedis(t)
	cl := newClient(fake, rdb, prefix)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	fake.AddFace("vr-1", wechattest.Face{OpenID: "o-1", IDNumber: "52010219900101123X", Name: "张三", Passed: true, At: at})
	r, err := cl.FaceInfo(ctx, "vr-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.IdentifyRet != 0 || r.OpenID != "o-1" || !r.IdentifyTime.Equal(at) ||
		r.IDCardNumberMD5 != wechattest.MD5("52010219900101123X") || r.NameUTF8MD5 != "615db57aa314529aaa0fbe95b3e95bd3" {
		t.Fatalf("face result %+v", r)
	}
	if _, err := cl.FaceInfo(ctx, "vr-unknown"); wechat.ErrCode(err) != 84001 {
		t.Fatalf("unknown verify_result: %v", err)
	}
}

// TestFakeDown: a fake that answers 500, hangs past the HTTP timeout or is
// stopped gives UNAVAILABLE.
func TestFakeDown(t *testing.T) {
	t.Parallel()
	fake := wechattest.New(t, map[string]string{appID: secret})
	rdb, prefix := testRedis(t)
	cl := wechat.New(wechat.Options{AppID: appID, Secret: secret, BaseURL: fake.URL(), Redis: rdb, KeyPrefix: prefix,
		HTTP: &http.Client{Timeout: 300 * time.Millisecond}})
	ctx := context.Background()
	if err := cl.SendSubscribe(ctx, subscribe("o-1")); err != nil {
		t.Fatal(err)
	}
	fake.Fail(true)
	if err := cl.SendSubscribe(ctx, subscribe("o-1")); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("500: %v", err)
	}
	fake.Fail(false)
	fake.Stall(true)
	if err := cl.SendSubscribe(ctx, subscribe("o-1")); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("hanging: %v", err)
	}
	fake.Stall(false)
	fake.Close()
	if _, err := cl.Code2Session(ctx, "c"); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("stopped: %v", err)
	}
}
