// Package faceid is the H5's real-person provider in any browser: Tencent
// Cloud FaceID's H5 face check (人脸核身 · 慧眼, API 3.0, service faceid,
// version 2018-03-01, signed TC3-HMAC-SHA256 by the SDK's common client).
//
// Start calls DetectAuth with RedirectUrl = our /m/verified route (which
// FaceID opens with token=<BizToken> appended) and records the BizToken in
// Redis with the account and a hash of the claimed ID number. Confirm reads
// "faceid:<BizToken>" back with GetDetectInfoEnhanced. It is its own
// package so that only main links the SDK; signin sees a
// signin.RealPersonProvider.
package faceid

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/tencentcloud"
)

// FaceID API 3.0.
const (
	service         = "faceid"
	version         = "2018-03-01"
	DefaultEndpoint = tencentcloud.FaceIDEndpoint
	DefaultRegion   = tencentcloud.FaceIDRegion
	defaultTimeout  = 5 * time.Second
	jsonContentType = "application/json; charset=utf-8"
	// VerifiedPath is our route FaceID's page returns to (package web).
	VerifiedPath = "/m/verified"
	// recordTTL bounds how long a started check can be confirmed.
	recordTTL = 15 * time.Minute
)

// Reasons a FaceID result did not pass, for the applicant.
const (
	reasonGone          = "核身结果已失效，请重新完成人脸核身"
	reasonFailed        = "人脸核身未通过"
	reasonOtherIdentity = "人脸核身结果与绑定的身份不一致"
	reasonOtherAccount  = "人脸核身结果不属于当前账号"
)

// Config is what the provider needs.
type Config struct {
	SecretID  string
	SecretKey string
	RuleID    string // the FaceID console's RuleId of our H5 flow
	Region    string // default ap-guangzhou
	// Endpoint is a host (default faceid.tencentcloudapi.com, by HTTPS), or
	// an http:// URL of a loopback address for a local fake.
	Endpoint string
	// PublicURL is this site's base URL; FaceID returns to
	// PublicURL + VerifiedPath.
	PublicURL string
	Redis     redis.UniversalClient
	KeyPrefix string           // Redis key namespace; default "idcard:"
	Timeout   time.Duration    // bound on one request; default 5 s
	Clock     func() time.Time // nil = time.Now
}

// Provider is the FaceID real-person provider. It is safe for concurrent use.
type Provider struct {
	client    *common.Client
	ruleID    string
	publicURL string
	rdb       redis.UniversalClient
	prefix    string
	clock     func() time.Time
}

// ParseEndpoint reads the FaceID endpoint setting (empty = DefaultEndpoint).
func ParseEndpoint(endpoint string) (host, scheme string, err error) {
	return tencentcloud.ParseEndpoint(endpoint, DefaultEndpoint)
}

