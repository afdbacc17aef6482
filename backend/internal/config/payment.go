package config

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultWeChatPayAPI is WeChat Pay's API host.
const DefaultWeChatPayAPI = "https://api.mch.weixin.qq.com"

// loadPayment reads the payment settings; demo mode pays with the demo
// provider unless another is named.
func (c *Config) loadPayment(env *reader) {
	def := ""
	if c.Demo {
		def = "demo"
	}
	c.PayProvider = env.str("IDCARD_PAY_PROVIDER", def)
	c.WeChatPayMchID = env.str("IDCARD_WECHATPAY_MCH_ID", "")
	c.WeChatPayMchSerial = env.str("IDCARD_WECHATPAY_MCH_SERIAL", "")
	c.WeChatPayPrivateKey = env.str("IDCARD_WECHATPAY_PRIVATE_KEY", "")
	c.WeChatPayAPIv3Key = env.str("IDCARD_WECHATPAY_APIV3_KEY", "")
	c.WeChatPayPublicKeyID = env.str("IDCARD_WECHATPAY_PUBLIC_KEY_ID", "")
	c.WeChatPayPublicKey = env.str("IDCARD_WECHATPAY_PUBLIC_KEY", "")
	c.WeChatPayAPI = env.str("IDCARD_WECHATPAY_API", DefaultWeChatPayAPI)
}

// WeChatPayNotifyURL is where WeChat Pay sends its callbacks.
func (c Config) WeChatPayNotifyURL() string {
	return strings.TrimRight(c.PublicURL, "/") + "/api/v1/payments/wechat/notify"
}

// validatePayment checks the payment provider: wechatpay needs every
// merchant setting, an APIv3 key of 32 characters, an app id to pay in
// and an HTTPS public URL for its callbacks (plain HTTP only on a
// loopback address, for a test); demo is for demo mode only.
// The keys' PEM is read when the provider is built (main).
func (c Config) validatePayment() error {
	switch c.PayProvider {
	case "":
		return nil
	case "demo":
		if !c.Demo {
			return &Error{"IDCARD_PAY_PROVIDER", "demo only in demo mode (IDCARD_DEMO=true)"}
		}
		return nil
	case "wechatpay":
	default:
		return &Error{"IDCARD_PAY_PROVIDER", fmt.Sprintf("wechatpay or demo (%q)", c.PayProvider)}
	}
	for _, v := range []struct{ name, val string }{
		{"IDCARD_WECHATPAY_MCH_ID", c.WeChatPayMchID}, {"IDCARD_WECHATPAY_MCH_SERIAL", c.WeChatPayMchSerial},
		{"IDCARD_WECHATPAY_PRIVATE_KEY", c.WeChatPayPrivateKey}, {"IDCARD_WECHATPAY_APIV3_KEY", c.WeChatPayAPIv3Key},
		{"IDCARD_WECHATPAY_PUBLIC_KEY_ID", c.WeChatPayPublicKeyID}, {"IDCARD_WECHATPAY_PUBLIC_KEY", c.WeChatPayPublicKey},
		{"IDCARD_PUBLIC_URL", c.PublicURL},
	} {
		if v.val == "" {
			return &Error{v.name, "needed with IDCARD_PAY_PROVIDER=wechatpay"}
		}
	}
	if len(c.WeChatPayAPIv3Key) != 32 {
		return &Error{"IDCARD_WECHATPAY_APIV3_KEY", "must be the 32-character APIv3 key"}
	}
	if c.WeChatAppID == "" && c.WeChatMPAppID == "" {
		return &Error{"IDCARD_WECHAT_APPID", "IDCARD_PAY_PROVIDER=wechatpay pays in the mini-program or the official account: set IDCARD_WECHAT_APPID or IDCARD_WECHAT_MP_APPID"}
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
		return &Error{"IDCARD_PUBLIC_URL", "WeChat Pay sends its callbacks to an https:// public URL"}
	}
	if u, err := url.Parse(c.WeChatPayAPI); err != nil || u.Host == "" || (u.Scheme != "https" && !loopback(u.Hostname())) {
		return &Error{"IDCARD_WECHATPAY_API", "an https:// URL, or http:// only to a loopback address (a local fake)"}
	}
	return nil
}

func loopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
