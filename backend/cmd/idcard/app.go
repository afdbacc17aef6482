package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/ratelimit"
	"github.com/gzga/idcard/backend/internal/secrets"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/sms/tencent"
	"github.com/gzga/idcard/backend/internal/store"
)

// app is the opened storage every command works on.
type app struct {
	db    *store.DB
	redis *kv.Redis
	keys  secrets.Keys
	box   *pii.Box
}

// openDB opens the database of the configuration and resolves the keys.
func openDB(ctx context.Context, env *cmdEnv) (*app, error) {
	cfg := env.cfg
	keys, err := secrets.Resolve(cfg.PIIKeys, cfg.IndexKey, cfg.TokenKey, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	box, err := pii.NewBox(cfg.Crypto, keys.PII, keys.IndexKey)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{
		MySQLDSN: cfg.MySQLDSN, DataDir: cfg.DataDir,
		MaxOpen: cfg.DBMaxOpen, MaxIdle: cfg.DBMaxIdle, Timeout: cfg.DBTimeout, Logger: env.log,
		ReplicaDSNs: cfg.ReplicaDSNs, ReplicaMaxLag: cfg.ReplicaMaxLag,
	})
	if err != nil {
		return nil, err
	}
	return &app{db: db, keys: keys, box: box}, nil
}

// openStore opens the database, brings its schema up to date and returns
// the repositories on it: what the one-shot commands work on.
func openStore(ctx context.Context, env *cmdEnv) (*app, *store.Store, error) {
	a, err := openDB(ctx, env)
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.db.MigrateUp(ctx); err != nil {
		_ = a.close()
		return nil, nil, err
	}
	return a, store.New(a.db, a.box), nil
}

// openCalendar opens the store, as openStore does, and loads the working-day
// calendar, for the commands that count working days.
func openCalendar(ctx context.Context, env *cmdEnv) (*app, *store.Store, *calendar.Calendar, error) {
	a, st, err := openStore(ctx, env)
	if err != nil {
		return nil, nil, nil, err
	}
	cal, err := service.LoadCalendar(ctx, st, env.log)
	if err != nil {
		_ = a.close()
		return nil, nil, nil, err
	}
	return a, st, cal, nil
}

// openRedis adds the Redis side (embedded or real) to a.
func (a *app) openRedis(ctx context.Context, env *cmdEnv) error {
	cfg := env.cfg
	r, err := kv.OpenTarget(ctx, kv.Target{URL: cfg.RedisURL, Sentinels: cfg.RedisSentinels, Master: cfg.RedisMaster, Cluster: cfg.RedisCluster},
		cfg.RedisPoolSize, cfg.RedisTimeout)
	if err != nil {
		return err
	}
	a.redis = r
	return nil
}

// newService builds the use-case layer on the opened storage.
func newService(ctx context.Context, env *cmdEnv, a *app, st *store.Store) (*service.Service, error) {
	cal, err := service.LoadCalendar(ctx, st, env.log)
	if err != nil {
		return nil, err
	}
	signer, err := pickup.NewSigner(env.cfg.Crypto, a.keys.TokenKey, 0)
	if err != nil {
		return nil, fmt.Errorf("IDCARD_TOKEN_KEY: %w", err)
	}
	pay, err := newPayments(env)
	if err != nil {
		return nil, err
	}
	o := service.Options{Store: st, Calendar: cal, Tokens: signer, Logger: env.log, Payments: pay, Production: !env.cfg.Demo,
		Retention: time.Duration(env.cfg.RetentionYears) * 365 * 24 * time.Hour}
	if a.redis != nil {
		o.Limiter = ratelimit.New(a.redis.Client, "")
		o.Cache = kv.NewCache(a.redis.Client, "")
	}
	return service.New(o), nil
}

// newSignIn builds applicant and staff sign-in on the opened storage and
// Redis: codes sends the SMS sign-in codes (nil: logged in demo mode,
// refused otherwise); wx gives the mini-program's code2session and the
// WeChat real-person provider when the mini-program is configured; browser
// is the H5's real-person provider in any browser (FaceID), or nil.
func newSignIn(env *cmdEnv, a *app, st *store.Store, codes signin.CodeSender, wx wechatApps, browser signin.RealPersonProvider) *signin.Service {
	return signin.New(signin.Options{Store: st, Logger: env.log, Demo: env.cfg.Demo, Codes: codes,
		Redis: a.redis.Client, Limiter: ratelimit.New(a.redis.Client, ""), WeChat: wx.miniProgram(), RealPerson: wx.realPerson(),
		RealPersonWeb: browser})
}

// smsChannels are the SMS senders of the configured gateway: sign-in codes
// and the outbox's channel. With no real gateway both are nil: sign-in
// logs codes in demo mode (phone masked) and refuses them otherwise, and the
// outbox logs what it would send.
type smsChannels struct {
	codes  signin.CodeSender
	outbox notify.Sender
}

// newSMS builds the SMS channels of IDCARD_SMS_PROVIDER (config.Validate
// has checked its settings).
func newSMS(env *cmdEnv, a *app) (smsChannels, error) {
	cfg := env.cfg
	if cfg.SMSProvider != "tencent" {
		return smsChannels{}, nil
	}
	templates, err := sms.ParseTemplates(cfg.SMSTemplates)
	if err != nil {
		return smsChannels{}, fmt.Errorf("IDCARD_SMS_TEMPLATES: %w", err)
	}
	g, err := tencent.New(tencent.Config{SecretID: cfg.SMSSecretID, SecretKey: cfg.SMSSecretKey, AppID: cfg.SMSAppID,
		Sign: cfg.SMSSign, Region: cfg.SMSRegion, Endpoint: cfg.SMSEndpoint})
	if err != nil {
		return smsChannels{}, fmt.Errorf("IDCARD_SMS_PROVIDER: %w", err)
	}
	return smsChannels{
		codes:  signin.NewSMSCodes(g, templates),
		outbox: notify.NewSMSSender(g, templates, ratelimit.New(a.redis.Client, "")),
	}, nil
}

func (a *app) close() error {
	var errs []error
	if a.redis != nil {
		errs = append(errs, a.redis.Close())
	}
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	return errors.Join(errs...)
}
