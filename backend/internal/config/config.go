// Package config reads the service configuration from environment variables
// and command-line flags into one Config value that main passes down.
package config

import (
	"encoding/base64"
	"flag"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/sms/tencent"
	"github.com/gzga/idcard/backend/internal/suite"
	"github.com/gzga/idcard/backend/internal/tencentcloud"
)

// Config is everything the service needs to start. It is built once in main
// and passed down; nothing reads the environment after start-up.
type Config struct {
	Addr             string        // IDCARD_ADDR: listen address.
	PublicURL        string        // IDCARD_PUBLIC_URL: base URL printed and used in links.
	DataDir          string        // IDCARD_DATA_DIR: embedded SQLite file, generated keys.
	MySQLDSN         string        // IDCARD_MYSQL_DSN: production database; empty = embedded SQLite.
	RedisURL         string        // IDCARD_REDIS_URL: production Redis; empty = in-process.
	ScaleOut                       // replicas, Sentinel or Cluster, drain (scaleout.go)
	DemoPassword     string        // IDCARD_DEMO_PASSWORD: password of the demo staff accounts.
	Demo             bool          // IDCARD_DEMO: demo data and demo sign-in providers.
	Migrate          bool          // IDCARD_MIGRATE: run migrations when serve starts.
	DBMaxOpen        int           // IDCARD_DB_MAX_OPEN: database pool size.
	DBMaxIdle        int           // IDCARD_DB_MAX_IDLE: idle connections kept.
	DBTimeout        time.Duration // IDCARD_DB_TIMEOUT: bound on each database call (and the driver's dial, read, write).
	RedisPoolSize    int           // IDCARD_REDIS_POOL_SIZE: Redis pool size.
	RedisTimeout     time.Duration // IDCARD_REDIS_TIMEOUT: bound on each Redis command (and its dial, read, write, pool wait).
	LogFormat        string        // IDCARD_LOG_FORMAT: text or json.
	LogLevel         string        // IDCARD_LOG_LEVEL: debug, info, warn, error.
	ShutdownTimeout  time.Duration // IDCARD_SHUTDOWN_TIMEOUT: bound on finishing in-flight requests.
	CookieSecure     bool          // IDCARD_COOKIE_SECURE: mark cookies Secure (behind TLS).
	Crypto           suite.Name    // IDCARD_CRYPTO: sm (SM4-GCM, HMAC-SM3) or aes (AES-256-GCM, HMAC-SHA256) for new values.
	RetentionYears   int           // IDCARD_RETENTION_YEARS: finished cases older than this lose their personal data.
	PIIKeys          string        // IDCARD_PII_KEYS: "id:base64key,..." 32-byte keys, first encrypts.
	IndexKey         string        // IDCARD_INDEX_KEY: base64 HMAC key of the blind index.
	TokenKey         string        // IDCARD_TOKEN_KEY: base64 HMAC key of pickup tokens.
	WeChatAppID      string        // IDCARD_WECHAT_APPID: mini-program app id.
	WeChatSecret     string        // IDCARD_WECHAT_SECRET: mini-program app secret.
	WeChatMPAppID    string        // IDCARD_WECHAT_MP_APPID: official account (H5 in WeChat).
	WeChatMPSecret   string        // IDCARD_WECHAT_MP_SECRET: official account secret.
	JobsEnabled      bool          // IDCARD_JOBS: run background jobs in this process.
	TrustedProxies   []string      // IDCARD_TRUSTED_PROXIES: proxies whose X-Forwarded-For names the client.
	RealNameProvider string        // IDCARD_REALNAME_PROVIDER: real-person verification, a comma list of wechat, faceid, demo (demo only).
	FaceIDSecretID   string        // IDCARD_FACEID_SECRET_ID: Tencent Cloud API SecretId for FaceID.
	FaceIDSecretKey  string        // IDCARD_FACEID_SECRET_KEY: Tencent Cloud API SecretKey for FaceID.
	FaceIDRuleID     string        // IDCARD_FACEID_RULE_ID: FaceID RuleId of the H5 face check.
	FaceIDEndpoint   string        // IDCARD_FACEID_ENDPOINT: FaceID API host (or an http:// loopback URL for a fake).
	FaceIDRegion     string        // IDCARD_FACEID_REGION: Tencent Cloud region of the FaceID API.
	SMSProvider      string        // IDCARD_SMS_PROVIDER: tencent, log (demo only), or empty for none.
	SMSSecretID      string        // IDCARD_SMS_SECRET_ID: Tencent Cloud API SecretId.
	SMSSecretKey     string        // IDCARD_SMS_SECRET_KEY: Tencent Cloud API SecretKey.
	SMSAppID         string        // IDCARD_SMS_APP_ID: SmsSdkAppId of the SMS application.
	SMSSign          string        // IDCARD_SMS_SIGN: the approved SMS signature (SignName).
	SMSRegion        string        // IDCARD_SMS_REGION: Tencent Cloud region of the SMS API.
	SMSEndpoint      string        // IDCARD_SMS_ENDPOINT: SMS API host (or an http:// loopback URL for a fake).
	SMSTemplates     string        // IDCARD_SMS_TEMPLATES: "code=…,status=…,pickup=…,identity=…" template ids.
	WeChatAPI        string        // IDCARD_WECHAT_API: base URL of the WeChat server API.
	// The WeChat message templates; "" = that kind of message is not sent.
	WeChatSubscribeTemplate string // IDCARD_WECHAT_SUBSCRIBE_TEMPLATE: mini-program subscribe template (办件进度通知).
	WeChatMPTemplate        string // IDCARD_WECHAT_MP_TEMPLATE: official-account template message.
	// Online payment (payment.go).
	PayProvider          string // IDCARD_PAY_PROVIDER: wechatpay, demo (demo only), or empty for none.
	WeChatPayMchID       string // IDCARD_WECHATPAY_MCH_ID: merchant number (商户号).
	WeChatPayMchSerial   string // IDCARD_WECHATPAY_MCH_SERIAL: serial of the merchant API certificate.
	WeChatPayPrivateKey  string // IDCARD_WECHATPAY_PRIVATE_KEY: its private key, PEM (apiclient_key.pem).
	WeChatPayAPIv3Key    string // IDCARD_WECHATPAY_APIV3_KEY: the 32-character APIv3 key.
	WeChatPayPublicKeyID string // IDCARD_WECHATPAY_PUBLIC_KEY_ID: id of the WeChat Pay public key (or platform certificate serial).
	WeChatPayPublicKey   string // IDCARD_WECHATPAY_PUBLIC_KEY: that key, PEM (or the platform certificate).
	WeChatPayAPI         string // IDCARD_WECHATPAY_API: base URL of WeChat Pay (a test fake).
}

