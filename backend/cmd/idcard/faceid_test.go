package main

import (
	"context"
	"github.com/gzga/idcard/backend/internal/payment/wechatpaytest"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/faceid/faceidtest"
	"github.com/gzga/idcard/backend/internal/sms/smstest"
)

// TestServeBindsByFaceID: in production mode with
// IDCARD_REALNAME_PROVIDER=faceid (no WeChat at all), the H5's
// verification starts a FaceID check (here the local fake) that returns to
// IDCARD_PUBLIC_URL's /m/verified, and its result binds the account.
func TestServeBindsByFaceID(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server")
	}
	smsFake := smstest.New(smstest.Options{SecretID: "AKIDsms", SecretKey: "sms-secret", AppID: "1400000006", Sign: "贵州公安",
		Templates: map[string]int{"31": 2, "32": 2, "33": 2, "34": 1}})
	defer smsFake.Close()
	face := faceidtest.New(faceidtest.Options{SecretID: "AKIDface", SecretKey: "face-secret", RuleID: "9"})
	defer face.Close()
	dir := t.TempDir()
	if err := run(context.Background(), []string{"seed"}, envOf(map[string]string{"IDCARD_DATA_DIR": dir}), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// FaceID returns to IDCARD_PUBLIC_URL: here the server's own address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{"IDCARD_DATA_DIR": dir, "IDCARD_ADDR": addr, "IDCARD_DEMO": "false", "IDCARD_JOBS": "false",
		"IDCARD_PUBLIC_URL":   "http://" + addr,
		"IDCARD_SMS_PROVIDER": "tencent", "IDCARD_SMS_SECRET_ID": "AKIDsms", "IDCARD_SMS_SECRET_KEY": "sms-secret",
		"IDCARD_SMS_APP_ID": "1400000006", "IDCARD_SMS_SIGN": "贵州公安", "IDCARD_SMS_ENDPOINT": smsFake.Endpoint(),
		"IDCARD_SMS_TEMPLATES": "code=31,status=32,pickup=33,identity=34",
		"IDCARD_WECHAT_APPID":  "wxface", "IDCARD_WECHAT_SECRET": "wx-secret",
		"IDCARD_REALNAME_PROVIDER": "faceid", "IDCARD_FACEID_SECRET_ID": "AKIDface", "IDCARD_FACEID_SECRET_KEY": "face-secret",
		"IDCARD_FACEID_RULE_ID": "9", "IDCARD_FACEID_ENDPOINT": face.Endpoint()}
	for k, v := range wechatpaytest.New(t).Env() {
		env[k] = v
	}
	base, _, stop := startServe(t, env)
	defer stop()

	call := func(path, token string, body any, want int) map[string]any {
		t.Helper()
		return callAPI(t, base, http.MethodPost, path, token, body, want)
	}
	const phone, name, idNumber = "13900000051", "张三", "52010219900101123X"
	call("/api/v1/auth/sms", "", map[string]string{"phone": phone}, http.StatusNoContent)
	sent := smsFake.Messages()
	if len(sent) != 1 {
		t.Fatalf("the gateway got %+v", sent)
	}
	tok, _ := call("/api/v1/auth/phone", "", map[string]string{"phone": phone, "code": sent[0].Params[0]}, http.StatusOK)["token"].(string)
	v := call("/api/v1/me/verification", tok, map[string]string{"name": name, "id_number": idNumber, "return_url": "/m/#/bind"}, http.StatusOK)
	verifyURL, _ := v["verify_url"].(string)
	if v["provider"] != "faceid" || !strings.HasPrefix(verifyURL, face.Endpoint()+"/") {
		t.Fatalf("verification: %v", v)
	}
	token := strings.TrimPrefix(verifyURL[strings.Index(verifyURL, "token="):], "token=")
	c, ok := face.Checks()[token]
	if !ok || c.RedirectURL != base+"/m/verified?r="+url.QueryEscape("/m/#/bind") || c.IDCard != idNumber || c.Name != name {
		t.Fatalf("DetectAuth got %+v", c)
	}
	// The face page returns through our /m/verified to the hash route.
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(c.RedirectURL + "&token=" + url.QueryEscape(token))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/m/#/bind?verify_result="+url.QueryEscape("faceid:"+token) {
		t.Fatalf("/m/verified: %d %q", resp.StatusCode, loc)
	}
	face.Pass(token, idNumber, name)
	me := call("/api/v1/me/identity", tok, map[string]string{"name": name, "id_number": idNumber, "verify_result": "faceid:" + token}, http.StatusOK)
	if me["bound"] != true {
		t.Fatalf("not bound: %v", me)
	}
}
