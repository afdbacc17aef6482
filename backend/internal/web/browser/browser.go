// Package browser drives Debian's chromium through chromedp for the browser
// tests of the citizen H5 and the staff pages, and keeps their screenshots as
// test artefacts under artifacts/screenshots/ at the repository root.
package browser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Phone is the viewport of the H5 tests (an iPhone X class screen).
var Phone = Viewport{375, 812, true, ""}

// WeChatPhone is Phone inside WeChat's browser (its user agent names
// MicroMessenger).
var WeChatPhone = Viewport{375, 812, true,
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI Language/zh_CN"}

// Desktop is the viewport of the staff pages.
var Desktop = Viewport{1366, 900, false, ""}

// Viewport is a window size, and the browser's user agent when not the
// default one.
type Viewport struct {
	Width, Height int
	Mobile        bool
	UserAgent     string
}

// Exec finds chromium; with none installed it fails the test in CI and
// skips it elsewhere, naming the script that installs it.
func Exec(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: scripts/chromium.sh installs it")
	}
	t.Skip("chromium is not installed: run scripts/chromium.sh (make test does)")
	return ""
}

// New starts a headless chromium with a fresh profile and returns a chromedp
// context for it, closed when t ends.
func New(t testing.TB, vp Viewport) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Exec(t)),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(vp.Width, vp.Height),
	)
	if vp.UserAgent != "" {
		opts = append(opts, chromedp.UserAgent(vp.UserAgent))
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height), chromedp.EmulateScale(1))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// ArtifactDir is artifacts/screenshots at the module root (git-ignored).
func ArtifactDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
	out := filepath.Join(dir, "artifacts", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// Screenshot saves a full-page PNG named after the test and step.
func Screenshot(t testing.TB, ctx context.Context, step string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", step, err)
		return ""
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "-" + step + ".png"
	p := filepath.Join(ArtifactDir(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
