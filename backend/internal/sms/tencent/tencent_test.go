package tencent_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/sms/tencent"
)

var fakeAccount = smstest.Options{SecretID: "AKIDtest0001", SecretKey: "test-secret-key-0001", AppID: "1400000001",
	Sign: "贵州公安", Templates: map[string]int{"1001": 2, "1002": 1}}

func newFake(t *testing.T, o smstest.Options) *smstest.Server {
	t.Helper()
	f := smstest.New(o)
	t.Cleanup(f.Close)
	return f
}

func gateway(t *testing.T, f *smstest.Server, change func(*tencent.Config)) *tencent.Gateway {
	t.Helper()
	c := tencent.Config{SecretID: fakeAccount.SecretID, SecretKey: fakeAccount.SecretKey, AppID: fakeAccount.AppID,
		Sign: fakeAccount.Sign, Region: "ap-guangzhou", Endpoint: f.Endpoint(), Timeout: 2 * time.Second}
	if change != nil {
		change(&c)
	}
	g, err := tencent.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestTencentSend: a signed SendSms reaches the fake, which recomputes the
// TC3 signature, and records exactly the number, template and parameters.
func TestTencentSend(t *testing.T) {
	t.Parallel()
	f := newFake(t, fakeAccount)
	g := gateway(t, f, nil)
	ctx := context.Background()
	if err := g.Send(ctx, "13900000001", "1001", []string{"GZ260302000001", "已到达，请领取"}); err != nil {
		t.Fatal(err)
	}
	if err := g.Send(ctx, "+8613900000002", "1002", []string{"2026年3月2日"}); err != nil {
		t.Fatal(err)
	}
	got := f.Messages()
	want := []smstest.Message{
		{Phone: "+8613900000001", TemplateID: "1001", Params: []string{"GZ260302000001", "已到达，请领取"}},
		{Phone: "+8613900000002", TemplateID: "1002", Params: []string{"2026年3月2日"}},
	}
	if !slices.EqualFunc(got, want, func(a, b smstest.Message) bool {
		return a.Phone == b.Phone && a.TemplateID == b.TemplateID && slices.Equal(a.Params, b.Params)
	}) {
		t.Fatalf("fake got %+v, want %+v", got, want)
	}
	if r := f.Refusals(); len(r) != 0 {
		t.Fatalf("fake refused %v", r)
	}
}

// TestTencentRefusals: what the fake refuses comes back as an *sms.Error
// naming Tencent's code; only a final refusal is sms.ErrRejected.
func TestTencentRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFake(t, fakeAccount)
	cases := []struct {
		name   string
		change func(*tencent.Config)
		tmpl   string
		params []string
		code   string
		final  bool
	}{
		{"tampered secret", func(c *tencent.Config) { c.SecretKey += "x" }, "1001", []string{"a", "b"}, "AuthFailure.SignatureFailure", false},
		{"unknown secret id", func(c *tencent.Config) { c.SecretID = "AKIDother" }, "1001", []string{"a", "b"}, "AuthFailure.SecretIdNotFound", false},
		{"unknown app", func(c *tencent.Config) { c.AppID = "1400999999" }, "1001", []string{"a", "b"}, "InvalidParameterValue.SdkAppIdNotExist", false},
		{"unapproved sign", func(c *tencent.Config) { c.Sign = "别的签名" }, "1001", []string{"a", "b"}, "FailedOperation.SignatureIncorrectOrUnapproved", false},
		{"unknown template", nil, "9999", []string{"a", "b"}, "FailedOperation.TemplateIncorrectOrUnapproved", false},
		{"wrong parameter count", nil, "1001", []string{"a"}, "FailedOperation.TemplateParamSetNotMatchApprovedTemplate", true},
		{"unsupported region", func(c *tencent.Config) { c.Region = "ap-tokyo" }, "1001", []string{"a", "b"}, "UnsupportedRegion", false},
	}
	for _, tc := range cases {
		g := gateway(t, f, tc.change)
		err := g.Send(ctx, "13900000001", tc.tmpl, tc.params)
		var se *sms.Error
		if !errors.As(err, &se) || se.Code != tc.code {
			t.Errorf("%s: got %v, want Tencent's %s", tc.name, err, tc.code)
			continue
		}
		if errors.Is(err, sms.ErrRejected) != tc.final {
			t.Errorf("%s: final %v, want %v", tc.name, !tc.final, tc.final)
		}
	}
	if n := len(f.Messages()); n != 0 {
		t.Fatalf("the fake accepted %d refused messages", n)
	}
}

