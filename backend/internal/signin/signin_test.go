package signin_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/demo"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/ratelimit"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
	"github.com/gzga/idcard/backend/internal/suite"
)

// codeBox keeps the SMS codes the service sends.
type codeBox struct {
	mu    sync.Mutex
	codes map[string]string
}

func (b *codeBox) SendCode(_ context.Context, phone, code string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.codes[phone] = code
	return nil
}

func (b *codeBox) last(phone string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.codes[phone]
}

// world is a migrated database with the demo staff, Redis (in-process, or
// the server of IDCARD_TEST_REDIS_URL) and sign-in on them.
type world struct {
	st    *store.Store
	in    *signin.Service
	codes *codeBox
	opts  signin.Options
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	box, err := pii.NewBox(suite.SM, []pii.Key{{ID: "t1", Secret: bytes.Repeat([]byte{1}, 32)}}, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(storetest.Open(t), box)
	if _, err := demo.Load(ctx, st, demo.Options{Demo: true, DemoPassword: "demo1234", Persons: 1, Today: time.Now(), Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	r, err := kv.Open(ctx, os.Getenv("IDCARD_TEST_REDIS_URL"), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "idcard-signin-test-" + hex.EncodeToString(b) + ":"
	w := &world{st: st, codes: &codeBox{codes: map[string]string{}}}
	w.opts = signin.Options{Store: st, Redis: r.Client, Limiter: ratelimit.New(r.Client, prefix), Codes: w.codes, KeyPrefix: prefix}
	w.in = signin.New(w.opts)
	return w
}

func wantCode(t *testing.T, err error, code domain.Code) {
	t.Helper()
	if domain.ErrorCode(err) != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func (w *world) audits(t *testing.T, action, outcome string) int {
	t.Helper()
	es, err := w.st.Q(context.Background()).AuditEntries(store.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Outcome == outcome {
			n++
		}
	}
	return n
}

// TestPhoneSignIn: an SMS code signs in once, to the same account each
// time; wrong codes spend its five tries; codes are not sent more than
// once a minute per phone.
func TestPhoneSignIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		const phone = "13900000001"
		if err := w.in.SendSignInCode(ctx, "+86"+phone, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		a, err := w.in.SignInPhone(ctx, phone, w.codes.last(phone), "10.0.0.1")
		if err != nil || a.ApplicantID == 0 || a.Bound {
			t.Fatalf("sign-in: %+v, %v", a, err)
		}
		ap, err := w.st.Q(ctx).Applicant(a.ApplicantID)
		if err != nil || ap.Phone != phone {
			t.Fatalf("account %+v, %v", ap, err)
		}
		// The code was spent by the sign-in.
		_, err = w.in.SignInPhone(ctx, phone, w.codes.last(phone), "10.0.0.1")
		wantCode(t, err, domain.CodeBadCode)
		if ok, failed := w.audits(t, "auth.sign_in", "ok"), w.audits(t, "auth.sign_in", "failed"); ok != 1 || failed != 1 {
			t.Fatalf("audited %d ok and %d failed sign-ins, want 1 and 1", ok, failed)
		}
	})

	t.Run("TooSoon", func(t *testing.T) {
		const phone = "13900000002"
		if err := w.in.SendSignInCode(ctx, phone, "10.0.0.2"); err != nil {
			t.Fatal(err)
		}
		err := w.in.SendSignInCode(ctx, phone, "10.0.0.2")
		wantCode(t, err, domain.CodeRateLimited)
		var rl *domain.RateLimitedError
		if !errors.As(err, &rl) || rl.RetryAfter < time.Second || rl.RetryAfter > time.Minute {
			t.Fatalf("a second code within the minute: %v, want RATE_LIMITED with a wait of up to a minute", err)
		}
	})

	t.Run("WrongCodesSpendTheTries", func(t *testing.T) {
		const phone = "13900000003"
		if err := w.in.SendSignInCode(ctx, phone, "10.0.0.3"); err != nil {
			t.Fatal(err)
		}
		good := w.codes.last(phone)
		bad := "000000"
		if good == bad {
			bad = "111111"
		}
		for range 5 {
			_, err := w.in.SignInPhone(ctx, phone, bad, "10.0.0.3")
			wantCode(t, err, domain.CodeBadCode)
		}
		_, err := w.in.SignInPhone(ctx, phone, good, "10.0.0.3")
		wantCode(t, err, domain.CodeBadCode) // five wrong tries used the code up
	})

	t.Run("BadPhone", func(t *testing.T) {
		wantCode(t, w.in.SendSignInCode(ctx, "12345", "10.0.0.4"), domain.CodeValidationFailed)
	})
}

// TestStaffLogin: the right password signs in; a wrong one and an unknown
// user answer the same BAD_CREDENTIALS; ten tries a quarter-hour per user
// whatever the IP; every attempt that is not refused outright is audited.
func TestStaffLogin(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s, err := w.in.StaffLogin(ctx, " station-520102 ", "demo1234", "", "10.0.1.1")
	if err != nil || s.StaffID == 0 || s.Role != domain.RoleStationOfficer {
		t.Fatalf("login: %+v, %v", s, err)
	}
	_, err = w.in.StaffLogin(ctx, "nobody", "demo1234", "", "10.0.1.2")
	wantCode(t, err, domain.CodeBadCredentials)
	for range 10 {
		_, err = w.in.StaffLogin(ctx, "county-520102", "wrong", "", "10.0.1.3")
		wantCode(t, err, domain.CodeBadCredentials)
	}
	_, err = w.in.StaffLogin(ctx, "county-520102", "demo1234", "", "10.0.1.4")
	wantCode(t, err, domain.CodeRateLimited) // the user's eleventh try, from another IP
	if ok, failed := w.audits(t, "auth.staff_login", "ok"), w.audits(t, "auth.staff_login", "failed"); ok != 1 || failed != 11 {
		t.Fatalf("audited %d ok and %d failed logins, want 1 and 11", ok, failed)
	}
}

// fakeWeChat answers code2session with fixed openids.
type fakeWeChat map[string]signin.WeChatSession

func (f fakeWeChat) Code2Session(_ context.Context, code string) (signin.WeChatSession, error) {
	if s, ok := f[code]; ok {
		return s, nil
	}
	return signin.WeChatSession{}, domain.E(domain.CodeBadCode)
}

// TestWeChatSignIn: an openid is one account; the unionid joins the
// mini-program's and the official account's openids; demo codes only work
// in demo mode.
func TestWeChatSignIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	mini := fakeWeChat{"m1": {OpenID: "mini-1", UnionID: "union-1"}}
	oa := fakeWeChat{"o1": {OpenID: "oa-1", UnionID: "union-1"}}
	o := w.opts
	o.WeChat = mini
	in := signin.New(o)

	a, err := in.SignInWeChat(ctx, "m1", "10.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := in.SignInWeChat(ctx, "m1", "10.0.2.1")
	if err != nil || again.ApplicantID != a.ApplicantID {
		t.Fatalf("the same openid signed in as %d, then %d (%v)", a.ApplicantID, again.ApplicantID, err)
	}
	b, err := in.SignInOfficialAccount(ctx, oa, "o1", "10.0.2.1")
	if err != nil || b.ApplicantID != a.ApplicantID {
		t.Fatalf("the official account with the same unionid signed in as %d, want %d (%v)", b.ApplicantID, a.ApplicantID, err)
	}
	_, err = in.SignInWeChat(ctx, "dev:alice", "10.0.2.1")
	wantCode(t, err, domain.CodeBadCode) // not demo mode

	o.Demo = true
	dev, err := signin.New(o).SignInWeChat(ctx, "dev:alice", "10.0.2.1")
	if err != nil || dev.ApplicantID == a.ApplicantID {
		t.Fatalf("demo code: %+v, %v", dev, err)
	}
	ap, err := w.st.Q(ctx).Applicant(dev.ApplicantID)
	if err != nil || ap.WechatOpenid == nil || *ap.WechatOpenid != "dev-alice" {
		t.Fatalf("demo account %+v, %v", ap, err)
	}
}

// TestNoGatewayOutsideDemo: without an SMS gateway and outside demo mode a
// code is refused, never logged.
func TestNoGatewayOutsideDemo(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var logs bytes.Buffer
	o := w.opts
	o.Codes, o.Logger = nil, slog.New(slog.NewTextHandler(&logs, nil))
	err := signin.New(o).SendSignInCode(context.Background(), "13900000009", "10.0.3.1")
	wantCode(t, err, domain.CodeUnavailable)
	if strings.Contains(logs.String(), "13900000009") || strings.Contains(logs.String(), "code=") {
		t.Fatalf("the refused code was logged: %s", logs.String())
	}
	o.Demo = true
	logs.Reset()
	mustSend := signin.New(o).SendSignInCode(context.Background(), "13900000008", "10.0.3.2")
	if mustSend != nil || !strings.Contains(logs.String(), "code=") {
		t.Fatalf("demo mode: %v, logs %s", mustSend, logs.String())
	}
}
