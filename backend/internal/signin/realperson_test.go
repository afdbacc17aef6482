package signin_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/store"
)

// movableClock is a clock the test sets.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movableClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestCodesExpireByTheClock: a code is refused five minutes after it was
// sent, in every mode — the in-process Redis never counts its TTL down
// here, so only the service's clock can expire it.
func TestCodesExpireByTheClock(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	clk := &movableClock{t: time.Now()}
	opts := w.opts
	opts.Clock = clk.Now
	in := signin.New(opts)
	ctx := context.Background()
	for i, wait := range []time.Duration{4*time.Minute + 59*time.Second, 5 * time.Minute} {
		phone := []string{"13900000301", "13900000302"}[i]
		if err := in.SendSignInCode(ctx, phone, "10.0.3.1"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(wait)
		_, err := in.SignInPhone(ctx, phone, w.codes.last(phone), "10.0.3.1")
		if wait < 5*time.Minute && err != nil {
			t.Fatalf("a code %v old refused: %v", wait, err)
		}
		if wait >= 5*time.Minute {
			wantCode(t, err, domain.CodeBadCode)
		}
	}
}

// faceProvider is a RealPersonProvider whose verdicts the test sets.
type faceProvider struct{ verdicts map[string]signin.Verdict }

func (faceProvider) Name() string { return "face" }
func (faceProvider) Start(context.Context, signin.Claim, string) (string, error) {
	return "https://face.example/start", nil
}
func (p faceProvider) Confirm(_ context.Context, c signin.Claim) (signin.Verdict, error) {
	return p.verdicts[c.VerifyResult], nil
}

// TestConfirmRealPerson: only a passed check done within ten minutes is a
// proof; the demo values work in demo mode only; a return URL must stay on
// the H5.
func TestConfirmRealPerson(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	now := time.Now()
	clk := &movableClock{t: now}
	ap := store.Applicant{Phone: "13900000401"}
	if err := w.st.Q(ctx).InsertApplicant(&ap); err != nil {
		t.Fatal(err)
	}
	prov := faceProvider{verdicts: map[string]signin.Verdict{
		"fresh":  {Passed: true, At: now.Add(-9 * time.Minute), Ref: "face:1"},
		"stale":  {Passed: true, At: now.Add(-11 * time.Minute), Ref: "face:2"},
		"future": {Passed: true, At: now.Add(2 * time.Minute), Ref: "face:3"},
		"failed": {Reason: "人脸核身结果与绑定的身份不一致", At: now, Ref: "face:4"},
	}}
	const id = domain.IDNumber("52010219900101123X")
	for _, demoMode := range []bool{false, true} {
		opts := w.opts
		opts.Clock, opts.RealPerson, opts.Demo = clk.Now, prov, demoMode
		in := signin.New(opts)
		p, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "fresh")
		if err != nil || p.Ref != "face:1" || p.Provider != "face" {
			t.Fatalf("demo=%v: a fresh passed check: %+v, %v", demoMode, p, err)
		}
		for _, vr := range []string{"", "stale", "future", "failed", "unknown"} {
			_, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", id, vr)
			wantCode(t, err, domain.CodeRealPersonFailed)
		}
		_, err = in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "failed")
		if !strings.Contains(err.Error(), "不一致") {
			t.Fatalf("the provider's reason is not shown: %v", err)
		}
		p, err = in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "dev:pass")
		if demoMode != (err == nil) {
			t.Fatalf("demo=%v: dev:pass answered %+v, %v", demoMode, p, err)
		}
		if demoMode {
			again, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "dev:pass")
			if err != nil || again.Ref == p.Ref || p.Provider != "demo" {
				t.Fatalf("demo passes must each have their own reference: %+v then %+v, %v", p, again, err)
			}
		}
		_, err = in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "dev:fail")
		wantCode(t, err, domain.CodeRealPersonFailed)

		for _, bad := range []string{"https://evil.example/", "//evil.example/m/", "/staff/", "/m/\r\nSet-Cookie: x"} {
			_, _, err := in.StartRealPerson(ctx, ap.ID, "张三", id, bad)
			wantCode(t, err, domain.CodeValidationFailed)
		}
		name, u, err := in.StartRealPerson(ctx, ap.ID, "张三", id, "/m/#/bind?next=/apply")
		wantName, wantPrefix := "face", "https://face.example/"
		if demoMode {
			wantName, wantPrefix = "demo", "/m/#/verify/demo?return="
		}
		if err != nil || name != wantName || !strings.HasPrefix(u, wantPrefix) {
			t.Fatalf("demo=%v: start answered %q %q %v", demoMode, name, u, err)
		}
	}
	// Without any provider outside demo mode, nothing can verify.
	in := signin.New(w.opts)
	_, _, err := in.StartRealPerson(ctx, ap.ID, "张三", id, "")
	wantCode(t, err, domain.CodeUnavailable)
	_, err = in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "dev:pass")
	wantCode(t, err, domain.CodeRealPersonFailed)
}

