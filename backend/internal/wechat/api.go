package wechat

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// Session is who a sign-in code belongs to.
type Session struct {
	OpenID  string
	UnionID string // "" unless the app is in an open-platform account
}

// Code2Session exchanges a mini-program wx.login code (GET
// /sns/jscode2session). An invalid or used code is an *Error (40029,
// 40163).
func (c *Client) Code2Session(ctx context.Context, code string) (Session, error) {
	q := url.Values{"appid": {c.appID}, "secret": {c.secret}, "js_code": {code}, "grant_type": {"authorization_code"}}
	return c.session(ctx, "/sns/jscode2session", q)
}

// OAuthCode exchanges an official account's web-authorization code (GET
// /sns/oauth2/access_token) for the user's openid.
func (c *Client) OAuthCode(ctx context.Context, code string) (Session, error) {
	q := url.Values{"appid": {c.appID}, "secret": {c.secret}, "code": {code}, "grant_type": {"authorization_code"}}
	return c.session(ctx, "/sns/oauth2/access_token", q)
}

func (c *Client) session(ctx context.Context, path string, q url.Values) (Session, error) {
	var s struct {
		OpenID  string `json:"openid"`
		UnionID string `json:"unionid"`
	}
	if err := c.call(ctx, http.MethodGet, path, q, nil, &s); err != nil {
		return Session{}, err
	}
	return Session{OpenID: s.OpenID, UnionID: s.UnionID}, nil
}

// FaceResult is WeChat's record of one face verification (人脸核身).
type FaceResult struct {
	IdentifyRet     int       // 0 = passed
	IdentifyTime    time.Time // when the face was checked
	ValidateData    string
	OpenID          string // the WeChat user who was checked
	UserIDKey       string
	FinishTime      time.Time
	IDCardNumberMD5 string // lower-case hex MD5 of the ID number checked
	NameUTF8MD5     string // lower-case hex MD5 of the UTF-8 name checked
}

// FaceInfo asks what a verify_result of wx.startFacialRecognitionVerify
// says (POST /cityservice/face/identify/getinfo). An unknown or expired
// verify_result is an *Error (84001–84003).
func (c *Client) FaceInfo(ctx context.Context, verifyResult string) (FaceResult, error) {
	var r struct {
		IdentifyRet     int    `json:"identify_ret"`
		IdentifyTime    int64  `json:"identify_time"`
		ValidateData    string `json:"validate_data"`
		OpenID          string `json:"openid"`
		UserIDKey       string `json:"user_id_key"`
		FinishTime      int64  `json:"finish_time"`
		IDCardNumberMD5 string `json:"id_card_number_md5"`
		NameUTF8MD5     string `json:"name_utf8_md5"`
	}
	err := c.withToken(ctx, func(tok string) error {
		return c.call(ctx, http.MethodPost, "/cityservice/face/identify/getinfo", url.Values{"access_token": {tok}},
			map[string]string{"verify_result": verifyResult}, &r)
	})
	if err != nil {
		return FaceResult{}, err
	}
	return FaceResult{IdentifyRet: r.IdentifyRet, IdentifyTime: unix(r.IdentifyTime), ValidateData: r.ValidateData,
		OpenID: r.OpenID, UserIDKey: r.UserIDKey, FinishTime: unix(r.FinishTime),
		IDCardNumberMD5: r.IDCardNumberMD5, NameUTF8MD5: r.NameUTF8MD5}, nil
}

func unix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// SubscribeMessage is a mini-program subscribe message (订阅消息).
type SubscribeMessage struct {
	ToUser     string            // the mini-program openid
	TemplateID string            // the template the user subscribed to
	Page       string            // the mini-program page it opens
	Data       map[string]string // template key → value
}

// value is one entry of a message's data.
type value struct {
	Value string `json:"value"`
}

func values(d map[string]string) map[string]value {
	out := make(map[string]value, len(d))
	for k, v := range d {
		out[k] = value{v}
	}
	return out
}

// SendSubscribe sends a subscribe message (POST
// /cgi-bin/message/subscribe/send). A user without consent (errcode
// 43101) gives an error that errors.Is ErrNoConsent.
func (c *Client) SendSubscribe(ctx context.Context, m SubscribeMessage) error {
	body := map[string]any{"touser": m.ToUser, "template_id": m.TemplateID, "page": m.Page, "data": values(m.Data),
		"miniprogram_state": c.state, "lang": "zh_CN"}
	return c.withToken(ctx, func(tok string) error {
		return c.call(ctx, http.MethodPost, "/cgi-bin/message/subscribe/send", url.Values{"access_token": {tok}}, body, nil)
	})
}

// TemplateMessage is an official-account template message (模板消息).
type TemplateMessage struct {
	ToUser     string // the official-account openid
	TemplateID string
	URL        string // the page it opens
	Data       map[string]string
}

// SendTemplate sends a template message (POST
// /cgi-bin/message/template/send).
func (c *Client) SendTemplate(ctx context.Context, m TemplateMessage) error {
	body := map[string]any{"touser": m.ToUser, "template_id": m.TemplateID, "url": m.URL, "data": values(m.Data)}
	return c.withToken(ctx, func(tok string) error {
		return c.call(ctx, http.MethodPost, "/cgi-bin/message/template/send", url.Values{"access_token": {tok}}, body, nil)
	})
}
