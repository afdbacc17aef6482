package config_test

import (
	"errors"
	"testing"

	"github.com/gzga/idcard/backend/internal/config"
)

// TestPaymentProvider: demo mode pays with the demo provider; wechatpay
// needs each merchant setting, refused by name, a 32-character APIv3 key
// and an https public URL; demo is refused outside demo mode.
func TestPaymentProvider(t *testing.T) {
	full := map[string]string{
		"IDCARD_PAY_PROVIDER": "wechatpay", "IDCARD_WECHATPAY_MCH_ID": "1900000109", "IDCARD_WECHATPAY_MCH_SERIAL": "5157F0",
		"IDCARD_WECHATPAY_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----", "IDCARD_WECHATPAY_APIV3_KEY": "0123456789abcdef0123456789abcdef",
		"IDCARD_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_01", "IDCARD_WECHATPAY_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----",
		"IDCARD_PUBLIC_URL": "https://id.example.cn", "IDCARD_WECHAT_APPID": "wx1",
	}
	load := loadOver(full)
	wantErr := func(err error, name string) {
		t.Helper()
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Name != name {
			t.Errorf("got %v, want an error naming %s", err, name)
		}
	}
	c, err := load("")
	if err != nil || c.PayProvider != "wechatpay" || c.WeChatPayNotifyURL() != "https://id.example.cn/api/v1/payments/wechat/notify" {
		t.Fatalf("full: %v %q", err, c.WeChatPayNotifyURL())
	}
	for _, name := range []string{"IDCARD_WECHATPAY_MCH_ID", "IDCARD_WECHATPAY_MCH_SERIAL", "IDCARD_WECHATPAY_PRIVATE_KEY",
		"IDCARD_WECHATPAY_APIV3_KEY", "IDCARD_WECHATPAY_PUBLIC_KEY_ID", "IDCARD_WECHATPAY_PUBLIC_KEY", "IDCARD_PUBLIC_URL", "IDCARD_WECHAT_APPID"} {
		_, err := load(name)
		wantErr(err, name)
	}
	_, err = load("", "IDCARD_WECHATPAY_APIV3_KEY", "short")
	wantErr(err, "IDCARD_WECHATPAY_APIV3_KEY")
	_, err = load("", "IDCARD_PUBLIC_URL", "http://id.example.cn")
	wantErr(err, "IDCARD_PUBLIC_URL")
	_, err = load("", "IDCARD_WECHATPAY_API", "http://pay.example.cn")
	wantErr(err, "IDCARD_WECHATPAY_API")
	if _, err := load("", "IDCARD_WECHATPAY_API", "http://127.0.0.1:9"); err != nil {
		t.Errorf("a loopback fake: %v", err)
	}
	_, err = load("", "IDCARD_PAY_PROVIDER", "demo", "IDCARD_DEMO", "false")
	wantErr(err, "IDCARD_PAY_PROVIDER")
	_, err = load("", "IDCARD_PAY_PROVIDER", "alipay")
	wantErr(err, "IDCARD_PAY_PROVIDER")
	if c, err := config.Load(func(k string) string { return map[string]string{"IDCARD_DEMO": "true"}[k] }, nil, nil); err != nil || c.PayProvider != "demo" {
		t.Errorf("demo mode: provider %q, %v", c.PayProvider, err)
	}
}
