package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/web/browser"
)

// TestH5ElderMode: /m/?mode=elder at 375 px turns on 长辈版 — no visible text
// under 18 px, no primary button under 60 px high, on the sign-in, binding,
// home, application (confirm too: one primary button) and 我的 screens; the device remembers it without the
// parameter, and the switch in 我的 turns it off again.
func TestH5ElderMode(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	check := func(screen string) {
		t.Helper()
		if bad := browser.ElderFaults(t, h.ctx, 1, ".weui-btn_primary"); len(bad) > 0 {
			h.shot("elder-" + screen)
			t.Errorf("长辈版 %s: %d faults:\n%s", screen, len(bad), strings.Join(bad, "\n"))
		}
	}
	elder := func() bool {
		on, err := chromedp.Run(h.ctx, chromedp.Evaluate[bool](`document.documentElement.classList.contains('elder')`))
		if err != nil {
			t.Fatal(err)
		}
		return on
	}
	h.do("open in 长辈版", chromedp.Navigate(h.env.URL+"/m/?mode=elder"), chromedp.WaitVisible(chromedp.CSS("#phone")))
	if !elder() {
		t.Fatal("?mode=elder did not turn 长辈版 on")
	}
	check("sign-in")
	h.signIn("13900000201")
	check("binding")
	h.claim("张三", "52010219900101123X")
	check("face check")
	h.do("face check (demo)", chromedp.Click(chromedp.CSS("#btn-verify-pass")), chromedp.WaitVisible(chromedp.CSS("#btn-apply")))
	check("home")
	h.do("kinds", chromedp.Click(chromedp.CSS("#btn-apply")), chromedp.WaitVisible(chromedp.CSS("#kind-damage_renewal")))
	check("kinds")
	h.do("stations", chromedp.Click(chromedp.CSS("#kind-damage_renewal")), chromedp.WaitVisible(chromedp.CSS("#station-county")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#station-county option[value="520102"]') !== null`),
		chromedp.SetValue(chromedp.CSS("#station-county"), "520102"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#station-county').dispatchEvent(new Event('change'))`),
		chromedp.WaitVisible(chromedp.CSS("label.station")))
	check("stations")
	// The action bar must not lie over the first station, and choosing one
	// brings 下一步 into view.
	const covered = `(() => { const el = document.querySelector('label.station'); el.scrollIntoView({block: 'center'});
	  const r = el.getBoundingClientRect(); const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
	  return !el.contains(hit); })()`
	if hidden, err := chromedp.Run(h.ctx, chromedp.Evaluate[bool](covered)); err != nil || hidden {
		h.shot("elder-station-covered")
		t.Fatalf("长辈版: something lies over the first station (%v)", err)
	}
	h.do("choose a station", chromedp.Click(chromedp.CSS("label.station .station__name")))
	const inView = `(() => { const r = document.querySelector('#btn-station-next').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`
	if shown, err := chromedp.Run(h.ctx, chromedp.Poll[bool](inView)); err != nil || !shown {
		r, _ := chromedp.Run(h.ctx, chromedp.Evaluate[string](`JSON.stringify([document.querySelector('#btn-station-next').getBoundingClientRect(), innerHeight, scrollY, document.querySelector('input[data-test="station-radio"]:checked') !== null])`))
		t.Fatalf("长辈版: 下一步 is not in view after choosing a station (%v) %s", err, r)
	}
	// 确认申请 is one decision, 提交: the route's change control beside the
	// window route is secondary, though a full-size tap target.
	h.do("confirm", chromedp.Click(chromedp.CSS("#btn-station-next")), chromedp.WaitVisible(chromedp.CSS("#btn-submit")))
	check("confirm")
	got, err := chromedp.Run(h.ctx, chromedp.Evaluate[[]any](`(() => { const c = document.querySelector('#btn-collection-change');
	  return [[...document.querySelectorAll('.weui-btn_primary')].filter((b) => b.getBoundingClientRect().height > 0).length,
	    c.classList.contains('weui-btn_primary'), c.getBoundingClientRect().height]; })()`))
	if err != nil || len(got) != 3 || got[0] != float64(1) || got[1] != false || got[2].(float64) < 60 {
		t.Errorf("长辈版 确认申请: [primary buttons, the change control primary, its height] = %v (%v), want [1 false ≥60]", got, err)
	}
	// At 200 % zoom a 375 px phone is 188 CSS px wide: nothing may scroll sideways.
	h.do("200 % zoom", chromedp.EmulateViewport(188, 406, chromedp.EmulateScale(1)))
	for _, screen := range []struct{ hash, ready string }{
		{"#/apply/confirm", "#btn-submit"}, {"#/apply/station", "label.station"}, {"#/apply", "#kind-damage_renewal"}, {"#/", "#btn-apply"}, {"#/me", "#me-elder"},
	} {
		h.do("zoomed "+screen.hash, chromedp.Navigate(h.env.URL+"/m/"+screen.hash), chromedp.WaitVisible(chromedp.CSS(screen.ready)))
		if wide, err := chromedp.Run(h.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); err != nil || wide > 0 {
			h.shot("elder-zoom" + strings.ReplaceAll(screen.hash, "/", "-"))
			over, _ := chromedp.Run(h.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => e.tagName + '.' + e.className + ' right ' + Math.round(e.getBoundingClientRect().right) + ' px').slice(0, 8)`))
			t.Errorf("长辈版 at 200 %% zoom: %s scrolls sideways by %d px (%v): %v", screen.hash, wide, err, over)
		}
	}
	h.do("back to 100 %", chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(1)))
	h.do("me", chromedp.Navigate(h.env.URL+"/m/#/me"), chromedp.WaitVisible(chromedp.CSS("#me-elder")))
	if !elder() {
		t.Fatal("长辈版 was not remembered without ?mode=elder")
	}
	check("me")
	h.do("turn it off", chromedp.Click(chromedp.CSS("label[for=me-elder]")), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#me-elder")))
	if elder() {
		t.Fatal("the switch in 我的 did not turn 长辈版 off")
	}
}