// Embedded reports whether the service runs on the embedded SQLite database.
func (c Config) Embedded() bool { return c.MySQLDSN == "" }

// EmbeddedRedis reports whether the service runs the in-process Redis.
func (c Config) EmbeddedRedis() bool {
	return c.RedisURL == "" && len(c.RedisSentinels) == 0 && len(c.RedisCluster) == 0
}

// Error names the variable whose value is wrong.
type Error struct {
	Name string
	Msg  string
}

func (e *Error) Error() string { return e.Name + ": " + e.Msg }

// Load builds a Config from the environment (looked up through getenv) and
// then the flags of fs, which override the environment. It returns an *Error
// naming the first variable that is invalid.
func Load(getenv func(string) string, fs *flag.FlagSet, args []string) (Config, error) {
	env := reader{getenv: getenv}
	c := Config{
		Addr:            env.str("IDCARD_ADDR", ":8080"),
		PublicURL:       env.str("IDCARD_PUBLIC_URL", ""),
		DataDir:         env.str("IDCARD_DATA_DIR", "./data"),
		MySQLDSN:        env.str("IDCARD_MYSQL_DSN", ""),
		RedisURL:        env.str("IDCARD_REDIS_URL", ""),
		DemoPassword:    env.str("IDCARD_DEMO_PASSWORD", "demo1234"),
		Migrate:         env.boolean("IDCARD_MIGRATE", true),
		DBMaxOpen:       env.integer("IDCARD_DB_MAX_OPEN", 20),
		DBMaxIdle:       env.integer("IDCARD_DB_MAX_IDLE", 20),
		DBTimeout:       env.duration("IDCARD_DB_TIMEOUT", 3*time.Second),
		RedisPoolSize:   env.integer("IDCARD_REDIS_POOL_SIZE", 20),
		RedisTimeout:    env.duration("IDCARD_REDIS_TIMEOUT", kv.DefaultTimeout),
		LogLevel:        env.str("IDCARD_LOG_LEVEL", "info"),
		ShutdownTimeout: env.duration("IDCARD_SHUTDOWN_TIMEOUT", 15*time.Second),
		CookieSecure:    env.boolean("IDCARD_COOKIE_SECURE", false),
		RetentionYears:  env.integer("IDCARD_RETENTION_YEARS", 5),
		PIIKeys:         env.str("IDCARD_PII_KEYS", ""),
		IndexKey:        env.str("IDCARD_INDEX_KEY", ""),
		TokenKey:        env.str("IDCARD_TOKEN_KEY", ""),
		WeChatAppID:     env.str("IDCARD_WECHAT_APPID", ""),
		WeChatSecret:    env.str("IDCARD_WECHAT_SECRET", ""),
		WeChatMPAppID:   env.str("IDCARD_WECHAT_MP_APPID", ""),
		WeChatMPSecret:  env.str("IDCARD_WECHAT_MP_SECRET", ""),
		WeChatAPI:       env.str("IDCARD_WECHAT_API", "https://api.weixin.qq.com"),
		JobsEnabled:     env.boolean("IDCARD_JOBS", true),
		SMSSecretID:     env.str("IDCARD_SMS_SECRET_ID", ""),
		SMSSecretKey:    env.str("IDCARD_SMS_SECRET_KEY", ""),
		SMSAppID:        env.str("IDCARD_SMS_APP_ID", ""),
		SMSSign:         env.str("IDCARD_SMS_SIGN", ""),
		SMSRegion:       env.str("IDCARD_SMS_REGION", tencent.DefaultRegion),
		SMSEndpoint:     env.str("IDCARD_SMS_ENDPOINT", tencent.DefaultEndpoint),
		SMSTemplates:    env.str("IDCARD_SMS_TEMPLATES", ""),
		FaceIDSecretID:  env.str("IDCARD_FACEID_SECRET_ID", ""),
		FaceIDSecretKey: env.str("IDCARD_FACEID_SECRET_KEY", ""),
		FaceIDRuleID:    env.str("IDCARD_FACEID_RULE_ID", ""),
		FaceIDEndpoint:  env.str("IDCARD_FACEID_ENDPOINT", tencentcloud.FaceIDEndpoint),
		FaceIDRegion:    env.str("IDCARD_FACEID_REGION", tencentcloud.FaceIDRegion),
	}
	c.ScaleOut = loadScaleOut(&env)
	crypto, err := suite.Parse(env.str("IDCARD_CRYPTO", string(suite.SM)))
	if err != nil && env.err == nil {
		env.err = &Error{"IDCARD_CRYPTO", "must be sm or aes"}
	}
	c.Crypto = crypto
	c.WeChatSubscribeTemplate = env.str("IDCARD_WECHAT_SUBSCRIBE_TEMPLATE", "")
	c.WeChatMPTemplate = env.str("IDCARD_WECHAT_MP_TEMPLATE", "")
	for _, p := range strings.Split(env.str("IDCARD_TRUSTED_PROXIES", "127.0.0.1,::1"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	// Demo mode and the log format default by storage mode: an embedded
	// install is a demo with readable logs, production logs JSON.
	c.Demo = env.boolean("IDCARD_DEMO", c.MySQLDSN == "")
	// Demo mode logs SMS (masked) unless a real gateway is named.
	defSMS := ""
	if c.Demo {
		defSMS = "log"
	}
	c.SMSProvider = env.str("IDCARD_SMS_PROVIDER", defSMS)
	defRealName := ""
	if c.Demo {
		defRealName = "demo"
	}
	c.RealNameProvider = env.str("IDCARD_REALNAME_PROVIDER", defRealName)
	c.loadPayment(&env)
	defFormat := "json"
	if c.MySQLDSN == "" {
		defFormat = "text"
	}
	c.LogFormat = env.str("IDCARD_LOG_FORMAT", defFormat)
	if env.err != nil {
		return c, env.err
	}
	if fs != nil {
		fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (IDCARD_ADDR)")
		fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "embedded data folder (IDCARD_DATA_DIR)")
		fs.BoolVar(&c.Migrate, "migrate", c.Migrate, "run migrations on start (IDCARD_MIGRATE)")
		fs.BoolVar(&c.JobsEnabled, "jobs", c.JobsEnabled, "run background jobs (IDCARD_JOBS)")
		if err := fs.Parse(args); err != nil {
			return c, err
		}
	}
	return c, c.Validate()
}

// Validate checks every value and returns an *Error naming the first bad one.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return &Error{"IDCARD_ADDR", fmt.Sprintf("not a host:port address (%q)", c.Addr)}
	}
	if c.MySQLDSN != "" {
		if _, err := mysql.ParseDSN(c.MySQLDSN); err != nil {
			return &Error{"IDCARD_MYSQL_DSN", "cannot parse the DSN: " + err.Error()}
		}
	} else if strings.TrimSpace(c.DataDir) == "" {
		return &Error{"IDCARD_DATA_DIR", "must not be empty in embedded mode"}
	}
	if err := c.validateScaleOut(c.MySQLDSN, c.RedisURL); err != nil {
		return err
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return &Error{"IDCARD_REDIS_URL", "must be a redis:// or rediss:// URL"}
		}
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || u.Scheme == "" || u.Host == "" {
			return &Error{"IDCARD_PUBLIC_URL", "must be an absolute URL"}
		}
	}
	if u, err := url.Parse(c.WeChatAPI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &Error{"IDCARD_WECHAT_API", "must be an absolute http(s) URL"}
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return &Error{"IDCARD_LOG_FORMAT", "must be text or json"}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return &Error{"IDCARD_LOG_LEVEL", "must be debug, info, warn or error"}
	}
	if c.DBMaxOpen < 1 || c.DBMaxIdle < 0 || c.DBMaxIdle > c.DBMaxOpen {
		return &Error{"IDCARD_DB_MAX_OPEN", "pool sizes must satisfy 0 <= max idle <= max open, max open >= 1"}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return &Error{"IDCARD_TRUSTED_PROXIES", fmt.Sprintf("not an IP address or CIDR range (%q)", p)}
			}
		}
	}
	if c.RedisPoolSize < 1 {
		return &Error{"IDCARD_REDIS_POOL_SIZE", "must be at least 1"}
	}
	// Each bound must leave room inside the 5 s in which openapi.yaml promises a
	// 503 for a dependency that is down or hung.
	for _, d := range []struct {
		name string
		val  time.Duration
	}{{"IDCARD_DB_TIMEOUT", c.DBTimeout}, {"IDCARD_REDIS_TIMEOUT", c.RedisTimeout}} {
		if d.val <= 0 || d.val > 30*time.Second {
			return &Error{d.name, fmt.Sprintf("must be a positive duration of at most 30s (%s)", d.val)}
		}
	}
	if c.Crypto != suite.SM && c.Crypto != suite.AES {
		return &Error{"IDCARD_CRYPTO", "must be sm or aes"}
	}
	if c.RetentionYears < 1 || c.RetentionYears > 100 {
		return &Error{"IDCARD_RETENTION_YEARS", "must be a whole number of years from 1 to 100"}
	}
	if c.ShutdownTimeout <= 0 {
		return &Error{"IDCARD_SHUTDOWN_TIMEOUT", "must be a positive duration"}
	}
	for _, k := range []struct{ name, val string }{{"IDCARD_INDEX_KEY", c.IndexKey}, {"IDCARD_TOKEN_KEY", c.TokenKey}} {
		if k.val != "" {
			if b, err := base64.StdEncoding.DecodeString(k.val); err != nil || len(b) < 32 {
				return &Error{k.name, "must be base64 of at least 32 bytes"}
			}
		}
	}
	if err := c.validateSMS(); err != nil {
		return err
	}
	if err := c.validateRealName(); err != nil {
		return err
	}
	if err := c.validatePayment(); err != nil {
		return err
	}
	if !c.Embedded() && !c.Demo && (c.PIIKeys == "" || c.IndexKey == "" || c.TokenKey == "") {
		return &Error{"IDCARD_PII_KEYS", "production mode needs IDCARD_PII_KEYS, IDCARD_INDEX_KEY and IDCARD_TOKEN_KEY"}
	}
	return nil
}

