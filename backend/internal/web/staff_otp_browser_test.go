package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/twofactor"
	"github.com/gzga/idcard/backend/internal/web/browser"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestStaffOTPEnrolInBrowser enrols the supervisor's second factor through
// 账号安全 as a person would (the page shows the QR code and the secret;
// the code is computed from the secret shown), checks the page's
// accessibility before and during the enrolment, and then signs in in a
// fresh browser with password and code.
func TestStaffOTPEnrolInBrowser(t *testing.T) {
	env := webtest.Start(t)
	tab := newStaffTab(t, env, "supervisor-5201")
	tab.do("security page", chromedp.Navigate(env.URL+"/staff/security"), chromedp.WaitVisible(chromedp.ID("otp-start")))
	faults := browser.Axe(t, tab.ctx, "staff-security")
	tab.do("start the enrolment", chromedp.Click(chromedp.CSS("#otp-start button")), chromedp.WaitVisible(chromedp.ID("otp-qr")))
	faults += browser.Axe(t, tab.ctx, "staff-security-qr")
	if drawn, err := chromedp.Run(tab.ctx, chromedp.Evaluate[bool](`document.querySelector('#otp-qr').naturalWidth > 0`)); err != nil || !drawn {
		t.Fatalf("the QR code is not drawn (%v)", err)
	}
	secret, err := chromedp.Run(tab.ctx, chromedp.Text(chromedp.ID("otp-secret")))
	if err != nil || strings.TrimSpace(secret) == "" {
		t.Fatalf("no secret shown (%v)", err)
	}
	code := func() string {
		c, err := twofactor.Code(strings.TrimSpace(secret), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tab.do("confirm", chromedp.SendKeys(chromedp.CSS(`#otp-confirm input[name=code]`), code()),
		chromedp.Click(chromedp.CSS("#otp-confirm button")), chromedp.WaitNotPresent(chromedp.ID("otp-confirm")))
	tab.do("enrolled", chromedp.Navigate(env.URL+"/staff/security"), chromedp.WaitVisible(chromedp.ID("otp-enabled")))

	fresh := browser.New(t, browser.Desktop)
	browser.Do(t, fresh, "sign in with the code", chromedp.Navigate(env.URL+"/staff/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "supervisor-5201"), chromedp.SendKeys(chromedp.ID("password"), webtest.DemoPassword),
		chromedp.SendKeys(chromedp.ID("otp"), code()), chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.CSS(".who")))
	t.Logf("axe, 账号安全: %d critical/serious violations over 2 screens", faults)
}
