// Package session configures the scs session managers: one Redis store (in
// embedded mode a folder of files, FileStore), a cookie for browsers and a
// bearer token for the mini-program.
package session

import (
	"net/http"
	"path/filepath"
	"time"

	"github.com/alexedwards/scs/goredisstore"
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
	Staff     *scs.SessionManager
	Applicant *scs.SessionManager
}

// New returns the managers backed by client. secure marks the cookies Secure
// (set it when the service is behind TLS).
func New(client *redis.Client, secure bool) *Managers {
	// One Redis, a key prefix per kind of session, so a token of one kind
	// never loads as the other.
	return newManagers(func(name string) scs.Store {
		return goredisstore.NewWithPrefix(client, "idcard:sess:"+name+":")
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
	mk := func(name, path string, idle, life time.Duration) *scs.SessionManager {
		m := scs.New()
		m.Store = storeOf(name)
		m.IdleTimeout = idle
		m.Lifetime = life
		m.Cookie.Name = name
		m.Cookie.Path = path
		m.Cookie.HttpOnly = true
		m.Cookie.SameSite = http.SameSiteLaxMode
		m.Cookie.Secure = secure
		m.Cookie.Persist = false
		return m
	}
	return &Managers{
		Staff:     mk(staffCookie, "/", StaffIdle, StaffLifetime),
		Applicant: mk(applicantCookie, "/", ApplicantIdle, ApplicantLifetime),
	}
}
