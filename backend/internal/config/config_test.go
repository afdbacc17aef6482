package config_test

import (
	"errors"
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
