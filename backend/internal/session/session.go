// Package session configures the scs session managers: one Redis store (in
// embedded mode a folder of files, FileStore), a cookie for browsers and a
// bearer token for the mini-program.
package session

import (
	"context"
	"net/http"
	"path/filepath"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/redis/go-redis/v9"
)

// Staff session limits of the security rules: idle 30 minutes, absolute 12 hours.
const (
	StaffIdle     = 30 * time.Minute
	StaffLifetime = 12 * time.Hour
	// Applicants sign in on their own phones: a week at most, a day idle.
	ApplicantIdle     = 24 * time.Hour
	ApplicantLifetime = 7 * 24 * time.Hour
)

// Managers holds the two session managers; both keep their data in Redis,
// or in embedded mode in files of the data directory.
type Managers struct {
	Staff     *Manager
	Applicant *Manager
}

// Manager is one kind of session: an scs manager whose idle expiry is kept
// lazily. scs's own IdleTimeout marks every loaded session modified, so
// each request that merely reads would rewrite the session in the store and
// send a Set-Cookie; here the session holds the end of its idle period
// (idleKey), a request moves it on only once a quarter of the period has
// passed (Handler), and the store keeps the session no longer than that end
// (idleStore). A session is thus rewritten at most once per Idle/4, however
// many requests read it.
type Manager struct {
	*scs.SessionManager
	// Idle is how long a session lasts without a request.
	Idle time.Duration
	now  func() time.Time
}

// idleKey holds, in a session, the end of its idle period (Unix seconds).
const idleKey = "idle_until"

// Handler loads the session around next (scs's LoadAndSave) and moves its
// idle period on when a quarter of it has passed; a session whose period
// ran out is ended.
func (m *Manager) Handler(next http.Handler) http.Handler {
	return m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if m.Token(ctx) != "" {
			now := m.now()
			until := m.GetInt64(ctx, idleKey)
			switch left := time.Unix(until, 0).Sub(now); {
			case until != 0 && left <= 0:
				if err := m.Destroy(ctx); err != nil {
					m.ErrorFunc(w, r, err)
					return
				}
			case left < m.Idle-m.Idle/4:
				m.touch(ctx, now)
			}
		}
		next.ServeHTTP(w, r)
	}))
}

// touch starts a new idle period at now.
func (m *Manager) touch(ctx context.Context, now time.Time) {
	m.Put(ctx, idleKey, now.Add(m.Idle).Unix())
}

// Begin starts a new session (a fresh token: no fixation) holding key=id
// and saves it at once; it returns the token for bearer clients.
func (m *Manager) Begin(ctx context.Context, key string, id int64) (string, time.Time, error) {
	if err := m.RenewToken(ctx); err != nil {
		return "", time.Time{}, err
	}
	m.Put(ctx, key, id)
	m.touch(ctx, m.now())
	return m.Commit(ctx)
}

// idleStore keeps a session in the store until the end of its idle period
// when that comes before its absolute expiry.
type idleStore struct {
	inner scs.Store
	codec scs.Codec
}

func (s idleStore) expiry(b []byte, expiry time.Time) time.Time {
	if _, vals, err := s.codec.Decode(b); err == nil {
		if until, ok := vals[idleKey].(int64); ok {
			if t := time.Unix(until, 0); t.Before(expiry) {
				return t
			}
		}
	}
	return expiry
}

// FindCtx implements scs.CtxStore.
func (s idleStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if cs, ok := s.inner.(scs.CtxStore); ok {
		return cs.FindCtx(ctx, token)
	}
	return s.inner.Find(token)
}

// CommitCtx implements scs.CtxStore.
func (s idleStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	expiry = s.expiry(b, expiry)
	if cs, ok := s.inner.(scs.CtxStore); ok {
		return cs.CommitCtx(ctx, token, b, expiry)
	}
	return s.inner.Commit(token, b, expiry)
}

// DeleteCtx implements scs.CtxStore.
func (s idleStore) DeleteCtx(ctx context.Context, token string) error {
	if cs, ok := s.inner.(scs.CtxStore); ok {
		return cs.DeleteCtx(ctx, token)
	}
	return s.inner.Delete(token)
}

// Find implements scs.Store.
func (s idleStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s idleStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s idleStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// New returns the managers backed by client (one server, Sentinel or
// Cluster). secure marks the cookies Secure
// (set it when the service is behind TLS).
func New(client redis.UniversalClient, secure bool) *Managers {
	// One Redis, a key prefix per kind of session, so a token of one kind
	// never loads as the other.
	return newManagers(func(name string) scs.Store {
		return redisStore{client: client, prefix: "idcard:sess:" + name + ":"}
	}, secure)
}

// OnDisk returns the managers of embedded mode, whose sessions are files
// under dir (FileStore), a folder per kind of session, so that they survive
// a restart of the process. secure is as for New.
func OnDisk(dir string, secure bool) (*Managers, error) {
	stores := map[string]scs.Store{}
	for _, name := range []string{staffCookie, applicantCookie} {
		fs, err := NewFileStore(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		stores[name] = fs
	}
	return newManagers(func(name string) scs.Store { return stores[name] }, secure), nil
}

// The cookie names, which also name each kind's store.
const (
	staffCookie     = "idcard_staff"
	applicantCookie = "idcard_citizen"
)

// newManagers builds the two managers on the store that storeOf gives each
// cookie name.
func newManagers(storeOf func(name string) scs.Store, secure bool) *Managers {
	mk := func(name, path string, idle, life time.Duration) *Manager {
		m := scs.New()
		m.Codec = codec{}
		m.Store = idleStore{inner: storeOf(name), codec: m.Codec}
		m.Lifetime = life
		m.Cookie.Name = name
		m.Cookie.Path = path
		m.Cookie.HttpOnly = true
		m.Cookie.SameSite = http.SameSiteLaxMode
		m.Cookie.Secure = secure
		m.Cookie.Persist = false
		return &Manager{SessionManager: m, Idle: idle, now: time.Now}
	}
	return &Managers{
		Staff:     mk(staffCookie, "/", StaffIdle, StaffLifetime),
		Applicant: mk(applicantCookie, "/", ApplicantIdle, ApplicantLifetime),
	}
}
