package smstest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/tc3test"
)

// TestFakeChecksTheProtocol: a request signed by hand as the guide says is
// accepted; each departure from the documented protocol is refused with
// Tencent's code, and nothing refused is recorded.
func TestFakeChecksTheProtocol(t *testing.T) {
	t.Parallel()
	f := smstest.New(smstest.Options{SecretID: "AKIDraw", SecretKey: "raw-secret", AppID: "1400000005", Sign: "贵州公安",
		Templates: map[string]int{"5001": 1}})
	defer f.Close()
	host := strings.TrimPrefix(f.Endpoint(), "http://")
	const body = `{"SmsSdkAppId":"1400000005","SignName":"贵州公安","TemplateId":"5001","PhoneNumberSet":["+8613900000041"],"TemplateParamSet":["x"]}`
	type req struct {
		method, contentType, action, version, region string
		at                                           time.Time
		secret, body, signedBody                     string
	}
	good := req{"POST", "application/json; charset=utf-8", "SendSms", "2021-01-11", "ap-guangzhou", time.Now(), "raw-secret", body, body}
	send := func(r req) (string, int) {
		t.Helper()
		ts := strconv.FormatInt(r.at.Unix(), 10)
		date := r.at.UTC().Format("2006-01-02")
		sig := tc3test.Sign(r.secret, "sms", r.method, "content-type:"+r.contentType+"\nhost:"+host+"\n", "content-type;host",
			[]byte(r.signedBody), ts, date)
		hr, err := http.NewRequest(r.method, f.Endpoint()+"/", strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		hr.Header.Set("Content-Type", r.contentType)
		hr.Header.Set("X-TC-Action", r.action)
		hr.Header.Set("X-TC-Version", r.version)
		hr.Header.Set("X-TC-Region", r.region)
		hr.Header.Set("X-TC-Timestamp", ts)
		hr.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential=AKIDraw/"+date+"/sms/tc3_request, SignedHeaders=content-type;host, Signature="+sig)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Response struct {
				Error         struct{ Code string }
				SendStatusSet []struct{ Code string }
			}
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		if out.Response.Error.Code != "" {
			return out.Response.Error.Code, resp.StatusCode
		}
		return out.Response.SendStatusSet[0].Code, resp.StatusCode
	}
	if code, st := send(good); code != "Ok" || st != http.StatusOK {
		t.Fatalf("the documented request: %s (%d)", code, st)
	}
	change := func(f func(*req)) req { r := good; f(&r); return r }
	for _, tc := range []struct {
		name string
		r    req
		want string
	}{
		{"GET", change(func(r *req) { r.method = "GET" }), "InvalidParameter"},
		{"JSON without charset", change(func(r *req) { r.contentType = "application/json" }), "InvalidParameter"},
		{"other action", change(func(r *req) { r.action = "PullSmsSendStatus" }), "InvalidAction"},
		{"other version", change(func(r *req) { r.version = "2019-07-11" }), "NoSuchVersion"},
		{"no region", change(func(r *req) { r.region = "" }), "MissingParameter"},
		{"stale timestamp", change(func(r *req) { r.at = time.Now().Add(-6 * time.Minute) }), "AuthFailure.SignatureExpire"},
		{"other secret", change(func(r *req) { r.secret = "other" }), "AuthFailure.SignatureFailure"},
		{"body changed after signing", change(func(r *req) { r.body = strings.Replace(body, `["x"]`, `["y"]`, 1) }), "AuthFailure.SignatureFailure"},
		{"phone without +86", change(func(r *req) {
			r.body = strings.Replace(body, "+8613900000041", "13900000041", 1)
			r.signedBody = r.body
		}), "InvalidParameterValue.IncorrectPhoneNumber"},
	} {
		if code, _ := send(tc.r); code != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, code, tc.want)
		}
	}
	if n := len(f.Messages()); n != 1 {
		t.Fatalf("fake recorded %d messages, want the one good one", n)
	}
}
