// Package webtest starts the whole HTTP service for tests: a real migrated
// database (SQLite, or MariaDB with IDCARD_TEST_MYSQL_DSN), Redis (in-process,
// or the server of IDCARD_TEST_REDIS_URL), demo data, the service and the
// router, behind an httptest server.
package webtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/demo"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/session"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
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
	logs    *lockedBuffer
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

var codeRe = regexp.MustCompile(`phone=(\d{11}) code=(\d{6})`)

// LastCode returns the newest SMS code logged for phone (demo mode logs them).
func (e *Env) LastCode(phone string) string {
	code := ""
	for _, m := range codeRe.FindAllStringSubmatch(e.logs.String(), -1) {
		if m[1] == phone {
			code = m[2]
		}
	}
	return code
}

// Options size the demo data.
type Options struct {
	Persons int // synthetic registry size (default 100)
	Cases   int // demo cases over every status (default none)
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
	ctx := context.Background()
	db, st := storetest.OpenStore(t)
	if _, err := demo.Load(ctx, st, demo.Options{Demo: true, DemoPassword: "demo1234", Persons: o.Persons,
		Today: time.Now().In(calendar.Location()), Location: calendar.Location()}); err != nil {
		t.Fatal(err)
	}
	r, err := kv.Open(ctx, os.Getenv("IDCARD_TEST_REDIS_URL"), 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(logs), &slog.HandlerOptions{Level: slog.LevelInfo}))
	cal, err := service.LoadCalendar(ctx, st, log)
	if err != nil {
		t.Fatal(err)
	}
	if o.Cases > 0 {
		if _, err := demo.Cases(ctx, st, cal, o.Cases, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	signer, err := pickup.NewSigner(bytes.Repeat([]byte{5}, 32), 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	svc := service.New(service.Options{Store: st, Calendar: cal, Tokens: signer, Logger: log, Redis: r.Client, Demo: true,
		KeyPrefix: "idcard-test-" + hex.EncodeToString(b) + ":"})
	h, err := web.New(web.Deps{Logger: log, DB: db.SQL(), Sessions: session.New(r.Client, false), Service: svc,
		Frontend: frontend.FS(), Static: static.FS(), Templates: templates.FS(),
		Checks: []web.Check{{Name: "database", Ping: db.Ping}, {Name: "redis", Ping: r.Ping}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Env{URL: srv.URL, Store: st, Service: svc, Redis: r, logs: logs}
}

// DeliverOutbox delivers every due notification now (the jobs' work).
func (e *Env) DeliverOutbox(t testing.TB) {
	t.Helper()
	for {
		n, err := e.Service.DeliverOutbox(context.Background(), "test", 100, service.Senders{})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}
