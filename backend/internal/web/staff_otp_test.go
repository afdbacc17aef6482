package web_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/twofactor"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestStaffSecondFactor runs the service as outside demo mode: a supervisor
// signed in with a password alone can do nothing but enrol (403
// OTP_ENROLMENT_REQUIRED), enrols through the API with a code of its app,
// and from then on cannot sign in without a valid code (401 OTP_REQUIRED,
// BAD_OTP), each refusal audited; a station officer need not enrol.
func TestStaffSecondFactor(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Production: true})
	anon := webtest.NewClient(t, env.URL)
	sup := anon.SignInStaff("supervisor")
	webtest.Want(t, sup.Get("/api/v1/staff/cases"), http.StatusForbidden, "OTP_ENROLMENT_REQUIRED")
	webtest.Want(t, sup.Get("/api/v1/staff/me"), http.StatusOK, "")
	webtest.Want(t, anon.SignInStaff("station-520102").Get("/api/v1/staff/cases"), http.StatusOK, "")

	en := webtest.Want(t, sup.Post("/api/v1/staff/me/otp", map[string]any{}), http.StatusOK, "")
	secret := en.Str("secret")
	if secret == "" || en.Str("otpauth_url") == "" {
		t.Fatalf("enrolment answer %s", en)
	}
	code, err := twofactor.Code(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	webtest.Want(t, sup.Post("/api/v1/staff/me/otp/confirm", map[string]any{"code": wrong}), http.StatusUnprocessableEntity, "BAD_OTP")
	webtest.Want(t, sup.Post("/api/v1/staff/me/otp/confirm", map[string]any{"code": code}), http.StatusNoContent, "")
	webtest.Want(t, sup.Get("/api/v1/staff/cases"), http.StatusOK, "")
	webtest.Want(t, sup.Post("/api/v1/staff/me/otp", map[string]any{}), http.StatusConflict, "OTP_ALREADY_ENROLLED")

	login := func(otp string) webtest.Reply {
		body := map[string]any{"username": "supervisor", "password": webtest.DemoPassword}
		if otp != "" {
			body["otp"] = otp
		}
		return anon.Anonymous().Post("/api/v1/staff/auth/login", body)
	}
	webtest.Want(t, login(""), http.StatusUnauthorized, "OTP_REQUIRED")
	webtest.Want(t, login(wrong), http.StatusUnauthorized, "BAD_OTP")
	code, _ = twofactor.Code(secret, time.Now())
	tok := webtest.Want(t, login(code), http.StatusOK, "").Str("token")
	webtest.Want(t, anon.Anonymous().Bearer(tok).Get("/api/v1/staff/cases"), http.StatusOK, "")

	// The raw row holds the secret sealed, never plain.
	q := env.Store.Q(context.Background())
	st, err := q.StaffByUsername("supervisor")
	if err != nil || st.OTPSecretEnc == nil || st.OTPEnabledAt == nil || *st.OTPSecretEnc == secret {
		t.Fatalf("stored second factor: %+v %v", st, err)
	}
	entries, err := q.SearchAudit(store.AuditSearch{AuditFilter: store.AuditFilter{Action: "auth.staff_login", ObjectID: "supervisor"}})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]bool{}
	for _, e := range entries {
		reasons[e.Outcome+" "+e.Detail] = true
		if e.Office == "" && e.Outcome == store.OutcomeOK {
			t.Errorf("a sign-in entry names no office: %+v", e)
		}
	}
	for _, want := range []string{`failed {"reason":"OTP_REQUIRED"}`, `failed {"reason":"BAD_OTP"}`, "ok {}"} {
		if !reasons[want] {
			t.Errorf("no sign-in audited as %s (have %v)", want, reasons)
		}
	}
}

// TestStaffOTPReplay pins the clock: a code that signed the supervisor in
// once is refused the second time (BAD_OTP) though still inside its
// window, as is a code of the step before; the next step's code works.
func TestStaffOTPReplay(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(time.Now().Unix()/30*30+5, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	env := webtest.StartWith(t, webtest.Options{Production: true, Clock: clock})
	anon := webtest.NewClient(t, env.URL)
	sup := anon.SignInStaff("supervisor")
	secret := webtest.Want(t, sup.Post("/api/v1/staff/me/otp", map[string]any{}), http.StatusOK, "").Str("secret")
	code := func(at time.Time) string {
		c, err := twofactor.Code(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	webtest.Want(t, sup.Post("/api/v1/staff/me/otp/confirm", map[string]any{"code": code(clock())}), http.StatusNoContent, "")
	login := func(otp string) webtest.Reply {
		return anon.Anonymous().Post("/api/v1/staff/auth/login",
			map[string]any{"username": "supervisor", "password": webtest.DemoPassword, "otp": otp})
	}
	first := code(clock())
	webtest.Want(t, login(first), http.StatusOK, "")
	webtest.Want(t, login(first), http.StatusUnauthorized, "BAD_OTP")
	webtest.Want(t, login(code(clock().Add(-30*time.Second))), http.StatusUnauthorized, "BAD_OTP")
	mu.Lock()
	now = now.Add(30 * time.Second)
	mu.Unlock()
	webtest.Want(t, login(first), http.StatusUnauthorized, "BAD_OTP")
	webtest.Want(t, login(code(clock())), http.StatusOK, "")
}
