package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/session"
)

// Session keys.
const (
	keyApplicant = "applicant_id"
	keyStaff     = "staff_id"
)

// withSessions loads around each request the one session its surface uses
// (surfaceOf): the staff session for the staff pages and API, the
// applicant's for the rest of the API and the H5, none for static files and
// the service endpoints. The session comes from its cookie, or from an
// "Authorization: Bearer" token (the mini-program and outside systems).
func (s *Server) withSessions(next http.Handler) http.Handler {
	if s.deps.Sessions == nil {
		return next
	}
	sm := s.deps.Sessions
	for _, m := range []*scs.SessionManager{sm.Staff.SessionManager, sm.Applicant.SessionManager} {
		if cs, ok := m.Store.(scs.CtxStore); ok {
			m.Store = failFast{cs}
		}
		m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
			s.log.Warn("session store unavailable", "error", err)
			answerOnce(w, r, http.StatusServiceUnavailable, domain.CodeUnavailable, domain.CodeUnavailable.Message())
		}
	}
	staff, applicant := sm.Staff.Handler(next), sm.Applicant.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, inner := sm.Applicant, applicant
		switch surfaceOf(r.URL.Path) {
		case surfaceNone:
			next.ServeHTTP(w, r)
			return
		case surfaceStaff:
			m, inner = sm.Staff, staff
		}
		if tok, ok := bearer(r); ok {
			r.Header.Del("Cookie")
			r.AddCookie(&http.Cookie{Name: m.Cookie.Name, Value: tok})
		}
		r = r.WithContext(context.WithValue(r.Context(), storeDownKey{}, new(atomic.Bool)))
		inner.ServeHTTP(&onceWriter{ResponseWriter: w}, r)
	})
}

// surface says which session a request needs.
type surface int

const (
	surfaceApplicant surface = iota
	surfaceStaff
	surfaceNone
)

// surfaceOf is the session of a path: the staff pages and the staff API
// read the staff session only, static files and the service endpoints
// none, everything else (the applicant API, the H5) the applicant's.
func surfaceOf(path string) surface {
	switch {
	case under(path, "/staff"), under(path, "/api/v1/staff"):
		return surfaceStaff
	case under(path, "/static"), path == "/healthz", path == "/readyz", path == "/metrics", path == "/api/openapi.yaml":
		return surfaceNone
	}
	return surfaceApplicant
}

// under reports whether path is dir or inside it.
func under(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+"/")
}

// failFast is a session store that fails at once, for the rest of a
// request, after one of its calls failed in that request: scs saves a
// changed session again when the answer starts, and a Redis that is down
// should cost the request one timeout, not one per attempt.
type failFast struct{ scs.CtxStore }

// storeDownKey marks, in a request's context, that its session store failed.
type storeDownKey struct{}

var errStoreDown = domain.Wrap(domain.CodeUnavailable, errors.New("session store: failed earlier in this request"))

func storeDown(ctx context.Context, err error) bool {
	down, _ := ctx.Value(storeDownKey{}).(*atomic.Bool)
	if down == nil {
		return false
	}
	if err != nil {
		down.Store(true)
	}
	return down.Load()
}

// FindCtx loads a session unless the store already failed this request.
func (f failFast) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if storeDown(ctx, nil) {
		return nil, false, errStoreDown
	}
	b, ok, err := f.CtxStore.FindCtx(ctx, token)
	storeDown(ctx, err)
	return b, ok, err
}

// CommitCtx saves a session unless the store already failed this request.
func (f failFast) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if storeDown(ctx, nil) {
		return errStoreDown
	}
	err := f.CtxStore.CommitCtx(ctx, token, b, expiry)
	storeDown(ctx, err)
	return err
}

// DeleteCtx ends a session unless the store already failed this request.
func (f failFast) DeleteCtx(ctx context.Context, token string) error {
	if storeDown(ctx, nil) {
		return errStoreDown
	}
	err := f.CtxStore.DeleteCtx(ctx, token)
	storeDown(ctx, err)
	return err
}

// onceWriter lets the session store's error answer be the whole response:
// scs saves a changed session when the handler starts writing, and when
// that save fails the handler's own answer must not follow the 503.
type onceWriter struct {
	http.ResponseWriter
	closed bool
}

func (o *onceWriter) WriteHeader(code int) {
	if !o.closed {
		o.ResponseWriter.WriteHeader(code)
	}
}

func (o *onceWriter) Write(b []byte) (int, error) {
	if o.closed {
		return len(b), nil
	}
	return o.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the writer underneath.
func (o *onceWriter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

// answerOnce writes the error answer through the request's onceWriter
// (found under scs's writers) and closes it to anything written after.
func answerOnce(w http.ResponseWriter, r *http.Request, status int, code domain.Code, msg string) {
	for u := w; u != nil; {
		if o, ok := u.(*onceWriter); ok {
			if !o.closed {
				answerError(o, r, status, code, msg)
				o.closed = true
			}
			return
		}
		uw, ok := u.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		u = uw.Unwrap()
	}
	answerError(w, r, status, code, msg)
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// tokenAnswer is the sign-in answer of openapi.yaml.
type tokenAnswer struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
	Bound     *bool  `json:"bound,omitempty"`
	Role      string `json:"role,omitempty"`
}

// signIn starts a new session (a fresh token: no fixation) holding key=id
// and returns its token for bearer clients.
func signIn(ctx context.Context, m *session.Manager, key string, id int64) (string, time.Time, error) {
	return m.Begin(ctx, key, id)
}

// applicantActor reads the signed-in applicant; 401 when there is none.
func (s *Server) applicantActor(c *gin.Context) (service.Actor, bool) {
	id := s.deps.Sessions.Applicant.GetInt64(c.Request.Context(), keyApplicant)
	if id == 0 {
		writeError(c, domain.E(domain.CodeUnauthenticated))
		return service.Actor{}, false
	}
	return service.ApplicantActor(id, c.ClientIP()), true
}

// staffActor reads the signed-in staff member; 401 when there is none or the
// account was disabled since.
func (s *Server) staffActor(c *gin.Context) (service.Actor, bool) {
	id := s.deps.Sessions.Staff.GetInt64(c.Request.Context(), keyStaff)
	if id == 0 {
		writeError(c, domain.E(domain.CodeUnauthenticated))
		return service.Actor{}, false
	}
	a, err := s.deps.Service.StaffActor(c.Request.Context(), id, c.ClientIP())
	if err != nil {
		if signedOut(err) {
			_ = s.deps.Sessions.Staff.Destroy(c.Request.Context())
		}
		writeError(c, err)
		return service.Actor{}, false
	}
	if a.MustEnrolOTP && !enrolmentPath(c.Request.URL.Path) {
		writeError(c, domain.E(domain.CodeOTPEnrolmentRequired))
		return service.Actor{}, false
	}
	return a, true
}

// enrolmentPath reports whether an account that must enrol its second
// factor may call path first: the enrolment itself and who it is.
func enrolmentPath(path string) bool {
	return path == "/api/v1/staff/me" || strings.HasPrefix(path, "/api/v1/staff/me/otp")
}

// signedOut reports whether err says the staff account itself is gone or
// disabled, the only answer that ends its session: a database that is down
// or slow keeps the session, so a short outage signs nobody out.
func signedOut(err error) bool {
	return domain.ErrorCode(err) == domain.CodeUnauthenticated
}
