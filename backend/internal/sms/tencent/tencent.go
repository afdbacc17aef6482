// Package tencent is the Tencent Cloud SMS gateway (API 3.0, SendSms,
// TC3-HMAC-SHA256 signing by the SDK's common package). It is its own
// package so that only main links the SDK; notify and signin see the
// sms.Gateway interface.
package tencent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/tencentcloud"
)

// Tencent Cloud SMS API 3.0: the SendSms action of service sms, version
// 2021-01-11, signed with TC3-HMAC-SHA256 by the SDK's common client.
const (
	tencentService  = "sms"
	tencentVersion  = "2021-01-11"
	tencentAction   = "SendSms"
	DefaultEndpoint = "sms.tencentcloudapi.com"
	DefaultRegion   = "ap-guangzhou"
	tencentTimeout  = 5 * time.Second
	jsonContentType = "application/json; charset=utf-8"
)

// Config is what Tencent Cloud SMS needs.
type Config struct {
	SecretID  string
	SecretKey string
	AppID     string // SmsSdkAppId
	Sign      string // SignName: the approved signature, e.g. 贵州公安
	Region    string // default ap-guangzhou
	// Endpoint is a host (default sms.tencentcloudapi.com, by HTTPS), or an
	// http:// URL of a loopback address for a local fake.
	Endpoint string
	Timeout  time.Duration // bound on one request; default 5 s
}

// Tencent sends SMS through Tencent Cloud. It is safe for concurrent use.
type Gateway struct {
	client *common.Client
	appID  string
	sign   string
}

// NewTencent returns the Tencent Cloud gateway of c.
func New(c Config) (*Gateway, error) {
	if c.SecretID == "" || c.SecretKey == "" || c.AppID == "" || c.Sign == "" {
		return nil, errors.New("tencent sms: secret id, secret key, app id and sign are all needed")
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.Timeout <= 0 {
		c.Timeout = tencentTimeout
	}
	host, scheme, err := ParseEndpoint(c.Endpoint)
	if err != nil {
		return nil, err
	}
	// The outbox retries, with its back-off: no SDK retries.
	client := tencentcloud.NewClient(c.SecretID, c.SecretKey, c.Region, host, scheme, c.Timeout)
	return &Gateway{client: client, appID: c.AppID, sign: c.Sign}, nil
}

// ParseEndpoint reads the SMS endpoint setting (tencentcloud.ParseEndpoint;
// empty = DefaultEndpoint).
func ParseEndpoint(endpoint string) (host, scheme string, err error) {
	return tencentcloud.ParseEndpoint(endpoint, DefaultEndpoint)
}

type sendStatus struct {
	SerialNo    string `json:"SerialNo"`
	PhoneNumber string `json:"PhoneNumber"`
	Code        string `json:"Code"`
	Message     string `json:"Message"`
}

type sendSmsResponse struct {
	Response struct {
		SendStatusSet []sendStatus `json:"SendStatusSet"`
		RequestID     string       `json:"RequestId"`
	} `json:"Response"`
}

// Send sends template templateID with params to phone.
func (g *Gateway) Send(ctx context.Context, phone string, templateID string, params []string) error {
	to, err := sms.Mainland(phone)
	if err != nil {
		return err
	}
	if params == nil {
		params = []string{}
	}
	req := tchttp.NewCommonRequest(tencentService, tencentVersion, tencentAction)
	req.SetContext(ctx)
	// API 3.0 documents this Content-Type; the SDK signs whatever is set.
	req.SetHeader(map[string]string{"Content-Type": jsonContentType})
	if err := req.SetActionParameters(map[string]any{
		"SmsSdkAppId":      g.appID,
		"SignName":         g.sign,
		"TemplateId":       templateID,
		"PhoneNumberSet":   []string{to},
		"TemplateParamSet": params,
	}); err != nil {
		return err
	}
	resp := tchttp.NewCommonResponse()
	if err := g.client.Send(req, resp); err != nil {
		return sdkError(err)
	}
	var out sendSmsResponse
	if err := json.Unmarshal(resp.GetBody(), &out); err != nil {
		return domain.Wrap(domain.CodeUnavailable, fmt.Errorf("tencent sms: unreadable answer: %w", err))
	}
	if len(out.Response.SendStatusSet) == 0 {
		return domain.Wrap(domain.CodeUnavailable, errors.New("tencent sms: answer without a send status"))
	}
	st := out.Response.SendStatusSet[0]
	if st.Code != "Ok" {
		return &sms.Error{Code: st.Code, Message: st.Message, Final: finalCode(st.Code)}
	}
	return nil
}

// sdkError sorts an error of the SDK: its own client-side failures (no
// connection, a timeout, an HTTP status other than 200, an answer that is
// not JSON) and Tencent's internal errors are UNAVAILABLE; every other code
// is Tencent's refusal (Response.Error).
func sdkError(err error) error {
	var se *tcerr.TencentCloudSDKError
	if !errors.As(err, &se) {
		return domain.Wrap(domain.CodeUnavailable, fmt.Errorf("tencent sms: %w", err))
	}
	if strings.HasPrefix(se.Code, "ClientError.") || strings.HasPrefix(se.Code, "InternalError") || se.Code == "RequestLimitExceeded" {
		return domain.Wrap(domain.CodeUnavailable, fmt.Errorf("tencent sms: %s", se.Code))
	}
	return &sms.Error{Code: se.Code, Message: se.Message, Final: finalCode(se.Code)}
}

// finalCode reports Tencent's codes that refuse this one message for good:
// the number cannot receive it (blacklisted, i.e. the person unsubscribed;
// not a valid number; an unsupported region) or the content can never pass
// (parameters the template does not take, too long, a sensitive word).
// Sending the same message again cannot succeed, so it is dead-lettered.
//
// Every other code is retryable, notably:
//   - LimitExceeded.* (PhoneNumberThirtySecondLimit, PhoneNumberOneHourLimit,
//     PhoneNumberDailyLimit, PhoneNumberSameContentDailyLimit,
//     DeliveryFrequencyLimit, AppDailyLimit…): Tencent's frequency limits
//     pass with time;
//   - FailedOperation.InsufficientBalanceInSmsPackage, AuthFailure.*,
//     UnauthorizedOperation.*, FailedOperation.SignatureIncorrectOrUnapproved,
//     FailedOperation.TemplateIncorrectOrUnapproved,
//     InvalidParameterValue.SdkAppIdNotExist: our account or configuration,
//     which operations fix for every message at once;
//   - InternalError.*, RequestLimitExceeded: Tencent's side (UNAVAILABLE).
//
// An unknown code is retryable too: a message is never dropped on a guess.
func finalCode(code string) bool {
	switch code {
	case "FailedOperation.PhoneNumberInBlacklist",
		"FailedOperation.PhoneNumberParseFail",
		"FailedOperation.ContainSensitiveWord",
		"FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
		"InvalidParameterValue.IncorrectPhoneNumber",
		"InvalidParameterValue.TemplateParameterFormatError",
		"InvalidParameterValue.TemplateParameterLengthLimit",
		"InvalidParameterValue.ContentLengthLimit",
		"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
		"UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
		"UnsupportedOperation.UnsupportedRegion":
		return true
	}
	return false
}
