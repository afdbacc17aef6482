package main

import (
	"context"
	"github.com/gzga/idcard/backend/internal/payment/wechatpaytest"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/wechat/wechattest"
)

// TestProductionLogKeepsNoCodeOrPhone runs the server in production mode
// (demo off) with every channel real — SMS through the Tencent client, WeChat
// sign-in, 人脸核身 and subscribe messages through the WeChat client, both at
// their local fakes — and goes through a full sign-in and case: an SMS code
// sign-in by phone, a WeChat sign-in, the face-checked binding, an EMS
// application with the recipient's phone, and the station's rejection that
// the outbox delivers by subscribe message. The log, at debug level, must
// hold no SMS code, no full phone number and no ID number.
func TestProductionLogKeepsNoCodeOrPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server")
	}
	smsFake := smstest.New(smstest.Options{SecretID: "AKIDprod", SecretKey: "prod-secret", AppID: "1400000005", Sign: "贵州公安",
		Templates: map[string]int{"21": 2, "22": 2, "23": 2, "24": 1}})
	defer smsFake.Close()
	wxFake := wechattest.New(t, map[string]string{"wxprod": "wx-secret"})
	dir := t.TempDir()
	// The registry and the staff accounts come from the demo seed; the
	// server then runs with demo mode off on that database.
	if err := run(context.Background(), []string{"seed"}, envOf(map[string]string{"IDCARD_DATA_DIR": dir}), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"IDCARD_DATA_DIR": dir, "IDCARD_ADDR": "127.0.0.1:0", "IDCARD_DEMO": "false",
		"IDCARD_LOG_FORMAT": "json", "IDCARD_LOG_LEVEL": "debug",
		"IDCARD_SMS_PROVIDER": "tencent", "IDCARD_SMS_SECRET_ID": "AKIDprod", "IDCARD_SMS_SECRET_KEY": "prod-secret",
		"IDCARD_SMS_APP_ID": "1400000005", "IDCARD_SMS_SIGN": "贵州公安", "IDCARD_SMS_ENDPOINT": smsFake.Endpoint(),
		"IDCARD_SMS_TEMPLATES": "code=21,status=22,pickup=23,identity=24",
		"IDCARD_WECHAT_APPID":  "wxprod", "IDCARD_WECHAT_SECRET": "wx-secret", "IDCARD_WECHAT_API": wxFake.URL(),
		"IDCARD_WECHAT_SUBSCRIBE_TEMPLATE": "tpl-progress", "IDCARD_REALNAME_PROVIDER": "wechat"}
	for k, v := range wechatpaytest.New(t).Env() {
		env[k] = v
	}
	// WeChat Pay calls back at IDCARD_PUBLIC_URL: here the server's own address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env["IDCARD_ADDR"] = ln.Addr().String()
	env["IDCARD_PUBLIC_URL"] = "http://" + ln.Addr().String()
	ln.Close()
	base, logs, stop := startServe(t, env)
	defer stop()

	call := func(method, path, token string, body any, want int) map[string]any {
		t.Helper()
		return callAPI(t, base, method, path, token, body, want)
	}

	// An SMS sign-in: the code goes out through the gateway only.
	const phone = "13900000041"
	call("POST", "/api/v1/auth/sms", "", map[string]string{"phone": phone}, http.StatusNoContent)
	sent := smsFake.Messages()
	if len(sent) != 1 || sent[0].TemplateID != "21" {
		t.Fatalf("the gateway got %+v", sent)
	}
	code := sent[0].Params[0]
	call("POST", "/api/v1/auth/phone", "", map[string]string{"phone": phone, "code": code}, http.StatusOK)

	// A WeChat user binds 张三 after a face check, and applies by EMS.
	const openid, name, idNumber, mailPhone = "o-prod-1", "张三", "52010219900101123X", "13712345679"
	wxFake.AddCode("wxprod", "wx-code-1", wechattest.User{OpenID: openid})
	tok, _ := call("POST", "/api/v1/auth/wechat", "", map[string]string{"code": "wx-code-1"}, http.StatusOK)["token"].(string)
	v := call("POST", "/api/v1/me/verification", tok, map[string]string{"name": name, "id_number": idNumber}, http.StatusOK)
	if v["provider"] != "wechat" {
		t.Fatalf("verification: %v", v)
	}
	call("POST", "/api/v1/me/identity", tok, map[string]string{"name": name, "id_number": idNumber, "verify_result": "no-such"},
		http.StatusUnprocessableEntity)
	wxFake.AddFace("vr-prod-1", wechattest.Face{OpenID: openid, IDNumber: idNumber, Name: name, Passed: true, At: time.Now()})
	call("POST", "/api/v1/me/identity", tok, map[string]string{"name": name, "id_number": idNumber, "verify_result": "vr-prod-1"}, http.StatusOK)
	call("POST", "/api/v1/me/identity", tok, map[string]string{"name": name, "id_number": idNumber, "verify_result": "vr-prod-1"}, http.StatusOK) // already bound: nothing spent
	offices := call("GET", "/api/v1/offices?kind=station&division=520102", tok, nil, http.StatusOK)["items"].([]any)
	station := offices[0].(map[string]any)["id"]
	c := call("POST", "/api/v1/cases", tok, map[string]any{"kind": "damage_renewal", "station_id": station, "collection": "mail",
		"mail": map[string]any{"recipient": name, "phone": mailPhone, "division_code": "520102", "address": "北京路126号4栋1单元602"}}, http.StatusCreated)
	no, _ := c["no"].(string)

	staff, _ := call("POST", "/api/v1/staff/auth/login", "", map[string]string{"username": "station-520102", "password": "demo1234"}, http.StatusOK)["token"].(string)
	call("POST", "/api/v1/staff/cases/"+no+"/precheck", staff, map[string]any{"decision": "reject", "reason": "相片与本人不符"}, http.StatusOK)
	deadline := time.Now().Add(20 * time.Second)
	for len(wxFake.Subscribes()) < 2 && time.Now().Before(deadline) { // submit and rejection
		time.Sleep(100 * time.Millisecond)
	}
	if subs := wxFake.Subscribes(); len(subs) < 2 || subs[len(subs)-1].ToUser != openid || subs[len(subs)-1].TemplateID != "tpl-progress" {
		t.Fatalf("subscribe messages: %+v", subs)
	}

	l := logs.String()
	if !strings.Contains(l, `"level"`) {
		t.Fatalf("no JSON log was written:\n%s", l)
	}
	for _, secret := range []string{phone, code, mailPhone, idNumber, "vr-prod-1"} {
		if strings.Contains(l, secret) {
			t.Errorf("the production log holds %q", secret)
		}
	}
}
