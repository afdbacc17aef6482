package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/web/browser"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestH5ProvisionalDue: with the clock pinned at the end of 2026 (no 2027
// notice in the calendar), the citizen's case page marks the due times
// that run into 2027 as 暂定.
func TestH5ProvisionalDue(t *testing.T) {
	env := startBefore2027Notice(t, 0)
	h := &h5{t: t, env: env, ctx: browser.New(t, browser.Phone), staffs: map[string]*webtest.Client{}}
	h.signInAndBind("13900000131", "张三", "52010219900101123X")
	no := h.apply("damage_renewal", "520102", false)
	h.do("case page", chromedp.Navigate(env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#legal-due")))
	for _, sel := range []string{"#legal-due [data-test=provisional]", "#stage-due [data-test=provisional]"} {
		n, err := chromedp.Run(h.ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+sel+`").length`))
		if err != nil || n != 1 {
			t.Errorf("%s: %d marks (%v), want 1", sel, n, err)
		}
	}
	if got := h.text("#legal-due"); got == "" || !containsAll(got, "2027", "暂定") {
		t.Errorf("legal due reads %q", got)
	}
}

// containsAll reports whether s holds every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
