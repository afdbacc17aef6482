package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/config"
)

// TestDependencyTimeouts: the database and Redis deadlines default to a few
// seconds, take a duration, and refuse one that is not positive or too long
// to keep openapi.yaml's 503 within 5 s meaningful.
func TestDependencyTimeouts(t *testing.T) {
	load := func(env map[string]string) (config.Config, error) {
		return config.Load(func(k string) string { return env[k] }, nil, nil)
	}
	c, err := load(nil)
	if err != nil || c.DBTimeout != 3*time.Second || c.RedisTimeout != 2*time.Second {
		t.Fatalf("defaults: db %s, redis %s, %v; want 3s and 2s", c.DBTimeout, c.RedisTimeout, err)
	}
	c, err = load(map[string]string{"IDCARD_DB_TIMEOUT": "1500ms", "IDCARD_REDIS_TIMEOUT": "1s"})
	if err != nil || c.DBTimeout != 1500*time.Millisecond || c.RedisTimeout != time.Second {
		t.Fatalf("set: db %s, redis %s, %v", c.DBTimeout, c.RedisTimeout, err)
	}
	for _, tc := range []struct{ name, val string }{
		{"IDCARD_DB_TIMEOUT", "0s"}, {"IDCARD_DB_TIMEOUT", "soon"}, {"IDCARD_REDIS_TIMEOUT", "-1s"}, {"IDCARD_REDIS_TIMEOUT", "1m"},
	} {
		_, err := load(map[string]string{tc.name: tc.val})
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Name != tc.name {
			t.Errorf("%s=%s: got %v, want an error naming %s", tc.name, tc.val, err, tc.name)
		}
	}
}

// TestSMSGateway: the Tencent gateway needs every one of its settings and
// refuses a missing one by name; logged SMS are for demo mode only.
func TestSMSGateway(t *testing.T) {
	full := map[string]string{
		"IDCARD_SMS_PROVIDER": "tencent", "IDCARD_SMS_SECRET_ID": "AKIDx", "IDCARD_SMS_SECRET_KEY": "k",
		"IDCARD_SMS_APP_ID": "1400000001", "IDCARD_SMS_SIGN": "贵州公安",
		"IDCARD_SMS_TEMPLATES": "code=1,status=2,pickup=3,identity=4",
	}
	load := func(env map[string]string, drop string, set ...string) (config.Config, error) {
		e := map[string]string{}
		for k, v := range env {
			if k != drop {
				e[k] = v
			}
		}
		for i := 0; i+1 < len(set); i += 2 {
			e[set[i]] = set[i+1]
		}
		return config.Load(func(k string) string { return e[k] }, nil, nil)
	}
	c, err := load(full, "")
	if err != nil || c.SMSProvider != "tencent" || c.SMSRegion != "ap-guangzhou" || c.SMSEndpoint != "sms.tencentcloudapi.com" {
		t.Fatalf("full: %+v, %v", c, err)
	}
	wantErr := func(err error, name string) {
		t.Helper()
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Name != name {
			t.Errorf("got %v, want an error naming %s", err, name)
		}
	}
	for _, name := range []string{"IDCARD_SMS_SECRET_ID", "IDCARD_SMS_SECRET_KEY", "IDCARD_SMS_APP_ID", "IDCARD_SMS_SIGN", "IDCARD_SMS_TEMPLATES"} {
		_, err := load(full, name)
		wantErr(err, name)
	}
	_, err = load(full, "", "IDCARD_SMS_TEMPLATES", "code=1,status=2")
	wantErr(err, "IDCARD_SMS_TEMPLATES")
	_, err = load(full, "", "IDCARD_SMS_ENDPOINT", "http://sms.tencentcloudapi.com")
	wantErr(err, "IDCARD_SMS_ENDPOINT")
	_, err = load(full, "", "IDCARD_SMS_PROVIDER", "aliyun")
	wantErr(err, "IDCARD_SMS_PROVIDER")
	if c, err := load(nil, ""); err != nil || c.SMSProvider != "log" {
		t.Errorf("embedded demo: provider %q, %v; want log", c.SMSProvider, err)
	}
	prod := map[string]string{"IDCARD_MYSQL_DSN": "u:p@tcp(127.0.0.1:3306)/idcard", "IDCARD_PII_KEYS": "k1:x",
		"IDCARD_INDEX_KEY": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=", "IDCARD_TOKEN_KEY": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="}
	if c, err := load(prod, ""); err != nil || c.SMSProvider != "" {
		t.Errorf("production without a gateway: provider %q, %v; want none", c.SMSProvider, err)
	}
	_, err = load(prod, "", "IDCARD_SMS_PROVIDER", "log")
	wantErr(err, "IDCARD_SMS_PROVIDER")
}

// TestWeChatSettings: the WeChat API defaults to WeChat's server, takes
// another absolute URL (a fake, a proxy) and refuses anything else; the
// template ids are read as given.
func TestWeChatSettings(t *testing.T) {
	load := func(env map[string]string) (config.Config, error) {
		return config.Load(func(k string) string { return env[k] }, nil, nil)
	}
	c, err := load(nil)
	if err != nil || c.WeChatAPI != "https://api.weixin.qq.com" || c.WeChatSubscribeTemplate != "" || c.WeChatMPTemplate != "" {
		t.Fatalf("defaults: %q %q %q, %v", c.WeChatAPI, c.WeChatSubscribeTemplate, c.WeChatMPTemplate, err)
	}
	c, err = load(map[string]string{"IDCARD_WECHAT_API": "http://127.0.0.1:9000", "IDCARD_WECHAT_SUBSCRIBE_TEMPLATE": "tpl-a", "IDCARD_WECHAT_MP_TEMPLATE": "tpl-b"})
	if err != nil || c.WeChatAPI != "http://127.0.0.1:9000" || c.WeChatSubscribeTemplate != "tpl-a" || c.WeChatMPTemplate != "tpl-b" {
		t.Fatalf("set: %+v, %v", c, err)
	}
	for _, v := range []string{"api.weixin.qq.com", "ftp://x", "::"} {
		_, err := load(map[string]string{"IDCARD_WECHAT_API": v})
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Name != "IDCARD_WECHAT_API" {
			t.Errorf("IDCARD_WECHAT_API=%s: %v", v, err)
		}
	}
}

