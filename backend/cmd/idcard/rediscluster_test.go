package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/ratelimit"
	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/wechat"
	"github.com/gzga/idcard/backend/internal/wechat/wechattest"
)

// startRedisCluster starts a Redis Cluster of three masters on ports
// 17100-17102 (never the machine's 6379), waits for cluster_state:ok and
// returns the seed addresses; the servers stop, by PID, when t ends.
// Without redis-server it fails in CI and skips elsewhere.
func startRedisCluster(t *testing.T) []string {
	t.Helper()
	server, err := exec.LookPath("redis-server")
	cli, err2 := exec.LookPath("redis-cli")
	if err != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server and redis-cli are not installed (Debian: redis-server, redis-tools)")
		}
		t.Skip("redis-server is not installed")
	}
	dir := t.TempDir()
	var addrs []string
	for i := range 3 {
		port := fmt.Sprint(17100 + i)
		addrs = append(addrs, "127.0.0.1:"+port)
		cmd := exec.Command(server, "--cluster-enabled", "yes", "--port", port, "--bind", "127.0.0.1",
			"--cluster-config-file", filepath.Join(dir, "nodes-"+port+".conf"), "--dir", dir,
			"--save", "", "--appendonly", "no", "--daemonize", "no")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	ctx := context.Background()
	for _, a := range addrs {
		c := redis.NewClient(&redis.Options{Addr: a})
		waitFor(t, "redis-server "+a, func() bool { return c.Ping(ctx).Err() == nil })
		_ = c.Close()
	}
	create := exec.Command(cli, append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")...)
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, a := range addrs {
		c := redis.NewClient(&redis.Options{Addr: a})
		waitFor(t, "cluster_state:ok on "+a, func() bool {
			return strings.Contains(c.ClusterInfo(ctx).Val(), "cluster_state:ok")
		})
		_ = c.Close()
	}
	return addrs
}

// waitFor polls ok until it holds, failing t after a minute.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
	}
}

// clusterKeys lists the keys matching pattern on every master of c.
func clusterKeys(t *testing.T, c *redis.ClusterClient, pattern string) []string {
	t.Helper()
	var keys []string
	ch := make(chan []string, 3)
	err := c.ForEachMaster(context.Background(), func(ctx context.Context, n *redis.Client) error {
		k, err := n.Keys(ctx, pattern).Result()
		ch <- k
		return err
	})
	close(ch)
	if err != nil {
		t.Fatal(err)
	}
	for k := range ch {
		keys = append(keys, k...)
	}
	return keys
}

