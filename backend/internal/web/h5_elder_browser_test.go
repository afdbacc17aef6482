package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// elderFaults measures the page as it is drawn: every visible text smaller
// than 18 px and every visible primary button lower than 60 px.
const elderFaults = `(() => {
  const bad = [];
  const shown = (el) => {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && !el.closest('.is-hidden, [hidden]');
  };
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) {
    const n = w.currentNode, el = n.parentElement;
    if (!n.textContent.trim() || !el || !shown(el)) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 18) bad.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + px + 'px «' + n.textContent.trim().slice(0, 16) + '»');
  }
  document.querySelectorAll('.weui-btn_primary').forEach((b) => {
    if (shown(b) && b.getBoundingClientRect().height < 60) bad.push('button «' + b.textContent.trim() + '» ' + b.getBoundingClientRect().height + 'px high');
  });
  const lh = parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize);
  if (!(lh >= 1.3)) bad.push('body line height ' + lh);
  return bad;
})()`

// TestH5ElderMode: /m/?mode=elder at 375 px turns on 长辈版 — no visible text
// under 18 px, no primary button under 60 px high, on the sign-in, binding,
// home, application and 我的 screens; the device remembers it without the
// parameter, and the switch in 我的 turns it off again.
func TestH5ElderMode(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	check := func(screen string) {
		t.Helper()
		bad, err := chromedp.Run(h.ctx, chromedp.Evaluate[[]string](elderFaults))
		if err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
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
