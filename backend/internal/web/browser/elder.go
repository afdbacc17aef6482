package browser

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// elderFaults is the 长辈版 measure of a page as drawn: every visible text
// smaller than minText px, every visible primary button lower than
// minButton px, and a body line height under 1.3.
const elderFaults = `((minText, minButton, buttons) => {
  const bad = [];
  const shown = (el) => {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none' && !el.closest('.is-hidden, [hidden]');
  };
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) {
    const n = w.currentNode, el = n.parentElement;
    if (!n.textContent.trim() || !el || !shown(el)) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < minText) bad.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + px + 'px «' + n.textContent.trim().slice(0, 16) + '»');
  }
  document.querySelectorAll(buttons).forEach((b) => {
    if (shown(b) && b.getBoundingClientRect().height < minButton) bad.push('button «' + b.textContent.trim() + '» ' + b.getBoundingClientRect().height + 'px high');
  });
  const lh = parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize);
  if (!(lh >= 1.3)) bad.push('body line height ' + lh);
  return bad;
})`

// ElderFaults measures the page in ctx against 长辈版's minimums (MIIT
// 适老化: main text ≥ 18 px, tap targets ≥ 60 px high, line height ≥ 1.3),
// scaled by scale (2 for a mini-program snapshot drawn at 750 px, where
// 1rpx is 1px); buttons is the CSS selector of the primary buttons.
func ElderFaults(t testing.TB, ctx context.Context, scale int, buttons string) []string {
	t.Helper()
	js := fmt.Sprintf("%s(%d, %d, %q)", elderFaults, 18*scale, 60*scale, buttons)
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		t.Fatalf("measuring 长辈版: %v", err)
	}
	return bad
}
