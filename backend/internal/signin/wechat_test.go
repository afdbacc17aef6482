package signin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/signin"
)

// TestWeChatClients: code2session and the official account's token
// exchange send the app's credentials and the code, read the openid and
// unionid, and turn WeChat's error codes into BAD_CODE and a dead endpoint
// into UNAVAILABLE.
func TestWeChatClients(t *testing.T) {
	t.Parallel()
	asked := make(chan url.Values, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		asked <- q
		switch q.Get("js_code") + q.Get("code") {
		case "good":
			_, _ = w.Write([]byte(`{"openid":"o-1","unionid":"u-1","session_key":"k"}`))
		default:
			_, _ = w.Write([]byte(`{"errcode":40029,"errmsg":"invalid code"}`))
		}
	}))
	defer srv.Close()
	ctx := context.Background()

	mini := signin.MiniProgram{AppID: "wxapp", Secret: "s3cret", Endpoint: srv.URL}
	s, err := mini.Code2Session(ctx, "good")
	got := <-asked
	if err != nil || s.OpenID != "o-1" || s.UnionID != "u-1" {
		t.Fatalf("code2session: %+v, %v", s, err)
	}
	if got.Get("appid") != "wxapp" || got.Get("secret") != "s3cret" || got.Get("grant_type") != "authorization_code" {
		t.Fatalf("code2session asked %v", got)
	}
	_, err = mini.Code2Session(ctx, "stale")
	<-asked
	wantCode(t, err, domain.CodeBadCode)

	oa := signin.OfficialAccount{AppID: "wxoa", Secret: "s3cret", Endpoint: srv.URL}
	s, err = oa.Code2Session(ctx, "good")
	got = <-asked
	if err != nil || s.OpenID != "o-1" || got.Get("code") != "good" || got.Get("appid") != "wxoa" {
		t.Fatalf("official account: %+v, %v, asked %v", s, err, got)
	}
	u := oa.AuthorizeURL("https://h5.example/m/wechat/callback", "st4te")
	if !strings.HasPrefix(u, "https://open.weixin.qq.com/connect/oauth2/authorize?") || !strings.HasSuffix(u, "#wechat_redirect") ||
		!strings.Contains(u, "scope=snsapi_base") || !strings.Contains(u, "state=st4te") || !strings.Contains(u, url.QueryEscape("https://h5.example/m/wechat/callback")) {
		t.Fatalf("authorize URL %s", u)
	}

	srv.Close()
	_, err = mini.Code2Session(ctx, "good")
	wantCode(t, err, domain.CodeUnavailable)
}
