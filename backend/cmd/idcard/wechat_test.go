package main

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/config"
	"github.com/gzga/idcard/backend/internal/notify"
)

// TestWeChatWiring: without app ids the outbox logs and signin has no
// WeChat provider; with them the outbox sends by WeChat with the
// configured templates, and signin exchanges codes with the apps' clients.
func TestWeChatWiring(t *testing.T) {
	none := newWeChat(config.Config{}, nil)
	if none.senders().WeChat != nil || none.miniProgram() != nil || none.officialAccount() != nil {
		t.Fatalf("unconfigured WeChat wired: %+v", none)
	}
	cfg := config.Config{WeChatAppID: "wxmini", WeChatSecret: "s1", WeChatMPAppID: "wxoa", WeChatMPSecret: "s2",
		WeChatAPI: "http://127.0.0.1:1", WeChatSubscribeTemplate: "tpl-sub", WeChatMPTemplate: "tpl-oa", PublicURL: "https://idcard.example/"}
	wx := newWeChat(cfg, nil)
	snd, ok := wx.senders().WeChat.(notify.WeChatSender)
	if !ok || snd.Mini == nil || snd.Mini.AppID() != "wxmini" || snd.MP == nil || snd.MP.AppID() != "wxoa" ||
		snd.SubscribeTemplate != "tpl-sub" || snd.MPTemplate != "tpl-oa" || snd.PublicURL != "https://idcard.example" {
		t.Fatalf("sender %+v", wx.senders().WeChat)
	}
	if wx.miniProgram() == nil || wx.officialAccount() == nil || wx.officialAccount().Client.AppID() != "wxoa" {
		t.Fatal("signin clients not wired")
	}
}
