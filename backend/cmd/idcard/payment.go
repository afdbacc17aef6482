package main

import (
	"fmt"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/payment"
	"github.com/gzga/idcard/backend/internal/payment/wechatpay"
)

// newPayments is the payment provider IDCARD_PAY_PROVIDER names
// (config.Validate checked its settings): WeChat Pay with the merchant's
// keys, the demo provider, or nil for none.
func newPayments(env *cmdEnv) (payment.Provider, error) {
	cfg := env.cfg
	switch cfg.PayProvider {
	case "demo":
		return payment.Demo{}, nil
	case "wechatpay":
	default:
		return nil, nil
	}
	key, err := wechatpay.ParsePrivateKey(cfg.WeChatPayPrivateKey)
	if err != nil {
		return nil, fmt.Errorf("IDCARD_WECHATPAY_PRIVATE_KEY: %w", err)
	}
	pub, err := wechatpay.ParsePublicKey(cfg.WeChatPayPublicKey)
	if err != nil {
		return nil, fmt.Errorf("IDCARD_WECHATPAY_PUBLIC_KEY: %w", err)
	}
	apps := map[string]string{}
	if cfg.WeChatAppID != "" {
		apps[domain.ChannelMiniProgram] = cfg.WeChatAppID
	}
	if cfg.WeChatMPAppID != "" {
		apps[domain.ChannelJSAPI] = cfg.WeChatMPAppID
	}
	return wechatpay.New(wechatpay.Config{MchID: cfg.WeChatPayMchID, MchSerial: cfg.WeChatPayMchSerial, MchKey: key,
		APIv3Key: []byte(cfg.WeChatPayAPIv3Key), PlatformSerial: cfg.WeChatPayPublicKeyID, PlatformKey: pub,
		AppIDs: apps, NotifyURL: cfg.WeChatPayNotifyURL(), BaseURL: cfg.WeChatPayAPI}), nil
}