// RealNameProviders are the real-person providers IDCARD_REALNAME_PROVIDER
// names, in order, without blanks.
func (c Config) RealNameProviders() []string {
	var out []string
	for _, p := range strings.Split(c.RealNameProvider, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// RealName reports whether IDCARD_REALNAME_PROVIDER names provider.
func (c Config) RealName(provider string) bool {
	return slices.Contains(c.RealNameProviders(), provider)
}

// validateRealName checks the real-person providers: wechat verifies on
// the mini-program's credentials, faceid needs every one of its settings
// and the public URL FaceID returns the browser to, demo is for demo mode
// only.
func (c Config) validateRealName() error {
	for _, p := range c.RealNameProviders() {
		switch p {
		case "wechat":
			if c.WeChatAppID == "" || c.WeChatSecret == "" {
				return &Error{"IDCARD_WECHAT_APPID", "IDCARD_REALNAME_PROVIDER=wechat verifies on the mini-program: set IDCARD_WECHAT_APPID and IDCARD_WECHAT_SECRET"}
			}
		case "faceid":
			for _, v := range []struct{ name, val string }{
				{"IDCARD_FACEID_SECRET_ID", c.FaceIDSecretID}, {"IDCARD_FACEID_SECRET_KEY", c.FaceIDSecretKey},
				{"IDCARD_FACEID_RULE_ID", c.FaceIDRuleID}, {"IDCARD_FACEID_ENDPOINT", c.FaceIDEndpoint},
				{"IDCARD_FACEID_REGION", c.FaceIDRegion},
				{"IDCARD_PUBLIC_URL", c.PublicURL},
			} {
				if v.val == "" {
					return &Error{v.name, "needed with IDCARD_REALNAME_PROVIDER=faceid"}
				}
			}
			if _, _, err := tencentcloud.ParseEndpoint(c.FaceIDEndpoint, tencentcloud.FaceIDEndpoint); err != nil {
				return &Error{"IDCARD_FACEID_ENDPOINT", err.Error()}
			}
		case "demo":
			if !c.Demo {
				return &Error{"IDCARD_REALNAME_PROVIDER", "demo only in demo mode (IDCARD_DEMO=true)"}
			}
		default:
			return &Error{"IDCARD_REALNAME_PROVIDER", fmt.Sprintf("a comma list of wechat, faceid or demo (%q)", p)}
		}
	}
	return nil
}

// validateSMS checks the SMS gateway: tencent needs every one of its
// settings, log is for demo mode only.
func (c Config) validateSMS() error {
	switch c.SMSProvider {
	case "":
		return nil
	case "log":
		if !c.Demo {
			return &Error{"IDCARD_SMS_PROVIDER", "log only in demo mode (IDCARD_DEMO=true)"}
		}
		return nil
	case "tencent":
	default:
		return &Error{"IDCARD_SMS_PROVIDER", fmt.Sprintf("must be tencent or log (%q)", c.SMSProvider)}
	}
	for _, v := range []struct{ name, val string }{
		{"IDCARD_SMS_SECRET_ID", c.SMSSecretID}, {"IDCARD_SMS_SECRET_KEY", c.SMSSecretKey}, {"IDCARD_SMS_APP_ID", c.SMSAppID},
		{"IDCARD_SMS_SIGN", c.SMSSign}, {"IDCARD_SMS_REGION", c.SMSRegion}, {"IDCARD_SMS_ENDPOINT", c.SMSEndpoint},
		{"IDCARD_SMS_TEMPLATES", c.SMSTemplates},
	} {
		if v.val == "" {
			return &Error{v.name, "needed with IDCARD_SMS_PROVIDER=tencent"}
		}
	}
	if _, _, err := tencent.ParseEndpoint(c.SMSEndpoint); err != nil {
		return &Error{"IDCARD_SMS_ENDPOINT", err.Error()}
	}
	if _, err := sms.ParseTemplates(c.SMSTemplates); err != nil {
		return &Error{"IDCARD_SMS_TEMPLATES", err.Error()}
	}
	return nil
}

// ListenURL is the base URL to print for people: the public URL when set,
// else the listen address on localhost.
func (c Config) ListenURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	host, port, _ := net.SplitHostPort(c.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) fail(name, msg string) {
	if r.err == nil {
		r.err = &Error{name, msg}
	}
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, fmt.Sprintf("not a boolean (%q)", v))
	}
	return b
}

func (r *reader) integer(name string, def int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		r.fail(name, fmt.Sprintf("not an integer (%q)", v))
	}
	return n
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(name, fmt.Sprintf("not a duration like 15s (%q)", v))
	}
	return d
}
