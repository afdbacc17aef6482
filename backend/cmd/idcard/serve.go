package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gzga/idcard/backend/internal/jobs"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/session"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web"
	"github.com/gzga/idcard/frontend"
	"github.com/gzga/idcard/static"
	"github.com/gzga/idcard/templates"
)

func runServe(ctx context.Context, env *cmdEnv, _ []string) error {
	cfg := env.cfg
	if err := cfg.CheckChannels(); err != nil {
		return err
	}
	a, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer func() {
		if err := a.close(); err != nil {
			env.log.Warn("closing storage", "error", err)
		}
	}()
	mode := "production"
	if cfg.Embedded() {
		mode = "embedded"
	}
	env.log.Info("storage chosen", "mode", mode, "database", a.db.Where(), "demo", cfg.Demo)
	if cfg.Migrate {
		res, err := a.db.MigrateUp(ctx)
		if err != nil {
			return err
		}
		env.log.Info("migrations applied", "count", len(res))
	}
	if err := a.openRedis(ctx, env); err != nil {
		return err
	}
	env.log.Info("redis chosen", "redis", a.redis.Where())
	st := store.New(a.db, a.box)
	if cfg.Demo {
		// Seeding a registry is one long batch, not a request.
		if err := seedOnFirstStart(store.Unbounded(ctx), env, st); err != nil {
			return err
		}
	}

	svc, err := newService(ctx, env, a, st)
	if err != nil {
		return err
	}
	smsOut, err := newSMS(env, a)
	if err != nil {
		return err
	}
	wx := newWeChat(cfg, a.redis.Client)
	face, err := newFaceID(env, a)
	if err != nil {
		return err
	}
	var jobsDone chan struct{}
	jctx, stopJobs := context.WithCancel(context.Background())
	defer stopJobs()
	if cfg.JobsEnabled {
		jobsDone = make(chan struct{})
		senders := wx.senders()
		senders.SMS = smsOut.outbox
		runner := jobs.New(svc, notify.New(notify.Options{Store: st, Logger: env.log, Senders: senders}), env.log)
		go func() { runner.Run(jctx); close(jobsDone) }()
	}

	// The in-process Redis forgets everything when the process ends: there
	// the sessions live in files beside the database instead.
	sessions := session.New(a.redis.Client, cfg.CookieSecure)
	if a.redis.Embedded() {
		if sessions, err = session.OnDisk(filepath.Join(cfg.DataDir, "sessions"), cfg.CookieSecure); err != nil {
			return err
		}
	}

	var draining atomic.Bool
	handler, err := web.New(web.Deps{
		Draining:        draining.Load,
		OfficialAccount: wx.officialAccount(),
		TrustedProxies:  cfg.TrustedProxies,
		Logger:          env.log,
		Checks: []web.Check{
			{Name: "database", Ping: a.db.Ping},
			{Name: "redis", Ping: a.redis.Ping},
		},
		DB:        a.db.SQL(),
		Sessions:  sessions,
		Service:   svc,
		SignIn:    newSignIn(env, a, st, smsOut.codes, wx, face),
		Frontend:  frontend.FS(),
		Static:    static.FS(),
		Templates: templates.FS(),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("IDCARD_ADDR: %w", err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	printBanner(env, ln.Addr())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Drain: /readyz answers 503 first, so the load balancer stops sending
	// new requests, then the listener closes and in-flight requests finish.
	draining.Store(true)
	if cfg.DrainDelay > 0 {
		env.log.Info("draining: readiness answers 503", "delay", cfg.DrainDelay)
		select {
		case <-time.After(cfg.DrainDelay):
		case err := <-served:
			return err
		}
	}
	env.log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopJobs()
	if jobsDone != nil {
		<-jobsDone
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	env.log.Info("stopped")
	return nil
}

// seedOnFirstStart loads the demo data when the database has none yet, so a
// restart never reloads or duplicates it.
func seedOnFirstStart(ctx context.Context, env *cmdEnv, st *store.Store) error {
	n, err := st.Q(ctx).CountStaff()
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	_, err = loadSeed(ctx, env, st, 0)
	return err
}

func printBanner(env *cmdEnv, addr net.Addr) {
	base := env.cfg.ListenURL()
	if env.cfg.PublicURL == "" {
		_, port, _ := net.SplitHostPort(addr.String())
		host, _, _ := net.SplitHostPort(env.cfg.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n  居民身份证网上办理 idcard is serving\n")
	fmt.Fprintf(&b, "  server      %s\n", base)
	fmt.Fprintf(&b, "  citizen H5  %s/m/\n", base)
	fmt.Fprintf(&b, "  staff       %s/staff/\n", base)
	fmt.Fprintf(&b, "  health      %s/healthz  %s/readyz  %s/metrics\n", base, base, base)
	if env.cfg.Demo {
		fmt.Fprintf(&b, "\n  demo staff accounts (password %q):\n", env.cfg.DemoPassword)
		fmt.Fprintf(&b, "    station-520102   station officer, 南明区 (every county: station-<county code>)\n")
		fmt.Fprintf(&b, "    county-520102    county reviewer, 南明区 (every county: county-<county code>)\n")
		fmt.Fprintf(&b, "    production       production centre operator\n")
		fmt.Fprintf(&b, "    supervisor-5201  supervisor, 贵阳市 (every prefecture); supervisor: whole province\n")
		fmt.Fprintf(&b, "    admin            administrator\n")
		fmt.Fprintf(&b, "  demo citizens: 张三 52010219900101123X, 李梅 520103198506150026, 王五 520302195803200019,\n")
		fmt.Fprintf(&b, "    杨小明 522601201207050034, 吴丽 520402200302110049\n")
		fmt.Fprintf(&b, "    (sign in by phone: the SMS code is logged, phone masked; the face check of binding is simulated)\n")
	}
	fmt.Fprintln(env.stdout, b.String())
}
