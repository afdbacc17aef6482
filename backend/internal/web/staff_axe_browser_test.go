package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/web/browser"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestStaffAccessibilityInBrowser opens every staff page, as the role that uses it,
// at 1366×900 and fails on any critical or serious axe-core violation of the
// WCAG 2.1 A/AA rules: the sign-in page, each role's home and queues, case
// pages at the station and the county, the pickup scanner, temporary cards,
// the production centre's dispatch, mail and delivery pages, the
// supervisor's dashboard and audit log, the admin's accounts, offices,
// calendar and outbox, and the not-found page.
func TestStaffAccessibilityInBrowser(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{})
	mail := env.NewCase(t, webtest.CaseSpec{Mail: true})
	screens, faults := 0, 0

	login := browser.New(t, browser.Desktop)
	browser.Do(t, login, "sign-in page", chromedp.Navigate(env.URL+"/staff/login"), chromedp.WaitVisible(chromedp.ID("username")))
	screens++
	faults += browser.Axe(t, login, "staff-login")

	pages := []struct {
		user  string
		paths []string
	}{
		{"station-520102", []string{"/staff/", "/staff/cases?status=submitted", "/staff/cases/" + no, "/staff/cases/" + mail,
			"/staff/cases?status=shipped&collection=window", "/staff/pickup", "/staff/security", "/staff/no-such-page"}},
		{"county-520102", []string{"/staff/", "/staff/cases?status=accepted", "/staff/cases/" + no, "/staff/temporary-cards"}},
		{"production", []string{"/staff/", "/staff/cases?status=issued", "/staff/cases?status=produced", "/staff/dispatch",
			"/staff/ship-mail", "/staff/deliveries"}},
		{"supervisor-5201", []string{"/staff/", "/staff/dashboard", "/staff/audit", "/staff/cases"}},
		{"admin", []string{"/staff/", "/staff/admin/offices", "/staff/admin/calendar", "/staff/admin/outbox"}},
		{"security-admin", []string{"/staff/", "/staff/admin/staff"}},
		{"audit-admin", []string{"/staff/", "/staff/audit"}},
	}
	for _, role := range pages {
		tab := newStaffTab(t, env, role.user)
		for _, p := range role.paths {
			browser.Do(t, tab.ctx, role.user+" "+p, chromedp.Navigate(env.URL+p), chromedp.WaitVisible(chromedp.CSS("main")))
			screens++
			faults += browser.Axe(t, tab.ctx, role.user+p)
		}
		if lists := map[string][]string{"admin": {"/staff/admin/offices"}, "security-admin": {"/staff/admin/staff"}}[role.user]; lists != nil {
			// One account's and one office's edit page, from their lists.
			for _, list := range lists {
				browser.Do(t, tab.ctx, "first of "+list, chromedp.Navigate(env.URL+list), chromedp.WaitVisible(chromedp.CSS("main")))
				href, err := chromedp.Run(tab.ctx, chromedp.Evaluate[string](`(() => { const a = [...document.querySelectorAll('main a[href]')]
				  .find((a) => /^\/staff\/admin\/(staff|offices)\/\d+(\?|$)/.test(a.getAttribute('href'))); return a ? a.getAttribute('href') : ''; })()`))
				if err != nil || href == "" {
					t.Fatalf("%s links to no edit page (%v)", list, err)
				}
				browser.Do(t, tab.ctx, "edit "+href, chromedp.Navigate(env.URL+href), chromedp.WaitVisible(chromedp.CSS("main")))
				screens++
				faults += browser.Axe(t, tab.ctx, "admin"+href)
			}
		}
	}
	t.Logf("axe, staff: %d critical/serious violations over %d pages", faults, screens)
}