// TestTencentPerPhoneStatus: a code answered for one number in
// SendStatusSet is an error naming it; a blacklisted number is final, a
// frequency limit is not.
func TestTencentPerPhoneStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFake(t, fakeAccount)
	g := gateway(t, f, nil)
	f.FailPhone("+8613900000003", "FailedOperation.PhoneNumberInBlacklist")
	f.FailPhone("+8613900000004", "LimitExceeded.PhoneNumberDailyLimit")
	err := g.Send(ctx, "13900000003", "1002", []string{"x"})
	var se *sms.Error
	if !errors.As(err, &se) || se.Code != "FailedOperation.PhoneNumberInBlacklist" || !errors.Is(err, sms.ErrRejected) {
		t.Fatalf("blacklisted: %v, want a final FailedOperation.PhoneNumberInBlacklist", err)
	}
	err = g.Send(ctx, "13900000004", "1002", []string{"x"})
	if !errors.As(err, &se) || se.Code != "LimitExceeded.PhoneNumberDailyLimit" || errors.Is(err, sms.ErrRejected) {
		t.Fatalf("daily limit: %v, want a retryable LimitExceeded.PhoneNumberDailyLimit", err)
	}
	if err := g.Send(ctx, "13900000005", "1002", []string{"x"}); err != nil {
		t.Fatalf("another number: %v", err)
	}
	if got := f.Messages(); len(got) != 1 || got[0].Phone != "+8613900000005" {
		t.Fatalf("fake accepted %+v", got)
	}
	if err := g.Send(ctx, "2345", "1002", []string{"x"}); domain.ErrorCode(err) != domain.CodeValidationFailed {
		t.Fatalf("not a mobile number: %v", err)
	}
}

// TestTencentDown: a gateway answering 500, or no longer listening, is
// UNAVAILABLE, and nothing is recorded.
func TestTencentDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := smstest.New(fakeAccount)
	defer f.Close()
	g := gateway(t, f, nil)
	f.SetDown(true)
	if err := g.Send(ctx, "13900000001", "1002", []string{"x"}); domain.ErrorCode(err) != domain.CodeUnavailable || errors.Is(err, sms.ErrRejected) {
		t.Fatalf("500: %v, want UNAVAILABLE", err)
	}
	f.SetDown(false)
	if err := g.Send(ctx, "13900000001", "1002", []string{"x"}); err != nil {
		t.Fatalf("back up: %v", err)
	}
	f.Close()
	if err := g.Send(ctx, "13900000001", "1002", []string{"x"}); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("closed: %v, want UNAVAILABLE", err)
	}
	if n := len(f.Messages()); n != 1 {
		t.Fatalf("fake recorded %d messages, want 1", n)
	}
}

// TestTencentClockSkew: a request whose timestamp is more than 5 minutes
// from the gateway's clock is refused (AuthFailure.SignatureExpire).
func TestTencentClockSkew(t *testing.T) {
	t.Parallel()
	o := fakeAccount
	o.Clock = func() time.Time { return time.Now().Add(6 * time.Minute) }
	f := newFake(t, o)
	err := gateway(t, f, nil).Send(context.Background(), "13900000001", "1002", []string{"x"})
	var se *sms.Error
	if !errors.As(err, &se) || se.Code != "AuthFailure.SignatureExpire" {
		t.Fatalf("got %v, want AuthFailure.SignatureExpire", err)
	}
}

// TestParseEndpoint: plain HTTP only to a loopback address.
func TestParseEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, host, scheme string
		ok               bool
	}{
		{"", "sms.tencentcloudapi.com", "HTTPS", true},
		{"sms.tencentcloudapi.com", "sms.tencentcloudapi.com", "HTTPS", true},
		{"https://sms.ap-guangzhou.tencentcloudapi.com", "sms.ap-guangzhou.tencentcloudapi.com", "HTTPS", true},
		{"http://127.0.0.1:8081", "127.0.0.1:8081", "HTTP", true},
		{"http://[::1]:8081", "[::1]:8081", "HTTP", true},
		{"http://sms.tencentcloudapi.com", "", "", false},
		{"http://10.0.0.1:80", "", "", false},
		{"ftp://127.0.0.1", "", "", false},
		{"https://sms.tencentcloudapi.com/path", "", "", false},
	} {
		host, scheme, err := tencent.ParseEndpoint(tc.in)
		if (err == nil) != tc.ok || host != tc.host || scheme != tc.scheme {
			t.Errorf("%q: %q %q %v", tc.in, host, scheme, err)
		}
	}
}

// TestParseTemplates: every template the service sends, each once, by a
// numeric id.
func TestParseTemplates(t *testing.T) {
	t.Parallel()
	got, err := sms.ParseTemplates("code=123, status=456,pickup=789,identity=101")
	if err != nil || got[sms.TemplateCode] != "123" || got[sms.TemplateStatus] != "456" || got[sms.TemplatePickup] != "789" || got[sms.TemplateIdentity] != "101" {
		t.Fatalf("%v, %v", got, err)
	}
	for _, bad := range []string{"", "code=123,status=456,pickup=789", "code=123,status=456,pickup=789,identity=101,other=1",
		"code=123,status=456,pickup=789,identity=abc", "code=1,code=2,status=456,pickup=789,identity=101", "code,status=456,pickup=789,identity=101"} {
		if _, err := sms.ParseTemplates(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
