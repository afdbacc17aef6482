package config

import "strings"

// CheckChannels refuses a production server that could reach no one: outside
// demo mode, sign-in codes and notices need an SMS gateway, WeChat sign-in
// and messages the mini-program's credentials, binding a real-person
// provider, and the mail route's fee a payment provider. The *Error names the first missing variable and lists them all,
// on one line. Demo mode needs none of them (it logs instead).
func (c Config) CheckChannels() error {
	if c.Demo {
		return nil
	}
	var missing []string
	if c.SMSProvider == "" {
		missing = append(missing, "IDCARD_SMS_PROVIDER (tencent)")
	}
	if c.WeChatAppID == "" {
		missing = append(missing, "IDCARD_WECHAT_APPID")
	}
	if c.WeChatSecret == "" {
		missing = append(missing, "IDCARD_WECHAT_SECRET")
	}
	if !c.RealName("wechat") && !c.RealName("faceid") {
		missing = append(missing, "IDCARD_REALNAME_PROVIDER (wechat, faceid)")
	}
	if c.PayProvider != "wechatpay" {
		missing = append(missing, "IDCARD_PAY_PROVIDER (wechatpay)")
	}
	if len(missing) == 0 {
		return nil
	}
	name, _, _ := strings.Cut(missing[0], " ")
	return &Error{name, "production (IDCARD_DEMO is not true) cannot reach anyone without: " + strings.Join(missing, ", ") +
		"; set them, or IDCARD_DEMO=true for a demo that only logs"}
}
