package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/secrets"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/signin"
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
	box, err := pii.NewBox(keys.PII, keys.IndexKey)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{
		MySQLDSN: cfg.MySQLDSN, DataDir: cfg.DataDir,
		MaxOpen: cfg.DBMaxOpen, MaxIdle: cfg.DBMaxIdle, Timeout: cfg.DBTimeout, Logger: env.log,
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

// openRedis adds the Redis side (embedded or real) to a.
func (a *app) openRedis(ctx context.Context, env *cmdEnv) error {
	r, err := kv.OpenTimeout(ctx, env.cfg.RedisURL, env.cfg.RedisPoolSize, env.cfg.RedisTimeout)
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
	signer, err := pickup.NewSigner(a.keys.TokenKey, 0)
	if err != nil {
		return nil, fmt.Errorf("IDCARD_TOKEN_KEY: %w", err)
	}
	o := service.Options{Store: st, Calendar: cal, Tokens: signer, Logger: env.log}
	if a.redis != nil {
		o.Limiter = signin.NewLimiter(a.redis.Client, "")
		o.Cache = kv.NewCache(a.redis.Client, "")
	}
	return service.New(o), nil
}

// newSignIn builds applicant and staff sign-in on the opened storage and
// Redis; mini is the mini-program's code2session, or nil.
func newSignIn(env *cmdEnv, a *app, st *store.Store, mini signin.WeChatProvider) *signin.Service {
	return signin.New(signin.Options{Store: st, Logger: env.log, Demo: env.cfg.Demo,
		Redis: a.redis.Client, Limiter: signin.NewLimiter(a.redis.Client, ""), WeChat: mini})
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
