package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/web/browser"
)

// axeWalk signs a new citizen in and walks every H5 screen — sign-in,
// binding, the demo face page, home, the application steps (kind, station,
// confirm by window and by mail, the mail form refused, photo by upload and
// by receipt number, done), 我的办件, the case page as submitted, withdrawn, rejected,
// ready and collected, the pickup QR, 消息 and 我的 — running axe-core on
// each. It returns the screens checked and the faults found.
func (h *h5) axeWalk(phone string) (screens, faults int) {
	check := func(screen string) {
		h.t.Helper()
		screens++
		faults += browser.Axe(h.t, h.ctx, screen)
	}
	check("sign-in")
	h.signIn(phone)
	check("binding")
	h.claim("张三", "52010219900101123X")
	check("face-check")
	h.do("face check (demo)", chromedp.Click(chromedp.CSS("#btn-verify-pass")), chromedp.WaitVisible(chromedp.CSS("#btn-apply")))
	check("home")

	// applyTo walks kind → station → confirm (the window route), checking
	// each step when check is on, and stops on the confirm page.
	applyTo := func(checkSteps bool) {
		h.do("kinds", chromedp.Navigate(h.env.URL+"/m/#/apply"), chromedp.WaitVisible(chromedp.CSS("#kind-damage_renewal")))
		if checkSteps {
			check("apply-kind")
		}
		h.do("stations", chromedp.Click(chromedp.CSS("#kind-damage_renewal")), chromedp.WaitVisible(chromedp.CSS("#station-county")),
			chromedp.Poll[chromedp.Void](`document.querySelector('#station-county option[value="520102"]') !== null`),
			chromedp.SetValue(chromedp.CSS("#station-county"), "520102"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#station-county').dispatchEvent(new Event('change'))`),
			chromedp.WaitVisible(chromedp.CSS("label.station")))
		if checkSteps {
			check("apply-station")
		}
		// A script tap: in 长辈版 the sticky 下一步 bar may cover the first
		// station where chromedp would click.
		h.do("confirm", chromedp.Evaluate[chromedp.Void](`document.querySelector('label.station').click()`),
			chromedp.Poll[chromedp.Void](`!document.querySelector('#btn-station-next').disabled`),
			chromedp.Click(chromedp.CSS("#btn-station-next")),
			chromedp.WaitVisible(chromedp.CSS("#btn-submit")))
	}
	submit := func() string {
		h.do("due date", chromedp.Poll[chromedp.Void](`!document.querySelector('#legal-due').textContent.includes('计算中')`))
		return ""
	}
	done := func() string {
		h.do("submit", chromedp.Click(chromedp.CSS("#btn-submit")), chromedp.WaitVisible(chromedp.CSS("#case-no")))
		return h.text("#case-no")
	}
	casePage := func(no, ready string) {
		h.do("case page "+no, chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#case-status")),
			chromedp.WaitVisible(chromedp.CSS(ready)))
	}

	// First case: every step checked, the mail form and the photo page too,
	// then withdrawn.
	applyTo(true)
	h.do("mail form", chromedp.Click(chromedp.CSS("#btn-collection-change")), chromedp.WaitVisible(chromedp.CSS("#mail-recipient")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#mail-recipient").value=""`),
		chromedp.Click(chromedp.CSS("#btn-collection-next")), chromedp.WaitVisible(chromedp.CSS("#collection-error")))
	check("apply-mail-refused")
	h.do("mail route", chromedp.SendKeys(chromedp.CSS("#mail-recipient"), "张三"), mailAddress("520103", "中华北路100号3栋2单元501"),
		chromedp.Click(chromedp.CSS("#btn-collection-next")), chromedp.WaitVisible(chromedp.CSS("#btn-submit")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#btn-collection-change')?.textContent === '改为窗口领取'`))
	check("apply-confirm-mail")
	// The photo step shows only for an expiry renewal: mark the draft as
	// needing one and open it, both ways of giving a photo.
	h.do("photo page", chromedp.Click(chromedp.CSS("#btn-collection-change")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#btn-collection-change')?.textContent === '改为邮寄到家'`),
		chromedp.Evaluate[chromedp.Void](`(() => { for (let i = 0; i < sessionStorage.length; i++) { const k = sessionStorage.key(i);
		  if (!k.startsWith('idcard.draft')) continue; const d = JSON.parse(sessionStorage.getItem(k)); d.collection = 'window'; d.needsPhoto = true;
		  sessionStorage.setItem(k, JSON.stringify(d)); } })()`),
		chromedp.Navigate(h.env.URL+"/m/#/apply/photo"), chromedp.WaitVisible(chromedp.CSS("#photo-mode-upload")))
	check("apply-photo-upload")
	h.do("photo receipt", chromedp.Click(chromedp.CSS("#photo-mode-receipt")), chromedp.WaitVisible(chromedp.CSS("#photo-receipt")))
	check("apply-photo-receipt")
	applyTo(false)
	submit()
	check("apply-confirm")
	first := done()
	check("apply-done")
	h.do("my cases", chromedp.Navigate(h.env.URL+"/m/#/cases"), chromedp.WaitVisible(chromedp.CSS("[data-test=case-item]")))
	check("cases")
	casePage(first, "#btn-cancel")
	check("case-submitted")
	h.do("withdraw", chromedp.Click(chromedp.CSS("#btn-cancel")), chromedp.WaitVisible(chromedp.CSS("#dialog-confirm")))
	check("case-withdraw-dialog")
	h.do("withdrawn", chromedp.Click(chromedp.CSS("#dialog-confirm")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#case-status') && document.querySelector('#case-status').dataset.status === 'cancelled'`))
	check("case-withdrawn")

	// Second case: rejected at pre-check.
	applyTo(false)
	submit()
	second := done()
	h.mustStaff("station-520102", "/api/v1/staff/cases/"+second+"/precheck", map[string]any{"decision": "reject", "reason": "相片不清晰"}, "rejected")
	casePage(second, "#btn-reapply")
	check("case-rejected")

	// Third case: through to ready, the pickup QR and collected.
	applyTo(false)
	submit()
	third := done()
	h.mustStaff("station-520102", "/api/v1/staff/cases/"+third+"/precheck", map[string]any{"decision": "approve"}, "accepted")
	casePage(third, "#timeline")
	check("case-accepted")
	h.do("change", chromedp.Navigate(h.env.URL+"/m/#/cases/"+third+"/change"), chromedp.WaitVisible(chromedp.CSS("#btn-change-save")))
	check("case-change")
	h.mustStaff("county-520102", "/api/v1/staff/cases/"+third+"/review", map[string]any{"decision": "approve"}, "issued")
	h.mustStaff("production", "/api/v1/staff/cases/"+third+"/produce", map[string]any{}, "produced")
	h.mustStaff("production", "/api/v1/staff/cases/"+third+"/ship", map[string]any{}, "shipped")
	h.mustStaff("station-520102", "/api/v1/staff/cases/"+third+"/arrive", map[string]any{}, "ready_for_pickup")
	casePage(third, "#btn-pickup-qr")
	check("case-ready")
	h.do("pickup QR", chromedp.Click(chromedp.CSS("#btn-pickup-qr")), chromedp.WaitVisible(chromedp.CSS("#pickup-qr")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#pickup-qr').complete && document.querySelector('#pickup-qr').naturalWidth > 0`),
		chromedp.WaitVisible(chromedp.CSS("#old-card-reminder")))
	check("pickup-qr")
	// The handover takes a fresh token from the API as the phone's session
	// (decoding the QR is TestH5WindowRoute's subject, not this walk's).
	token, err := chromedp.Run(h.ctx, chromedp.Evaluate[string](`fetch('/api/v1/cases/`+third+`/pickup-token').then((r) => r.json()).then((j) => j.token)`,
		chromedp.EvalAwaitPromise))
	if err != nil || token == "" {
		h.t.Fatalf("pickup token: %q %v", token, err)
	}
	h.mustStaff("station-520102", "/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}, "collected")
	casePage(third, "#timeline")
	check("case-collected")

	h.do("messages", chromedp.Navigate(h.env.URL+"/m/#/messages"), chromedp.WaitVisible(chromedp.CSS("#msg-list, .empty")))
	check("messages")
	h.do("home with cases", chromedp.Navigate(h.env.URL+"/m/#/"), chromedp.WaitVisible(chromedp.CSS("#btn-apply")),
		chromedp.WaitVisible(chromedp.CSS("#home-cases-title")))
	check("home-with-cases")
	h.do("me", chromedp.Navigate(h.env.URL+"/m/#/me"), chromedp.WaitVisible(chromedp.CSS("#me-elder")))
	check("me")
	h.do("wards", chromedp.Navigate(h.env.URL+"/m/#/me/wards"), chromedp.WaitVisible(chromedp.CSS("#btn-ward-add")))
	check("wards")
	h.do("progress", chromedp.Navigate(h.env.URL+"/m/#/progress"), chromedp.WaitVisible(chromedp.CSS("#btn-progress")))
	check("progress")
	return screens, faults
}

// TestH5Accessibility walks every H5 screen at 375×812, normal and 长辈版,
// on a phone in light and in dark mode, and fails on any critical or serious
// axe-core violation of the WCAG 2.1 A/AA rules (browser.Axe lists them:
// rule, element, summary).
func TestH5Accessibility(t *testing.T) {
	for _, mode := range []struct {
		name, query, phone string
		dark               bool
	}{
		{"normal", "?mode=standard", "13900000301", false},
		{"elder", "?mode=elder", "13900000302", false},
		{"normal-dark", "?mode=standard", "13900000303", true},
		{"elder-dark", "?mode=elder", "13900000304", true},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			h := newH5(t)
			if mode.dark {
				// A phone set to dark mode: WeUI follows prefers-color-scheme.
				if _, err := chromedp.Call(h.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
					t.Fatal(err)
				}
			}
			h.do("open the H5 ("+mode.name+")", chromedp.Navigate(h.env.URL+"/m/"+mode.query), chromedp.WaitVisible(chromedp.CSS("#phone")))
			elder, err := chromedp.Run(h.ctx, chromedp.Evaluate[bool](`document.documentElement.classList.contains('elder')`))
			if err != nil || elder != strings.HasPrefix(mode.name, "elder") {
				t.Fatalf("长辈版 on = %v (%v) in the %s walk", elder, err, mode.name)
			}
			screens, faults := h.axeWalk(mode.phone)
			t.Logf("axe, %s: %d critical/serious violations over %d screens", mode.name, faults, screens)
			if screens < 24 {
				t.Fatalf("the walk checked only %d screens", screens)
			}
		})
	}
}
