// Package wechat is the service's own client of the WeChat server API: the
// access token shared by every instance through Redis, the mini-program's
// code2session, the official account's OAuth code exchange, the face
// verification result (人脸核身) and the subscribe and template messages.
//
// It is deliberately not silenceper/wechat: that library keeps its HTTP
// client and URL rewriting in package variables, needs go-redis v8, has no
// face-verification API and does not retry a call whose token expired.
// Each Client here is one app with its own base URL, HTTP client and Redis.
package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
)

// DefaultBaseURL is WeChat's API server.
const DefaultBaseURL = "https://api.weixin.qq.com"

// Options configure a Client.
type Options struct {
	AppID, Secret string
	// BaseURL is the API server; "" = DefaultBaseURL.
	BaseURL string
	// HTTP is the client of every call; nil = one with a 5 s timeout.
	HTTP *http.Client
	// Redis holds the access token shared by every instance; required by
	// the calls that need a token.
	Redis redis.UniversalClient
	// KeyPrefix starts every Redis key (the service passes kv.KeyPrefix).
	KeyPrefix string
	// TokenMargin is how long before WeChat's expires_in the cached token
	// is dropped; 0 = 5 minutes.
	TokenMargin time.Duration
	// LockWait bounds how long a caller waits for another instance that
	// is fetching the token; 0 = the HTTP timeout plus 2 s.
	LockWait time.Duration
	// MiniProgramState is the subscribe message's miniprogram_state
	// (formal, trial, developer); "" = formal.
	MiniProgramState string
}

// Client is the WeChat API of one app (mini-program or official account).
// It is safe for concurrent use.
type Client struct {
	appID, secret string
	base          string
	hc            *http.Client
	rdb           redis.UniversalClient
	tokenKey      string
	lockKey       string
	margin        time.Duration
	lockWait      time.Duration
	state         string
	deleteIf      *redis.Script
}

// New returns a Client.
func New(o Options) *Client {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 5 * time.Second}
	}
	if o.TokenMargin <= 0 {
		o.TokenMargin = 5 * time.Minute
	}
	if o.LockWait <= 0 {
		o.LockWait = o.HTTP.Timeout + 2*time.Second
		if o.HTTP.Timeout == 0 {
			o.LockWait = 10 * time.Second
		}
	}
	if o.MiniProgramState == "" {
		o.MiniProgramState = "formal"
	}
	return &Client{appID: o.AppID, secret: o.Secret, base: strings.TrimRight(o.BaseURL, "/"), hc: o.HTTP, rdb: o.Redis,
		tokenKey: o.KeyPrefix + "wechat:token:" + o.AppID, lockKey: o.KeyPrefix + "wechat:token-lock:" + o.AppID,
		margin: o.TokenMargin, lockWait: o.LockWait, state: o.MiniProgramState, deleteIf: redis.NewScript(deleteIfScript)}
}

// AppID is the app this client speaks for.
func (c *Client) AppID() string { return c.appID }

// Error is an answer of WeChat with errcode ≠ 0.
type Error struct {
	Path string // the API path called
	Code int    // errcode
	Msg  string // errmsg
}

func (e *Error) Error() string {
	return fmt.Sprintf("wechat %s: errcode %d: %s", e.Path, e.Code, e.Msg)
}

// Is makes errors.Is(err, ErrNoConsent) true for errcode 43101.
func (e *Error) Is(target error) bool { return target == ErrNoConsent && e.Code == codeNoConsent }

// ErrNoConsent is a subscribe message the user has not consented to (or
// has refused): errcode 43101. It is final; sending again will not help.
var ErrNoConsent = errors.New("wechat: the user has not subscribed to this message (errcode 43101)")

const codeNoConsent = 43101

// ErrCode is the errcode of a WeChat answer in err's chain, or 0.
func ErrCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// tokenRejected reports whether errcode says the access token is invalid
// (40001, 40014) or expired (42001): drop it and try once more.
func tokenRejected(err error) bool {
	switch ErrCode(err) {
	case 40001, 40014, 42001:
		return true
	}
	return false
}

// maxBody bounds what is read of an answer.
const maxBody = 1 << 20

// call sends one request and decodes the JSON answer into out (which may be
// nil). Network failures, timeouts, 5xx and undecodable answers are
// UNAVAILABLE; errcode ≠ 0 is an *Error.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("wechat %s: %w", path, err)
		}
		body = bytes.NewReader(b)
	}
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return fmt.Errorf("wechat %s: %w", path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return unavailable(path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return unavailable(path, err)
	}
	if resp.StatusCode != http.StatusOK { // WeChat answers 200 even for its errors
		return unavailable(path, fmt.Errorf("HTTP %d", resp.StatusCode))
	}
	var e struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return unavailable(path, fmt.Errorf("answer: %w", err))
	}
	if e.ErrCode != 0 {
		return &Error{Path: path, Code: e.ErrCode, Msg: e.ErrMsg}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return unavailable(path, fmt.Errorf("answer: %w", err))
		}
	}
	return nil
}

func unavailable(path string, err error) error {
	return domain.Wrap(domain.CodeUnavailable, fmt.Errorf("wechat %s: %w", path, err))
}

// withToken runs fn with the shared access token; when WeChat rejects the
// token, it drops that token, gets a new one and runs fn once more.
func (c *Client) withToken(ctx context.Context, fn func(token string) error) error {
	tok, err := c.AccessToken(ctx)
	if err != nil {
		return err
	}
	err = fn(tok)
	if !tokenRejected(err) {
		return err
	}
	if err := c.DropToken(ctx, tok); err != nil {
		return err
	}
	if tok, err = c.AccessToken(ctx); err != nil {
		return err
	}
	return fn(tok)
}