// TestCheckChannels: outside demo mode each missing channel is named, the
// first one as the error's variable; demo mode needs none.
func TestCheckChannels(t *testing.T) {
	c := config.Config{}
	err := c.CheckChannels()
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Name != "IDCARD_SMS_PROVIDER" {
		t.Fatalf("nothing configured: %v", err)
	}
	for _, v := range []string{"IDCARD_SMS_PROVIDER", "IDCARD_WECHAT_APPID", "IDCARD_WECHAT_SECRET", "IDCARD_REALNAME_PROVIDER", "IDCARD_PAY_PROVIDER", "IDCARD_DEMO=true"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("the refusal %q does not name %s", err, v)
		}
	}
	c = config.Config{SMSProvider: "tencent", WeChatAppID: "wx1", WeChatSecret: "s", RealNameProvider: "wechat", PayProvider: "wechatpay"}
	if err := c.CheckChannels(); err != nil {
		t.Fatalf("every channel configured: %v", err)
	}
	if err := (config.Config{Demo: true}).CheckChannels(); err != nil {
		t.Fatalf("demo mode: %v", err)
	}
}

// TestFaceIDProvider: IDCARD_REALNAME_PROVIDER is a comma list; faceid
// needs each of its settings (and the public URL FaceID returns to),
// refused by name; its endpoint is plain HTTP only to loopback; either
// real provider satisfies CheckChannels.
func TestFaceIDProvider(t *testing.T) {
	full := map[string]string{
		"IDCARD_REALNAME_PROVIDER": "wechat, faceid", "IDCARD_WECHAT_APPID": "wx1", "IDCARD_WECHAT_SECRET": "s",
		"IDCARD_FACEID_SECRET_ID": "AKIDf", "IDCARD_FACEID_SECRET_KEY": "k", "IDCARD_FACEID_RULE_ID": "1",
		"IDCARD_PUBLIC_URL": "https://id.example.cn",
	}
	load := loadOver(full)
	c, err := load("")
	if err != nil || !c.RealName("wechat") || !c.RealName("faceid") || c.RealName("demo") ||
		c.FaceIDEndpoint != "faceid.tencentcloudapi.com" || c.FaceIDRegion != "ap-guangzhou" {
		t.Fatalf("full: %+v, %v", c, err)
	}
	wantErr := func(err error, name string) {
		t.Helper()
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Name != name {
			t.Errorf("got %v, want an error naming %s", err, name)
		}
	}
	for _, name := range []string{"IDCARD_FACEID_SECRET_ID", "IDCARD_FACEID_SECRET_KEY", "IDCARD_FACEID_RULE_ID", "IDCARD_PUBLIC_URL"} {
		_, err := load(name)
		wantErr(err, name)
	}
	_, err = load("", "IDCARD_FACEID_ENDPOINT", "http://faceid.tencentcloudapi.com")
	wantErr(err, "IDCARD_FACEID_ENDPOINT")
	if _, err := load("", "IDCARD_FACEID_ENDPOINT", "http://127.0.0.1:9"); err != nil {
		t.Errorf("a loopback fake: %v", err)
	}
	_, err = load("", "IDCARD_REALNAME_PROVIDER", "faceid,aliyun")
	wantErr(err, "IDCARD_REALNAME_PROVIDER")
	_, err = load("", "IDCARD_REALNAME_PROVIDER", "faceid,demo", "IDCARD_DEMO", "false")
	wantErr(err, "IDCARD_REALNAME_PROVIDER")
	// FaceID alone: its settings are enough, the WeChat ones are not needed.
	if _, err := load("IDCARD_WECHAT_APPID", "IDCARD_REALNAME_PROVIDER", "faceid"); err != nil {
		t.Errorf("faceid alone: %v", err)
	}
	for _, p := range []string{"faceid", "wechat", "wechat,faceid"} {
		c := config.Config{SMSProvider: "tencent", WeChatAppID: "wx1", WeChatSecret: "s", RealNameProvider: p, PayProvider: "wechatpay"}
		if err := c.CheckChannels(); err != nil {
			t.Errorf("CheckChannels with %s: %v", p, err)
		}
	}
	if err := (config.Config{SMSProvider: "tencent", WeChatAppID: "wx1", WeChatSecret: "s", RealNameProvider: "demo"}).CheckChannels(); err == nil {
		t.Error("CheckChannels passed with the demo provider only")
	}
}

// loadOver loads the variables of full, less drop, with set's name, value
// pairs over them.
func loadOver(full map[string]string) func(drop string, set ...string) (config.Config, error) {
	return func(drop string, set ...string) (config.Config, error) {
		e := map[string]string{}
		for k, v := range full {
			if k != drop {
				e[k] = v
			}
		}
		for i := 0; i+1 < len(set); i += 2 {
			e[set[i]] = set[i+1]
		}
		return config.Load(func(k string) string { return e[k] }, nil, nil)
	}
}
