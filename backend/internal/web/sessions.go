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
)

// Session keys.
const (
	keyApplicant = "applicant_id"
	keyStaff     = "staff_id"
)

// withSessions loads both sessions around every request: from their cookies,
// or from an "Authorization: Bearer" token (the mini-program and outside
// systems), which is looked up as either kind.
func (s *Server) withSessions(next http.Handler) http.Handler {
	if s.deps.Sessions == nil {
		return next
	}
	sm := s.deps.Sessions
	for _, m := range []*scs.SessionManager{sm.Staff, sm.Applicant} {
		if cs, ok := m.Store.(scs.CtxStore); ok {
			m.Store = failFast{cs}
		}
		m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
			s.log.Warn("session store unavailable", "error", err)
			answerOnce(w, r, http.StatusServiceUnavailable, domain.CodeUnavailable, domain.CodeUnavailable.Message())
		}
	}
	inner := sm.Staff.LoadAndSave(sm.Applicant.LoadAndSave(next))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := bearer(r); ok {
			r.Header.Del("Cookie")
			r.AddCookie(&http.Cookie{Name: sm.Staff.Cookie.Name, Value: tok})
			r.AddCookie(&http.Cookie{Name: sm.Applicant.Cookie.Name, Value: tok})
		}
		r = r.WithContext(context.WithValue(r.Context(), storeDownKey{}, new(atomic.Bool)))
		inner.ServeHTTP(&onceWriter{ResponseWriter: w}, r)
	})
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
func signIn(ctx context.Context, m *scs.SessionManager, key string, id int64) (string, time.Time, error) {
	if err := m.RenewToken(ctx); err != nil {
		return "", time.Time{}, err
	}
	m.Put(ctx, key, id)
	return m.Commit(ctx)
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
