package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets the check runs: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeFault is one critical or serious axe-core violation on one element.
type AxeFault struct {
	Rule, Impact, Target, Summary string
}

func (f AxeFault) String() string {
	return fmt.Sprintf("[%s] %s at %s: %s", f.Impact, f.Rule, f.Target, f.Summary)
}

// axeSource is axe-core's browser build, installed by scripts/assets.sh into
// node_modules (pinned in package.json); the tests read it from disk, no
// page serves it.
func axeSource(t testing.TB) string {
	t.Helper()
	root := filepath.Dir(filepath.Dir(ArtifactDir(t))) // artifacts/screenshots → module root
	src, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed (run ./scripts/assets.sh): %v", err)
	}
	return string(src)
}

// axeRun injects axe-core when the page lacks it and resolves to the
// critical and serious violations of the WCAG 2.1 A/AA rules, one entry per
// element.
const axeRun = `(async (tags) => {
  const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  const out = [];
  for (const v of r.violations) {
    if (v.impact !== 'critical' && v.impact !== 'serious') continue;
    for (const n of v.nodes) {
      out.push({ Rule: v.id, Impact: n.impact || v.impact, Target: n.target.flat().join(' '),
        Summary: (n.failureSummary || v.help).replace(/\s+/g, ' ').slice(0, 300) });
    }
  }
  return out;
})`

// AxeFaults runs axe-core on the page as it is now and returns its critical
// and serious WCAG 2.1 A/AA violations.
func AxeFaults(t testing.TB, ctx context.Context) []AxeFault {
	t.Helper()
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	if !has {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource(t)+"\n;void 0")); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
	}
	tags, _ := json.Marshal(axeTags)
	faults, err := chromedp.Run(ctx, chromedp.Evaluate[[]AxeFault](axeRun+"("+string(tags)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	return faults
}

// Axe fails t (and goes on) listing every critical or serious axe-core
// violation of the WCAG 2.1 A/AA rules on the page as it is now, with a
// screenshot named after screen; it returns how many it found.
func Axe(t testing.TB, ctx context.Context, screen string) int {
	t.Helper()
	faults := AxeFaults(t, ctx)
	if len(faults) == 0 {
		return 0
	}
	Screenshot(t, ctx, "axe-"+strings.Map(func(r rune) rune {
		if r == '/' || r == '?' || r == '&' || r == '=' || r == ' ' {
			return '_'
		}
		return r
	}, screen))
	lines := make([]string, len(faults))
	for i, f := range faults {
		lines[i] = f.String()
	}
	t.Errorf("axe %s: %d critical/serious violations:\n%s", screen, len(faults), strings.Join(lines, "\n"))
	return len(faults)
}