// webProvider is the browser's provider of a test: another name and page.
type webProvider struct{ faceProvider }

func (webProvider) Name() string { return "web" }
func (webProvider) Start(context.Context, signin.Claim, string) (string, error) {
	return "https://web.example/start", nil
}

// TestRealPersonRouting: "faceid:" results go to the browser's provider,
// other results to the mini-program's, "dev:" to the demo one in demo mode
// only; a start with a return URL (the H5) uses the browser's provider
// when configured, one without (the mini-program) the mini-program's.
func TestRealPersonRouting(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	now := time.Now()
	ap := store.Applicant{Phone: "13900000402"}
	if err := w.st.Q(ctx).InsertApplicant(&ap); err != nil {
		t.Fatal(err)
	}
	passed := func(ref string) signin.Verdict { return signin.Verdict{Passed: true, At: now, Ref: ref} }
	mini := faceProvider{verdicts: map[string]signin.Verdict{"wx-1": passed("wechat:1"), "faceid:T1": passed("mini:wrong")}}
	web := webProvider{faceProvider{verdicts: map[string]signin.Verdict{"faceid:T1": passed("faceid:T1"), "wx-1": passed("web:wrong")}}}
	const id = domain.IDNumber("52010219900101123X")
	for _, demoMode := range []bool{false, true} {
		opts := w.opts
		opts.RealPerson, opts.RealPersonWeb, opts.Demo = mini, web, demoMode
		in := signin.New(opts)
		if p, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "faceid:T1"); err != nil || p.Provider != "web" || p.Ref != "faceid:T1" {
			t.Fatalf("demo=%v: faceid result: %+v %v", demoMode, p, err)
		}
		if p, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "wx-1"); err != nil || p.Provider != "face" || p.Ref != "wechat:1" {
			t.Fatalf("demo=%v: WeChat result: %+v %v", demoMode, p, err)
		}
		if p, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "dev:pass"); demoMode != (err == nil) || demoMode && p.Provider != "demo" {
			t.Fatalf("demo=%v: dev:pass: %+v %v", demoMode, p, err)
		}
		if name, u, err := in.StartRealPerson(ctx, ap.ID, "张三", id, "/m/#/bind"); err != nil || name != "web" || u != "https://web.example/start" {
			t.Fatalf("demo=%v: H5 start: %q %q %v", demoMode, name, u, err)
		}
		wantMini := "face"
		if demoMode {
			wantMini = "demo"
		}
		if name, _, err := in.StartRealPerson(ctx, ap.ID, "张三", id, ""); err != nil || name != wantMini {
			t.Fatalf("demo=%v: mini-program start: %q %v", demoMode, name, err)
		}
	}
	// Only the browser's provider: faceid results only, and it starts.
	opts := w.opts
	opts.RealPersonWeb = web
	in := signin.New(opts)
	_, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "wx-1")
	wantCode(t, err, domain.CodeRealPersonFailed)
	if name, _, err := in.StartRealPerson(ctx, ap.ID, "张三", id, ""); err != nil || name != "web" {
		t.Fatalf("browser provider only: %q %v", name, err)
	}
	// Only the mini-program's: a faceid result finds nobody.
	opts = w.opts
	opts.RealPerson = mini
	in = signin.New(opts)
	_, err = in.ConfirmRealPerson(ctx, ap.ID, "张三", id, "faceid:T1")
	wantCode(t, err, domain.CodeRealPersonFailed)
}

// TestConfirmRealPersonIsRateLimited: guessing verification results stays
// slow — the 21st result checked in an hour for one account is refused.
func TestConfirmRealPersonIsRateLimited(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	ap := store.Applicant{Phone: "13900000403"}
	if err := w.st.Q(ctx).InsertApplicant(&ap); err != nil {
		t.Fatal(err)
	}
	opts := w.opts
	opts.Demo = true
	in := signin.New(opts)
	for i := range 20 {
		_, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", "52010219900101123X", "dev:fail")
		if domain.ErrorCode(err) != domain.CodeRealPersonFailed {
			t.Fatalf("result %d: %v", i+1, err)
		}
	}
	_, err := in.ConfirmRealPerson(ctx, ap.ID, "张三", "52010219900101123X", "dev:pass")
	wantCode(t, err, domain.CodeRateLimited)
}
