// Package wechatpay is a small client of WeChat Pay API v3 for JSAPI and
// mini-program payments: the prepay order, the signed client parameters,
// the notify callback (platform signature, AES-256-GCM resource), refunds
// and the trade bill. Requests are signed "WECHATPAY2-SHA256-RSA2048" with
// the merchant's API key; answers and callbacks are verified with the
// platform's public key. The official SDK is not available here; this
// covers the five calls the service makes.
package wechatpay

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/payment"
)

// DefaultBaseURL is WeChat Pay's API host.
const DefaultBaseURL = "https://api.mch.weixin.qq.com"

// maxSkew is how old (or early) a signed answer or callback may be.
const maxSkew = 5 * time.Minute

// Config is one merchant account.
type Config struct {
	MchID          string          // 商户号
	MchSerial      string          // serial number of the merchant API certificate
	MchKey         *rsa.PrivateKey // its private key (apiclient_key.pem)
	APIv3Key       []byte          // 32 bytes
	PlatformSerial string          // id of the WeChat Pay public key (or platform certificate serial)
	PlatformKey    *rsa.PublicKey
	AppIDs         map[string]string // channel → app id (mini-program, official account)
	NotifyURL      string
	BaseURL        string       // DefaultBaseURL when empty
	HTTP           *http.Client // http.DefaultClient when nil
	Clock          func() time.Time
}

// Client is a WeChat Pay v3 client; it implements payment.Provider.
type Client struct{ c Config }

// New returns a client.
func New(c Config) *Client {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return &Client{c: c}
}

// Name implements payment.Provider.
func (*Client) Name() string { return "wechatpay" }

// Authorization returns the Authorization header of a request: the
// method, the path with its query, a timestamp, a nonce and the body, each
// on its own line, signed with the merchant's key.
func (cl *Client) Authorization(method, pathQuery string, body []byte) (string, error) {
	ts, nonce := strconv.FormatInt(cl.c.Clock().Unix(), 10), Nonce()
	sig, err := SignLines(cl.c.MchKey, method, pathQuery, ts, nonce, string(body))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`WECHATPAY2-SHA256-RSA2048 mchid="%s",nonce_str="%s",signature="%s",timestamp="%s",serial_no="%s"`,
		cl.c.MchID, nonce, sig, ts, cl.c.MchSerial), nil
}

// apiError is WeChat Pay's error body.
type apiError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string {
	return fmt.Sprintf("wechatpay: HTTP %d %s: %s", e.Status, e.Code, e.Message)
}

// do sends a signed request and, for a 2xx answer, checks the platform's
// signature and decodes the JSON into out (when not nil). raw answers
// (the bill file) are returned unverified, as WeChat Pay signs none.
func (cl *Client) do(ctx context.Context, method, target string, in, out any, raw bool) ([]byte, error) {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, err
		}
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	if !u.IsAbs() {
		u, _ = url.Parse(cl.c.BaseURL + target)
	}
	auth, err := cl.Authorization(method, u.RequestURI(), body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := cl.c.HTTP.Do(req)
	if err != nil {
		return nil, domain.Wrap(domain.CodeUnavailable, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, domain.Wrap(domain.CodeUnavailable, err)
	}
	if resp.StatusCode/100 != 2 {
		e := &apiError{Status: resp.StatusCode}
		_ = json.Unmarshal(data, e)
		if resp.StatusCode >= 500 {
			return nil, domain.Wrap(domain.CodeUnavailable, e)
		}
		return nil, e
	}
	if raw {
		return data, nil
	}
	if err := cl.verify(headersOf(resp.Header), data); err != nil {
		return nil, fmt.Errorf("wechatpay: answer to %s %s: %w", method, u.Path, err)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("wechatpay: answer to %s %s: %w", method, u.Path, err)
		}
	}
	return data, nil
}

func headersOf(h http.Header) payment.NotifyHeaders {
	return payment.NotifyHeaders{Timestamp: h.Get("Wechatpay-Timestamp"), Nonce: h.Get("Wechatpay-Nonce"),
		Signature: h.Get("Wechatpay-Signature"), Serial: h.Get("Wechatpay-Serial")}
}

// verify checks the platform's signature over timestamp, nonce and body,
// the key's serial and the timestamp's freshness.
func (cl *Client) verify(h payment.NotifyHeaders, body []byte) error {
	if h.Serial != cl.c.PlatformSerial {
		return fmt.Errorf("%w: signed by %q, not the platform key %q", payment.ErrBadNotify, h.Serial, cl.c.PlatformSerial)
	}
	ts, err := strconv.ParseInt(h.Timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", payment.ErrBadNotify, h.Timestamp)
	}
	if d := cl.c.Clock().Sub(time.Unix(ts, 0)); d > maxSkew || d < -maxSkew {
		return fmt.Errorf("%w: timestamp %d off by %s", payment.ErrBadNotify, ts, d)
	}
	if err := VerifyLines(cl.c.PlatformKey, h.Signature, h.Timestamp, h.Nonce, string(body)); err != nil {
		return fmt.Errorf("%w: signature: %v", payment.ErrBadNotify, err)
	}
	return nil
}
