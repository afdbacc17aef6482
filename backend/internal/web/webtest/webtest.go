// Package webtest is the kit of the HTTP tests. Start runs the whole service
// for a test: a real migrated database (SQLite, or MariaDB with
// IDCARD_TEST_MYSQL_DSN), Redis (in-process, or the server of
// IDCARD_TEST_REDIS_URL), demo data, the service and the router, behind an
// httptest server. Client talks to it (cookies or bearer token, JSON, forms
// and uploads, optional OpenAPI contract checks, client.go); StaffPages,
// StaffAPI and Applicant sign in (signin.go); Photo makes a GA 461 photo
// (photo.go); NewCase and Submit make cases (case.go) and Drive takes one to
// a status (drive.go); Want, Has and Redirect check answers (want.go), Cells
// and Denied read staff pages (html.go), PickupToken decodes a pickup QR
// code (pickup.go).
package webtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/gzga/idcard/backend/internal/payment"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/config"
	"github.com/gzga/idcard/backend/internal/demo"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/ratelimit"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/session"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
	"github.com/gzga/idcard/backend/internal/suite"
	"github.com/gzga/idcard/backend/internal/web"
	"github.com/gzga/idcard/frontend"
	"github.com/gzga/idcard/static"
	"github.com/gzga/idcard/templates"
)