// New returns the provider of c.
func New(c Config) (*Provider, error) {
	if c.SecretID == "" || c.SecretKey == "" || c.RuleID == "" || c.PublicURL == "" || c.Redis == nil {
		return nil, errors.New("faceid: secret id, secret key, rule id, public URL and Redis are all needed")
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.Timeout <= 0 {
		c.Timeout = defaultTimeout
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	host, scheme, err := ParseEndpoint(c.Endpoint)
	if err != nil {
		return nil, err
	}
	return &Provider{client: tencentcloud.NewClient(c.SecretID, c.SecretKey, c.Region, host, scheme, c.Timeout),
		ruleID: c.RuleID, publicURL: strings.TrimRight(c.PublicURL, "/"), rdb: c.Redis, prefix: kv.KeyPrefix(c.KeyPrefix),
		clock: c.Clock}, nil
}

// Name is "faceid".
func (*Provider) Name() string { return "faceid" }

// record is what Redis keeps of a started check, keyed by its BizToken:
// never the ID number in clear.
type record struct {
	Account int64     `json:"a"`
	IDHash  string    `json:"i"`
	At      time.Time `json:"t"`
}

// bizToken is the shape of a BizToken we look up (a UUID as documented;
// a little wider to be safe, never anything a key could be abused with).
var bizToken = regexp.MustCompile(`^[A-Za-z0-9_-]{8,128}$`)

func (p *Provider) key(token string) string { return p.prefix + "faceid:" + token }

// idHash binds the recorded ID number to its BizToken: a hash salted by
// the token, so Redis holds nothing that names a person.
func idHash(token, id string) string {
	h := sha256.Sum256([]byte(token + "\x00" + id))
	return hex.EncodeToString(h[:])
}

// Start calls DetectAuth for the claim and returns FaceID's page. The page
// returns to our VerifiedPath with r = returnURL (a hash route of the H5,
// default "/m/#/bind"), which sends the browser on to returnURL with
// verify_result=faceid:<BizToken>.
func (p *Provider) Start(ctx context.Context, c signin.Claim, returnURL string) (string, error) {
	if returnURL == "" {
		returnURL = "/m/#/bind"
	}
	if !signin.H5ReturnURL(returnURL) {
		return "", domain.Errorf(domain.CodeValidationFailed, "返回地址须为本站“/m/#/”下的页面")
	}
	var out struct {
		Response struct {
			URL      string `json:"Url"`
			BizToken string `json:"BizToken"`
		} `json:"Response"`
	}
	redirect := p.publicURL + VerifiedPath + "?" + url.Values{"r": {returnURL}}.Encode()
	if err := p.call(ctx, "DetectAuth", map[string]any{"RuleId": p.ruleID, "IdCard": c.IDNumber, "Name": c.Name,
		"RedirectUrl": redirect}, &out); err != nil {
		return "", err
	}
	tok, u := out.Response.BizToken, out.Response.URL
	if !bizToken.MatchString(tok) || !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return "", domain.Wrap(domain.CodeUnavailable, errors.New("faceid: DetectAuth answered without a BizToken and Url"))
	}
	b, err := json.Marshal(record{Account: c.Account.ID, IDHash: idHash(tok, c.IDNumber), At: p.clock().UTC()})
	if err != nil {
		return "", err
	}
	if err := p.rdb.Set(ctx, p.key(tok), b, recordTTL).Err(); err != nil {
		return "", err
	}
	return u, nil
}

// detectText is the part of GetDetectInfoEnhanced's Text we read.
type detectText struct {
	ErrCode *int   `json:"ErrCode"` // the final result; 0 = passed, null = not finished
	ErrMsg  string `json:"ErrMsg"`
	IDCard  string `json:"IdCard"`
	Name    string `json:"Name"`
}

// Confirm passes "faceid:<BizToken>" only when we started that check for
// this account and ID number (within the record's 15 minutes) and FaceID's
// text result says ErrCode 0 for exactly the claimed ID number and name.
// A passed check's record is deleted: one BizToken confirms once.
func (p *Provider) Confirm(ctx context.Context, c signin.Claim) (signin.Verdict, error) {
	tok, ok := strings.CutPrefix(c.VerifyResult, signin.FaceIDPrefix)
	if !ok || !bizToken.MatchString(tok) {
		return signin.Verdict{Reason: reasonGone}, nil
	}
	raw, err := p.rdb.Get(ctx, p.key(tok)).Bytes()
	if errors.Is(err, redis.Nil) {
		return signin.Verdict{Reason: reasonGone}, nil
	}
	if err != nil {
		return signin.Verdict{}, err
	}
	var rec record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return signin.Verdict{Reason: reasonGone}, nil
	}
	v := signin.Verdict{At: rec.At, Ref: signin.FaceIDPrefix + tok, Reason: reasonFailed}
	switch {
	case rec.Account != c.Account.ID:
		v.Reason = reasonOtherAccount
		return v, nil
	case rec.IDHash != idHash(tok, c.IDNumber):
		v.Reason = reasonOtherIdentity
		return v, nil
	}
	var out struct {
		Response struct {
			Text *detectText `json:"Text"`
		} `json:"Response"`
	}
	err = p.call(ctx, "GetDetectInfoEnhanced", map[string]any{"BizToken": tok, "RuleId": p.ruleID, "InfoType": "1"}, &out)
	var refused *refusal
	if errors.As(err, &refused) && strings.Contains(refused.code, "BizToken") {
		return signin.Verdict{Reason: reasonGone}, nil // FaceID no longer knows it
	}
	if err != nil {
		return signin.Verdict{}, err
	}
	t := out.Response.Text
	switch {
	case t == nil || t.ErrCode == nil || *t.ErrCode != 0:
		return v, nil
	case !strings.EqualFold(t.IDCard, c.IDNumber) || t.Name != c.Name:
		v.Reason = reasonOtherIdentity
		return v, nil
	}
	if err := p.rdb.Del(ctx, p.key(tok)).Err(); err != nil {
		return signin.Verdict{}, err
	}
	v.Passed, v.Reason = true, ""
	return v, nil
}

// refusal is FaceID's Response.Error for our request.
type refusal struct{ code, message string }

func (r *refusal) Error() string { return fmt.Sprintf("faceid: %s: %s", r.code, r.message) }

// call sends action with params and decodes the answer into out. The SDK's
// client-side failures (no connection, a timeout, an HTTP status other than
// 200, an answer that is not JSON) and FaceID's internal errors are
// UNAVAILABLE; another Response.Error is a *refusal (our request or our
// account), which signin reports as an internal error.
func (p *Provider) call(ctx context.Context, action string, params map[string]any, out any) error {
	req := tchttp.NewCommonRequest(service, version, action)
	req.SetContext(ctx)
	req.SetHeader(map[string]string{"Content-Type": jsonContentType})
	if err := req.SetActionParameters(params); err != nil {
		return err
	}
	resp := tchttp.NewCommonResponse()
	if err := p.client.Send(req, resp); err != nil {
		var se *tcerr.TencentCloudSDKError
		if !errors.As(err, &se) || strings.HasPrefix(se.Code, "ClientError.") || strings.HasPrefix(se.Code, "InternalError") ||
			se.Code == "RequestLimitExceeded" {
			return domain.Wrap(domain.CodeUnavailable, fmt.Errorf("faceid %s: %w", action, err))
		}
		return &refusal{code: se.Code, message: se.Message}
	}
	if err := json.Unmarshal(resp.GetBody(), out); err != nil {
		return domain.Wrap(domain.CodeUnavailable, fmt.Errorf("faceid %s: unreadable answer: %w", action, err))
	}
	return nil
}
