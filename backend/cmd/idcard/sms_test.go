package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/sms/smstest"
)

// TestServeSendsSignInCodesByTencent: with IDCARD_SMS_PROVIDER=tencent the
// server sends a sign-in code through the gateway (here the local fake)
// instead of logging it, and the code signs in; the phone and the code
// stay out of the log.
func TestServeSendsSignInCodesByTencent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server")
	}
	fake := smstest.New(smstest.Options{SecretID: "AKIDserve", SecretKey: "serve-secret", AppID: "1400000004", Sign: "贵州公安",
		Templates: map[string]int{"11": 2, "12": 2, "13": 2, "14": 1}})
	defer fake.Close()
	env := map[string]string{"IDCARD_DATA_DIR": t.TempDir(), "IDCARD_ADDR": "127.0.0.1:0", "IDCARD_JOBS": "false",
		"IDCARD_SMS_PROVIDER": "tencent", "IDCARD_SMS_SECRET_ID": "AKIDserve", "IDCARD_SMS_SECRET_KEY": "serve-secret",
		"IDCARD_SMS_APP_ID": "1400000004", "IDCARD_SMS_SIGN": "贵州公安", "IDCARD_SMS_ENDPOINT": fake.Endpoint(),
		"IDCARD_SMS_TEMPLATES": "code=11,status=12,pickup=13,identity=14"}
	base, logs, stop := startServe(t, env)
	defer stop()
	const phone = "13900000031"
	post := func(path, body string) int {
		t.Helper()
		resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("/api/v1/auth/sms", `{"phone":"`+phone+`"}`); code != http.StatusNoContent {
		t.Fatalf("send code: %d", code)
	}
	got := fake.Messages()
	if len(got) != 1 || got[0].Phone != "+86"+phone || got[0].TemplateID != "11" || len(got[0].Params) != 2 || got[0].Params[1] != "5" {
		t.Fatalf("gateway got %+v", got)
	}
	b, _ := json.Marshal(map[string]string{"phone": phone, "code": got[0].Params[0]})
	if code := post("/api/v1/auth/phone", string(b)); code != http.StatusOK {
		t.Fatalf("sign in with the sent code: %d", code)
	}
	if l := logs.String(); strings.Contains(l, phone) || strings.Contains(l, "code="+got[0].Params[0]) {
		t.Fatalf("the log holds the phone or the code:\n%s", l)
	}
}
