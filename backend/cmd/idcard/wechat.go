package main

import (
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/config"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/wechat"
)

// wechatApps are the WeChat clients of the configured apps, sharing the
// app's Redis for their access tokens; nil = that app is not configured.
type wechatApps struct {
	mini, mp *wechat.Client
	cfg      config.Config
}

func newWeChat(cfg config.Config, rdb redis.UniversalClient) wechatApps {
	w := wechatApps{cfg: cfg}
	client := func(id, secret string) *wechat.Client {
		return wechat.New(wechat.Options{AppID: id, Secret: secret, BaseURL: cfg.WeChatAPI, Redis: rdb, KeyPrefix: kv.KeyPrefix("")})
	}
	if cfg.WeChatAppID != "" {
		w.mini = client(cfg.WeChatAppID, cfg.WeChatSecret)
	}
	if cfg.WeChatMPAppID != "" {
		w.mp = client(cfg.WeChatMPAppID, cfg.WeChatMPSecret)
	}
	return w
}

// senders are the outbox's channels: WeChat when an app is configured,
// the logging sender otherwise.
func (w wechatApps) senders() notify.Senders {
	if w.mini == nil && w.mp == nil {
		return notify.Senders{}
	}
	return notify.Senders{WeChat: notify.WeChatSender{Mini: w.mini, SubscribeTemplate: w.cfg.WeChatSubscribeTemplate,
		MP: w.mp, MPTemplate: w.cfg.WeChatMPTemplate, PublicURL: w.cfg.ListenURL()}}
}

// miniProgram is signin's code2session, or nil.
func (w wechatApps) miniProgram() signin.WeChatProvider {
	if w.mini == nil {
		return nil
	}
	return signin.MiniProgram{Client: w.mini}
}

// officialAccount is the H5's web authorisation, or nil.
func (w wechatApps) officialAccount() *signin.OfficialAccount {
	if w.mp == nil {
		return nil
	}
	return &signin.OfficialAccount{Client: w.mp}
}

// realPerson is the WeChat 人脸核身 provider on the mini-program, or nil
// when the mini-program is not configured or IDCARD_REALNAME_PROVIDER does
// not name it.
func (w wechatApps) realPerson() signin.RealPersonProvider {
	if w.mini == nil || !w.cfg.RealName("wechat") {
		return nil
	}
	return signin.WeChatRealPerson{Client: w.mini}
}