// Env is a running service.
type Env struct {
	URL     string
	Store   *store.Store
	Service *service.Service
	Redis   *kv.Redis
	Tokens  *pickup.Signer // signs the service's pickup tokens
	// With Options.Proxied: the fault-injection proxies the service dials
	// its database (MySQL only; nil on SQLite) and Redis through.
	DBProxy, RedisProxy *Proxy
	logs                *lockedBuffer
	codes               *codeInbox

	mu  sync.Mutex
	seq int // NewPerson's and NewApplicant's serial
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Logs returns what the service logged so far.
func (e *Env) Logs() string { return e.logs.String() }

// codeInbox is the SMS gateway of the tests' sign-in: it keeps the newest
// code sent to each phone.
type codeInbox struct {
	mu    sync.Mutex
	codes map[string]string
}

// SendCode keeps the code.
func (b *codeInbox) SendCode(_ context.Context, phone, code string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.codes[phone] = code
	return nil
}

// LastCode returns the newest SMS code sent to phone.
func (e *Env) LastCode(phone string) string {
	e.codes.mu.Lock()
	defer e.codes.mu.Unlock()
	return e.codes.codes[phone]
}

// Options size the demo data.
type Options struct {
	Persons int // synthetic registry size (default 100)
	Cases   int // demo cases over every status (default none)
	// Clock pins the service's clock and the demo data's today (default
	// the wall clock).
	Clock func() time.Time
	// Proxied puts a fault-injection Proxy between the service and Redis
	// (in-process or IDCARD_TEST_REDIS_URL's) and, on MySQL, the database,
	// and bounds their calls by the shipped IDCARD_DB_TIMEOUT and
	// IDCARD_REDIS_TIMEOUT defaults, as a deployment runs.
	Proxied bool
	// RealPersonWeb, when set, gives sign-in the H5's real-person provider
	// in any browser (e.g. a faceid.Provider on a local fake), built with
	// the server's base URL and its Redis (keys under prefix).
	RealPersonWeb func(publicURL string, rdb redis.UniversalClient, prefix string) signin.RealPersonProvider
	// Payments, when set, gives the service its payment provider for the
	// server at publicURL; the demo provider otherwise.
	Payments func(publicURL string) payment.Provider
	// Production runs the service as outside demo mode: administrators and
	// supervisors must enrol a second factor first, an expired password
	// must be changed first (service.Options.Production).
	Production bool
}

// Start runs the service with a small registry until t ends.
func Start(t testing.TB) *Env {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith runs the service with the demo data sized by o until t ends.
func StartWith(t testing.TB, o Options) *Env {
	t.Helper()
	if o.Persons == 0 {
		o.Persons = 100
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	// Setting up is a batch, not a request under test: no per-call deadline.
	ctx := store.Unbounded(context.Background())
	env := &Env{}
	var dbTimeout, redisTimeout time.Duration
	if o.Proxied {
		cfg, err := config.Load(func(string) string { return "" }, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		dbTimeout, redisTimeout = cfg.DBTimeout, cfg.RedisTimeout
	}
	var db *store.DB
	var st *store.Store
	if o.Proxied {
		db, st = storetest.OpenStoreVia(t, func(addr string) string {
			env.DBProxy = NewProxy(t, "database", addr)
			return env.DBProxy.Addr
		}, dbTimeout)
	} else {
		db, st = storetest.OpenStore(t)
	}
	if _, err := demo.Load(ctx, st, demo.Options{Demo: true, DemoPassword: "demo1234", Persons: o.Persons,
		Today: o.Clock().In(calendar.Location()), Location: calendar.Location()}); err != nil {
		t.Fatal(err)
	}
	r, err := kv.Open(ctx, os.Getenv("IDCARD_TEST_REDIS_URL"), 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	if o.Proxied {
		ro := r.Client.(*redis.Client).Options() // kv.Open gives a single-node client
		env.RedisProxy = NewProxy(t, "redis", ro.Addr)
		r, err = kv.OpenTimeout(ctx, fmt.Sprintf("redis://%s/%d", env.RedisProxy.Addr, ro.DB), 10, redisTimeout)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Close() })
	}
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(logs), &slog.HandlerOptions{Level: slog.LevelInfo}))
	cal, err := service.LoadCalendar(ctx, st, log)
	if err != nil {
		t.Fatal(err)
	}
	if o.Cases > 0 {
		if _, err := demo.Cases(ctx, st, cal, o.Cases, o.Clock()); err != nil {
			t.Fatal(err)
		}
	}
	signer, err := pickup.NewSigner(suite.SM, bytes.Repeat([]byte{5}, 32), 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "idcard-test-" + hex.EncodeToString(b) + ":"
	limiter := ratelimit.New(r.Client, prefix)
	srv := httptest.NewUnstartedServer(nil)
	var pay payment.Provider = payment.Demo{}
	if o.Payments != nil {
		pay = o.Payments("http://" + srv.Listener.Addr().String())
	}
	svc := service.New(service.Options{Store: st, Calendar: cal, Tokens: signer, Logger: log,
		Limiter: limiter, Cache: kv.NewCache(r.Client, prefix), Clock: o.Clock, Payments: pay, Production: o.Production})
	codes := &codeInbox{codes: map[string]string{}}
	var browser signin.RealPersonProvider
	if o.RealPersonWeb != nil {
		browser = o.RealPersonWeb("http://"+srv.Listener.Addr().String(), r.Client, prefix)
	}
	in := signin.New(signin.Options{Store: st, Logger: log, Redis: r.Client, Limiter: limiter, Codes: codes, Demo: true,
		KeyPrefix: prefix, Clock: o.Clock, RealPersonWeb: browser})
	h, err := web.New(web.Deps{Logger: log, DB: db.SQL(), Sessions: session.New(r.Client, false), Service: svc, SignIn: in,
		Frontend: frontend.FS(), Static: static.FS(), Templates: templates.FS(),
		Checks: []web.Check{{Name: "database", Ping: db.Ping}, {Name: "redis", Ping: r.Ping}}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	env.URL, env.Store, env.Service, env.Redis, env.Tokens, env.logs, env.codes = srv.URL, st, svc, r, signer, logs, codes
	return env
}

// DeliverOutbox delivers every due notification now (the jobs' work).
func (e *Env) DeliverOutbox(t testing.TB) {
	t.Helper()
	for {
		n, err := notify.New(notify.Options{Store: e.Store}).Deliver(context.Background(), "test", 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}
