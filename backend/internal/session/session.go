// Package session configures the scs session managers: one Redis store, a
// cookie for browsers and a bearer token for the mini-program.
package session

import (
	"net/http"
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

// Managers holds the two session managers; both keep their data in Redis.
type Managers struct {
	Staff     *scs.SessionManager
	Applicant *scs.SessionManager
}

// New returns the managers backed by client. secure marks the cookies Secure
// (set it when the service is behind TLS).
func New(client *redis.Client, secure bool) *Managers {
	// One Redis, a key prefix per kind of session, so a token of one kind
	// never loads as the other.
	mk := func(name, path string, idle, life time.Duration) *scs.SessionManager {
		m := scs.New()
		m.Store = goredisstore.NewWithPrefix(client, "idcard:sess:"+name+":")
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
		Staff:     mk("idcard_staff", "/", StaffIdle, StaffLifetime),
		Applicant: mk("idcard_citizen", "/", ApplicantIdle, ApplicantLifetime),
	}
}
