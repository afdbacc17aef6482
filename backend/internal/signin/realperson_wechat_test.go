package signin_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/wechat"
	"github.com/gzga/idcard/backend/internal/wechat/wechattest"
)

// TestWeChatRealPerson: Confirm passes a passed face check of the
// account's own WeChat user for the claimed person, and nothing else.
func TestWeChatRealPerson(t *testing.T) {
	t.Parallel()
	fake := wechattest.New(t, map[string]string{"wxmini": "s"})
	rdb := redis.NewClient(&redis.Options{Addr: miniredis.RunT(t).Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	p := signin.WeChatRealPerson{Client: wechat.New(wechat.Options{AppID: "wxmini", Secret: "s", BaseURL: fake.URL(), Redis: rdb})}
	if p.Name() != "wechat" {
		t.Fatalf("name %q", p.Name())
	}
	mini, mp := "o-mini", "o-mp"
	account := store.Applicant{ID: 7, WechatOpenid: &mini, WechatMpOpenid: &mp}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	const name, id = "张三", "52010219900101123X"
	face := func(vr string, f wechattest.Face) string { fake.AddFace(vr, f); return vr }
	for _, c := range []struct {
		name, vr string
		passed   bool
		reason   string
	}{
		{"passed", face("vr-pass", wechattest.Face{OpenID: mini, IDNumber: id, Name: name, Passed: true, At: at}), true, ""},
		{"passed by the official account", face("vr-mp", wechattest.Face{OpenID: mp, IDNumber: id, Name: name, Passed: true, At: at}), true, ""},
		{"failed face", face("vr-fail", wechattest.Face{OpenID: mini, IDNumber: id, Name: name, At: at}), false, "人脸核身未通过"},
		{"other openid", face("vr-other", wechattest.Face{OpenID: "o-else", IDNumber: id, Name: name, Passed: true, At: at}), false, "人脸核身结果不属于当前微信账号"},
		{"other id number", face("vr-id", wechattest.Face{OpenID: mini, IDNumber: "520103198506150026", Name: name, Passed: true, At: at}), false, "人脸核身结果与绑定的身份不一致"},
		{"other name", face("vr-name", wechattest.Face{OpenID: mini, IDNumber: id, Name: "李梅", Passed: true, At: at}), false, "人脸核身结果与绑定的身份不一致"},
		{"unknown verify_result", "vr-unknown", false, "人脸核身未通过"},
	} {
		v, err := p.Confirm(context.Background(), signin.Claim{Account: account, Name: name, IDNumber: id, VerifyResult: c.vr})
		sum := sha256.Sum256([]byte(c.vr))
		if err != nil || v.Passed != c.passed || v.Reason != c.reason || v.Ref != "wechat:"+hex.EncodeToString(sum[:]) {
			t.Errorf("%s: %+v, %v", c.name, v, err)
		}
		if c.vr != "vr-unknown" && !v.At.Equal(at) {
			t.Errorf("%s: at %v, want %v", c.name, v.At, at)
		}
	}
	if u, err := p.Start(context.Background(), signin.Claim{Account: account}, "https://h5.example/m/"); u != "" || err != nil {
		t.Fatalf("start: %q, %v", u, err)
	}
	fake.Close()
	_, err := p.Confirm(context.Background(), signin.Claim{Account: account, Name: name, IDNumber: id, VerifyResult: "vr-pass"})
	if domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("WeChat down: %v", err)
	}
}

var _ signin.RealPersonProvider = signin.WeChatRealPerson{}
