package signin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
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

// MiniProgram is the real code2session client of a mini-program.
type MiniProgram struct {
	AppID, Secret string
	HTTP          *http.Client
	Endpoint      string // default https://api.weixin.qq.com/sns/jscode2session
}

// Code2Session asks WeChat for the openid behind code.
func (m MiniProgram) Code2Session(ctx context.Context, code string) (WeChatSession, error) {
	return m.exchange(ctx, url.Values{"appid": {m.AppID}, "secret": {m.Secret}, "js_code": {code}, "grant_type": {"authorization_code"}})
}

// exchange calls one of WeChat's code endpoints and reads the openid.
func (m MiniProgram) exchange(ctx context.Context, q url.Values) (WeChatSession, error) {
	ep := m.Endpoint
	if ep == "" {
		ep = "https://api.weixin.qq.com/sns/jscode2session"
	}
	hc := m.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep+"?"+q.Encode(), nil)
	if err != nil {
		return WeChatSession{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return WeChatSession{}, domain.Wrap(domain.CodeUnavailable, err)
	}
	defer resp.Body.Close()
	var body struct {
		OpenID  string `json:"openid"`
		UnionID string `json:"unionid"`
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return WeChatSession{}, domain.Wrap(domain.CodeUnavailable, err)
	}
	if body.ErrCode != 0 || body.OpenID == "" {
		return WeChatSession{}, domain.Errorf(domain.CodeBadCode, "微信登录凭证无效或已过期（%d）", body.ErrCode)
	}
	return WeChatSession{OpenID: body.OpenID, UnionID: body.UnionID}, nil
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
	AppID, Secret string
	HTTP          *http.Client
	Endpoint      string // default https://api.weixin.qq.com/sns/oauth2/access_token
}

// AuthorizeURL is where the H5 sends the browser to get a code.
func (o OfficialAccount) AuthorizeURL(redirect, state string) string {
	q := url.Values{"appid": {o.AppID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"snsapi_base"}, "state": {state}}
	return "https://open.weixin.qq.com/connect/oauth2/authorize?" + q.Encode() + "#wechat_redirect"
}

// Code2Session exchanges the OAuth code for the openid.
func (o OfficialAccount) Code2Session(ctx context.Context, code string) (WeChatSession, error) {
	ep := o.Endpoint
	if ep == "" {
		ep = "https://api.weixin.qq.com/sns/oauth2/access_token"
	}
	return MiniProgram{AppID: o.AppID, Secret: o.Secret, HTTP: o.HTTP, Endpoint: ep}.exchange(ctx, url.Values{
		"appid": {o.AppID}, "secret": {o.Secret}, "code": {code}, "grant_type": {"authorization_code"}})
}

// SignInOfficialAccount signs in the H5 opened in WeChat with an OAuth code:
// the official-account openid, linked by unionid to the mini-program's
// account when WeChat gives one. Demo codes "dev:<name>" work in demo mode.
func (s *Service) SignInOfficialAccount(ctx context.Context, oa WeChatProvider, code, ip string) (Applicant, error) {
	return s.signInWeChat(ctx, oa, "wechat_mp_openid", code, ip)
}