// TestServeOnRedisCluster runs serve with IDCARD_REDIS_CLUSTER on a real
// three-master Redis Cluster: a sign-in code is sent (a rate limit spent)
// and signs in (the code's WATCH transaction), the session is read and
// ended; the cache reads and writes keys of several slots at once; and the
// WeChat token cache fetches its token once.
func TestServeOnRedisCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster and the whole server")
	}
	addrs := startRedisCluster(t)
	fake := smstest.New(smstest.Options{SecretID: "AKIDcluster", SecretKey: "cluster-secret", AppID: "1400000005", Sign: "贵州公安",
		Templates: map[string]int{"11": 2, "12": 2, "13": 2, "14": 1}})
	defer fake.Close()
	env := map[string]string{"IDCARD_DATA_DIR": t.TempDir(), "IDCARD_ADDR": "127.0.0.1:0", "IDCARD_JOBS": "false",
		"IDCARD_REDIS_CLUSTER": strings.Join(addrs, ","),
		"IDCARD_SMS_PROVIDER":  "tencent", "IDCARD_SMS_SECRET_ID": "AKIDcluster", "IDCARD_SMS_SECRET_KEY": "cluster-secret",
		"IDCARD_SMS_APP_ID": "1400000005", "IDCARD_SMS_SIGN": "贵州公安", "IDCARD_SMS_ENDPOINT": fake.Endpoint(),
		"IDCARD_SMS_TEMPLATES": "code=11,status=12,pickup=13,identity=14"}
	base, logs, stop := startServe(t, env)
	defer stop()
	if !strings.Contains(logs.String(), "redis cluster 127.0.0.1:17100") {
		t.Fatalf("serve did not say it runs on the cluster:\n%s", logs)
	}
	call := func(method, path, token string, body any, want int) map[string]any {
		t.Helper()
		return callAPI(t, base, method, path, token, body, want)
	}
	call(http.MethodGet, "/readyz", "", nil, http.StatusOK)
	const phone = "13900000041"
	call(http.MethodPost, "/api/v1/auth/sms", "", map[string]string{"phone": phone}, http.StatusNoContent)
	got := fake.Messages()
	if len(got) != 1 {
		t.Fatalf("gateway got %+v", got)
	}
	token, _ := call(http.MethodPost, "/api/v1/auth/phone", "", map[string]string{"phone": phone, "code": got[0].Params[0]}, http.StatusOK)["token"].(string)
	if token == "" {
		t.Fatal("signed in without a token")
	}
	if me := call(http.MethodGet, "/api/v1/me", token, nil, http.StatusOK); me["phone_masked"] == nil {
		t.Fatalf("/me with the session: %v", me)
	}

	r, err := kv.OpenTarget(context.Background(), kv.Target{Cluster: addrs[:1]}, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cc, ok := r.Client.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("one seed gave a %T, want a cluster client", r.Client)
	}
	if k := clusterKeys(t, cc, "idcard:sess:idcard_citizen:*"); len(k) != 1 {
		t.Fatalf("session keys on the cluster: %v", k)
	}
	if k := clusterKeys(t, cc, "rate:idcard:rl:*"); len(k) == 0 {
		t.Fatal("no rate-limit key on the cluster")
	}
	call(http.MethodPost, "/api/v1/auth/logout", token, nil, http.StatusNoContent)
	call(http.MethodGet, "/api/v1/me", token, nil, http.StatusUnauthorized)
	if k := clusterKeys(t, cc, "idcard:sess:idcard_citizen:*"); len(k) != 0 {
		t.Fatalf("session keys left after signing out: %v", k)
	}

	// The cache: keys of several slots in one call (an MGET would fail
	// with CROSSSLOT here).
	ctx := context.Background()
	cache := kv.NewCache(r.Client, "idcard-cluster-test:")
	vals := map[string][]byte{}
	var keys []string
	for i := range 8 {
		k := fmt.Sprintf("k%d", i)
		keys = append(keys, k)
		vals[k] = []byte("v" + k)
	}
	if err := cache.Set(ctx, vals, time.Minute); err != nil {
		t.Fatal(err)
	}
	back, err := cache.Get(ctx, append(keys, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if string(back[i]) != "v"+k {
			t.Fatalf("cache %s = %q", k, back[i])
		}
	}
	if back[len(keys)] != nil {
		t.Fatalf("missing key = %q", back[len(keys)])
	}

	// A budget spent to the end on the cluster.
	lim := ratelimit.New(r.Client, "idcard-cluster-test:")
	for i := range 3 {
		err := lim.Allow(ctx, "t", 2, time.Minute, "who")
		if (i < 2) != (err == nil) {
			t.Fatalf("try %d: %v", i+1, err)
		}
	}

	// The WeChat token cache: two clients (two instances) fetch the token
	// once between them, and drop it by its compare-and-delete script.
	wx := wechattest.New(t, map[string]string{"wxcluster": "s"})
	mk := func() *wechat.Client {
		return wechat.New(wechat.Options{AppID: "wxcluster", Secret: "s", BaseURL: wx.URL(), Redis: r.Client,
			KeyPrefix: "idcard-cluster-test:", HTTP: &http.Client{Timeout: 5 * time.Second}})
	}
	msg := wechat.SubscribeMessage{ToUser: "o-1", TemplateID: "tpl", Page: "pages/index/index", Data: map[string]string{"thing2": "x"}}
	for _, c := range []*wechat.Client{mk(), mk()} {
		if err := c.SendSubscribe(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	if n := wx.TokenFetches("wxcluster"); n != 1 {
		t.Fatalf("token fetched %d times, want 1", n)
	}
	wx.InvalidateTokens()
	if err := mk().SendSubscribe(ctx, msg); err != nil {
		t.Fatalf("after the token was invalidated: %v", err)
	}
	if n := wx.TokenFetches("wxcluster"); n != 2 {
		t.Fatalf("token fetched %d times after invalidation, want 2", n)
	}
}
