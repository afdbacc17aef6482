package signin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/wechat"
)

// WeChatSession is what code2session answers.
type WeChatSession struct {
	OpenID  string
	UnionID string
}

// WeChatProvider turns a wx.login code into the user's openid.
type WeChatProvider interface {
	Code2Session(ctx context.Context, code string) (WeChatSession, error)
}

// MiniProgram is the mini-program's code2session, on the wechat client.
type MiniProgram struct {
	// Client is the mini-program's WeChat client; nil = one built from
	// the fields below.
	Client        *wechat.Client
	AppID, Secret string
	HTTP          *http.Client
	Endpoint      string // the API's base URL; default https://api.weixin.qq.com
}

func (m MiniProgram) client() *wechat.Client {
	if m.Client != nil {
		return m.Client
	}
	return wechat.New(wechat.Options{AppID: m.AppID, Secret: m.Secret, BaseURL: m.Endpoint, HTTP: m.HTTP})
}

// Code2Session asks WeChat for the openid behind code.
func (m MiniProgram) Code2Session(ctx context.Context, code string) (WeChatSession, error) {
	return session(m.client().Code2Session(ctx, code))
}

// session turns a code exchange's answer into a WeChatSession: WeChat's
// refusals (and an answer without openid) are BAD_CODE; UNAVAILABLE stays.
func session(ws wechat.Session, err error) (WeChatSession, error) {
	if err != nil {
		if code := wechat.ErrCode(err); code != 0 {
			return WeChatSession{}, domain.Errorf(domain.CodeBadCode, "微信登录凭证无效或已过期（%d）", code)
		}
		return WeChatSession{}, err
	}
	if ws.OpenID == "" {
		return WeChatSession{}, domain.Errorf(domain.CodeBadCode, "微信登录凭证无效或已过期（%d）", 0)
	}
	return WeChatSession{OpenID: ws.OpenID, UnionID: ws.UnionID}, nil
}

// SignInWeChat signs in with a wx.login code (mini-program). In demo mode
// a code "dev:<name>" signs in as openid "dev-<name>". The unionid, when
// WeChat gives one, links the mini-program and official-account openids to
// one account.
func (s *Service) SignInWeChat(ctx context.Context, code, ip string) (Applicant, error) {
	return s.signInWeChat(ctx, s.wechat, "wechat_openid", code, ip)
}

// signInWeChat signs in by one WeChat door; col is the openid column of
// that door (mini-program or official account).
func (s *Service) signInWeChat(ctx context.Context, provider WeChatProvider, col, code, ip string) (Applicant, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 128 {
		return Applicant{}, domain.Errorf(domain.CodeBadRequest, "缺少微信登录凭证 code")
	}
	var ws WeChatSession
	switch {
	case s.demo && strings.HasPrefix(code, "dev:") && len(code) > 4:
		ws = WeChatSession{OpenID: "dev-" + code[4:]}
	case provider != nil:
		var err error
		if ws, err = provider.Code2Session(ctx, code); err != nil {
			s.auditSignIn(ctx, 0, "wechat", ip, "failed")
			return Applicant{}, err
		}
	default:
		return Applicant{}, domain.Errorf(domain.CodeBadCode, "微信登录凭证无效")
	}
	var ap store.Applicant
	var err error
	if ws.UnionID != "" {
		ap, err = s.st.Q(ctx).ApplicantBy("wechat_unionid", ws.UnionID)
		if err == nil {
			dst := &ap.WechatOpenid
			if col == "wechat_mp_openid" {
				dst = &ap.WechatMpOpenid
			}
			if *dst == nil || **dst != ws.OpenID {
				*dst = &ws.OpenID
				err = s.st.Q(ctx).SaveApplicant(&ap)
			}
		}
	}
	if ws.UnionID == "" || err != nil {
		ap, err = s.findOrCreate(ctx, col, ws.OpenID, func(a *store.Applicant) {
			if col == "wechat_mp_openid" {
				a.WechatMpOpenid = &ws.OpenID
			} else {
				a.WechatOpenid = &ws.OpenID
			}
			if ws.UnionID != "" {
				a.WechatUnionid = &ws.UnionID
			}
		})
	}
	if err != nil {
		return Applicant{}, s.internal(ctx, "wechat sign in", fmt.Errorf("wechat: %w", err))
	}
	s.auditSignIn(ctx, ap.ID, "wechat", ip, "ok")
	return Applicant{ApplicantID: ap.ID, Bound: ap.PersonID != nil}, nil
}

// OfficialAccount is the 贵州110 official account's web authorization
// (OAuth2 snsapi_base) used by the H5 opened inside WeChat.
type OfficialAccount struct {
	// Client is the official account's WeChat client; nil = one built
	// from the fields below.
	Client        *wechat.Client
	AppID, Secret string
	HTTP          *http.Client
	Endpoint      string // the API's base URL; default https://api.weixin.qq.com
}

func (o OfficialAccount) client() *wechat.Client {
	if o.Client != nil {
		return o.Client
	}
	return wechat.New(wechat.Options{AppID: o.AppID, Secret: o.Secret, BaseURL: o.Endpoint, HTTP: o.HTTP})
}

// AuthorizeURL is where the H5 sends the browser to get a code.
func (o OfficialAccount) AuthorizeURL(redirect, state string) string {
	q := url.Values{"appid": {o.client().AppID()}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"snsapi_base"}, "state": {state}}
	return "https://open.weixin.qq.com/connect/oauth2/authorize?" + q.Encode() + "#wechat_redirect"
}

// Code2Session exchanges the OAuth code for the openid.
func (o OfficialAccount) Code2Session(ctx context.Context, code string) (WeChatSession, error) {
	return session(o.client().OAuthCode(ctx, code))
}

// SignInOfficialAccount signs in the H5 opened in WeChat with an OAuth code:
// the official-account openid, linked by unionid to the mini-program's
// account when WeChat gives one. Demo codes "dev:<name>" work in demo mode.
func (s *Service) SignInOfficialAccount(ctx context.Context, oa WeChatProvider, code, ip string) (Applicant, error) {
	return s.signInWeChat(ctx, oa, "wechat_mp_openid", code, ip)
}
