package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/browser"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// staffTab is one staff member's browser.
type staffTab struct {
	t   *testing.T
	ctx context.Context
}

func newStaffTab(t *testing.T, env *webtest.Env, user string) *staffTab {
	s := &staffTab{t: t, ctx: browser.New(t, browser.Desktop)}
	browser.StaffSignIn(t, s.ctx, env.URL, user)
	return s
}

func (s *staffTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	browser.Do(s.t, s.ctx, what, steps...)
}

func (s *staffTab) bodyText() string { s.t.Helper(); return browser.BodyText(s.t, s.ctx) }

// TestStaffRolesInBrowser walks each role's main path in chromium, as a
// stranger would: the station pre-checks from its queue, the county issues
// from its review queue, the production centre produces and ships with the
// batch buttons, the station confirms the arrival, the supervisor reads the
// dashboard and the admin opens the accounts.
func TestStaffRolesInBrowser(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{})

	station := newStaffTab(t, env, "station-520102")
	station.do("queue", chromedp.Click(chromedp.CSS(`#queues a[href*="status=submitted"]`)), chromedp.WaitVisible(chromedp.ID("case-table")))
	browser.Screenshot(t, station.ctx, "1-station-queue")
	station.do("open the case", chromedp.Click(chromedp.CSS(`a[href="/staff/cases/`+no+`"]`)), chromedp.WaitVisible(chromedp.ID("registry")))
	browser.Screenshot(t, station.ctx, "2-station-case")
	station.do("approve", chromedp.Click(chromedp.CSS(`#form-precheck-approve button`)), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	if got := env.Case(t, no).Status; got != string(domain.StatusAccepted) {
		t.Fatalf("after the station's approval the case is %s", got)
	}

	county := newStaffTab(t, env, "county-520102")
	county.do("review queue", chromedp.Click(chromedp.CSS(`#queues a[href*="status=accepted"]`)), chromedp.WaitVisible(chromedp.ID("case-table")),
		chromedp.Click(chromedp.CSS(`a[href="/staff/cases/`+no+`"]`)), chromedp.WaitVisible(chromedp.ID("fraud")))
	browser.Screenshot(t, county.ctx, "3-county-review")
	county.do("issue", chromedp.Click(chromedp.CSS(`#form-review-approve button`)), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	if got := env.Case(t, no).Status; got != string(domain.StatusIssued) {
		t.Fatalf("after the county's review the case is %s", got)
	}

	prod := newStaffTab(t, env, "production")
	prod.do("produce in a batch", chromedp.Navigate(env.URL+"/staff/cases?status=issued"), chromedp.WaitVisible(chromedp.ID("case-table")),
		chromedp.Click(chromedp.CSS(`input[name=case][value^="`+no+`:"]`)), chromedp.Click(chromedp.ID("batch-produce")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	prod.do("ship in a batch", chromedp.Navigate(env.URL+"/staff/cases?status=produced"), chromedp.WaitVisible(chromedp.ID("case-table")),
		chromedp.Click(chromedp.CSS(`input[name=case][value^="`+no+`:"]`)), chromedp.Click(chromedp.ID("batch-ship")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	browser.Screenshot(t, prod.ctx, "4-production-shipped")
	if got := env.Case(t, no).Status; got != string(domain.StatusShipped) {
		t.Fatalf("after production the case is %s", got)
	}
	prod.do("dispatch list", chromedp.Navigate(env.URL+"/staff/dispatch"), chromedp.WaitVisible(chromedp.CSS("main")))
	if !strings.Contains(prod.bodyText(), no) {
		t.Fatal("today's dispatch list lacks the shipped case")
	}

	station.do("confirm the arrival", chromedp.Navigate(env.URL+"/staff/cases?status=shipped&collection=window"), chromedp.WaitVisible(chromedp.ID("case-table")),
		chromedp.Click(chromedp.CSS(`input[name=case][value^="`+no+`:"]`)), chromedp.Click(chromedp.ID("batch-arrive")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := env.Case(t, no).Status; got != string(domain.StatusReadyForPickup) {
		t.Fatalf("after the arrival the case is %s", got)
	}

	sup := newStaffTab(t, env, "supervisor-5201")
	sup.do("dashboard", chromedp.Navigate(env.URL+"/staff/dashboard"), chromedp.WaitVisible(chromedp.CSS("main")),
		chromedp.Sleep(500*time.Millisecond))
	browser.Screenshot(t, sup.ctx, "5-supervisor-dashboard")
	if text := sup.bodyText(); !strings.Contains(text, "待领取") {
		t.Fatalf("the dashboard does not count the ready card:\n%.1500s", text)
	}
	sup.do("audit log", chromedp.Navigate(env.URL+"/staff/audit"), chromedp.WaitVisible(chromedp.CSS("main")))
	browser.Screenshot(t, sup.ctx, "6-supervisor-audit")

	admin := newStaffTab(t, env, "security-admin") // accounts are the security administrator's
	admin.do("accounts", chromedp.Navigate(env.URL+"/staff/admin/staff"), chromedp.WaitVisible(chromedp.ID("staff-total")),
		chromedp.SendKeys(chromedp.CSS(`#staff-filter input[name="q"]`), "station-520102"),
		chromedp.Click(chromedp.CSS(`#staff-filter button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`tr[data-username="station-520102"]`)))
	if !strings.Contains(admin.bodyText(), "station-520102") {
		t.Fatal("the accounts search does not find station-520102")
	}
	browser.Screenshot(t, admin.ctx, "7-admin-staff")
}

// TestStaffQueueFlowInBrowser: in chromium the station officer opens the
// first case of its queue from the list's 操作 column, approves it and
// lands on the next case of the queue, told which case it finished.
func TestStaffQueueFlowInBrowser(t *testing.T) {
	env := webtest.Start(t)
	first, second := env.NewCase(t, webtest.CaseSpec{}), env.NewCase(t, webtest.CaseSpec{})
	station := newStaffTab(t, env, "station-520102")
	station.do("queue", chromedp.Click(chromedp.CSS(`#queues a[href*="status=submitted"]`)), chromedp.WaitVisible(chromedp.ID("case-table")))
	if text := station.bodyText(); !strings.Contains(text, "共 2 件") {
		t.Fatalf("the queue does not say how many cases it holds:\n%s", text)
	}
	station.do("核验 from the action column", chromedp.Click(chromedp.CSS(`a[href="/staff/cases/`+first+`#actions"]`)),
		chromedp.WaitVisible(chromedp.ID("form-precheck-approve")))
	station.do("approve", chromedp.Click(chromedp.CSS(`#form-precheck-approve button`)), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	at, err := chromedp.Run(station.ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	if at != "/staff/cases/"+second {
		t.Fatalf("after the approval the browser is at %s, want the next case %s", at, second)
	}
	if text := station.bodyText(); !strings.Contains(text, "办件"+first+"：核验通过") || !strings.Contains(text, "下一件："+second) {
		t.Fatalf("the next case does not say what happened:\n%s", text)
	}
	if got := env.Case(t, first).Status; got != string(domain.StatusAccepted) {
		t.Fatalf("the first case is %s", got)
	}
}
