package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Do runs browser steps within 20 seconds; on failure it keeps a screenshot
// named after what and fails t with the page's address and text.
func Do(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		Screenshot(t, ctx, "FAIL-"+strings.ReplaceAll(what, " ", "-"))
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
		t.Fatalf("%s: %v\n%.2000s", what, err, text)
	}
}

// BodyText is the visible text of the page.
func BodyText(t testing.TB, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// StaffSignIn signs a demo staff member (password demo1234) in through the
// staff sign-in page of the service at base.
func StaffSignIn(t testing.TB, ctx context.Context, base, username string) {
	t.Helper()
	Do(t, ctx, "sign in as "+username, chromedp.Navigate(base+"/staff/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), "demo1234"),
		chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.CSS(".who")))
}
