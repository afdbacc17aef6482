package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer that the server goroutine and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// testKey is base64 of 32 bytes, a valid key setting.
const testKey = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="

func TestBadConfigurationStopsWithOneLine(t *testing.T) {
	cases := []struct {
		name, variable string
		env            map[string]string
	}{
		{"UnparsableDSN", "IDCARD_MYSQL_DSN", map[string]string{"IDCARD_MYSQL_DSN": "not a dsn"}},
		{"UnreachableMySQL", "IDCARD_MYSQL_DSN", map[string]string{"IDCARD_MYSQL_DSN": "u:p@tcp(127.0.0.1:1)/x?timeout=2s", "IDCARD_DEMO": "true"}},
		{"BadAddr", "IDCARD_ADDR", map[string]string{"IDCARD_ADDR": "nonsense"}},
		{"BadRedisURL", "IDCARD_REDIS_URL", map[string]string{"IDCARD_REDIS_URL": "http://x"}},
		{"BadBool", "IDCARD_MIGRATE", map[string]string{"IDCARD_MIGRATE": "perhaps"}},
		{"BadProxy", "IDCARD_TRUSTED_PROXIES", map[string]string{"IDCARD_TRUSTED_PROXIES": "10.0.0.1,lb.example"}},
		{"ProductionWithoutKeys", "IDCARD_PII_KEYS", map[string]string{"IDCARD_MYSQL_DSN": "u:p@tcp(127.0.0.1:3306)/x"}},
		{"ProductionWithoutChannels", "IDCARD_SMS_PROVIDER", map[string]string{"IDCARD_MYSQL_DSN": "u:p@tcp(127.0.0.1:3306)/x",
			"IDCARD_PII_KEYS": "k1:" + testKey, "IDCARD_INDEX_KEY": testKey, "IDCARD_TOKEN_KEY": testKey}},
		{"ProductionWithSMSOnly", "IDCARD_WECHAT_APPID", map[string]string{"IDCARD_DEMO": "false", "IDCARD_SMS_PROVIDER": "tencent",
			"IDCARD_SMS_SECRET_ID": "id", "IDCARD_SMS_SECRET_KEY": "key", "IDCARD_SMS_APP_ID": "1400000001", "IDCARD_SMS_SIGN": "贵州公安",
			"IDCARD_SMS_TEMPLATES": "code=1,status=2,pickup=3,identity=4"}},
		{"ProductionWithoutRealName", "IDCARD_REALNAME_PROVIDER", map[string]string{"IDCARD_DEMO": "false", "IDCARD_SMS_PROVIDER": "tencent",
			"IDCARD_SMS_SECRET_ID": "id", "IDCARD_SMS_SECRET_KEY": "key", "IDCARD_SMS_APP_ID": "1400000001", "IDCARD_SMS_SIGN": "贵州公安",
			"IDCARD_SMS_TEMPLATES": "code=1,status=2,pickup=3,identity=4", "IDCARD_WECHAT_APPID": "wx1", "IDCARD_WECHAT_SECRET": "s"}},
		{"DemoFaceCheckOutsideDemo", "IDCARD_REALNAME_PROVIDER", map[string]string{"IDCARD_DEMO": "false", "IDCARD_REALNAME_PROVIDER": "demo"}},
		{"SMSWithoutTemplates", "IDCARD_SMS_TEMPLATES", map[string]string{"IDCARD_SMS_PROVIDER": "tencent", "IDCARD_SMS_SECRET_ID": "id",
			"IDCARD_SMS_SECRET_KEY": "key", "IDCARD_SMS_APP_ID": "1400000001", "IDCARD_SMS_SIGN": "贵州公安"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.env["IDCARD_DATA_DIR"] = t.TempDir()
			err := run(context.Background(), []string{"serve"}, envOf(c.env), io.Discard, io.Discard)
			if err == nil {
				t.Fatal("start-up succeeded")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, c.variable) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line naming %s", msg, c.variable)
			}
		})
	}
}

var serverURL = regexp.MustCompile(`server\s+(http://\S+)`)

// startServe runs `idcard serve` on a free port and returns its base URL and
// a function that stops it and returns what serve returned.
func startServe(t *testing.T, env map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), out, logs) }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := serverURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], logs, func() error { cancel(); return <-done }
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start:\n%s", logs)
	return "", nil, nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeEmbeddedKeepsDataAcrossRestarts starts the embedded server with no
// services, checks the health endpoints, stops it gracefully and starts it
// again on the same data folder: the demo data is there and is not reloaded.
func TestServeEmbeddedKeepsDataAcrossRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole server twice")
	}
	env := map[string]string{"IDCARD_DATA_DIR": t.TempDir(), "IDCARD_ADDR": "127.0.0.1:0"}
	base, logs, stop := startServe(t, env)
	for _, p := range []string{"/healthz", "/readyz"} {
		if code, body := get(t, base+p); code != 200 {
			t.Fatalf("%s: %d %s", p, code, body)
		}
	}
	if code, body := get(t, base+"/metrics"); code != 200 || !strings.Contains(body, `idcard_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("metrics: %d\n%s", code, body)
	}
	if !strings.Contains(logs.String(), "seed data loaded") {
		t.Fatalf("first start did not seed:\n%s", logs)
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	base, logs, stop = startServe(t, env)
	defer stop()
	if code, _ := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("readyz after restart: %d", code)
	}
	if strings.Contains(logs.String(), "seed data loaded") {
		t.Fatal("the second start seeded again")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "status"}, envOf(env), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0 pending") || strings.Count(out.String(), "applied") < 2 {
		t.Fatalf("migrate status:\n%s", out.String())
	}
}

// callAPI sends body (JSON, none when nil) to base+path with token as the
// bearer, fails t unless the status is want, and decodes the JSON answer.
func callAPI(t *testing.T, base, method, path, token string, body any, want int) map[string]any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, raw, want)
	}
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return out
}
