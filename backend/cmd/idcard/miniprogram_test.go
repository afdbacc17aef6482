package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/web/browser"
)

// TestMiniProgram runs the mini-program's tests (frontend/miniprogram-tests,
// node:test with miniprogram-simulate) against a real embedded `idcard
// serve` on a free port: every page rendered, the window and EMS journeys
// from wx.login to a closed case with the staff steps through the staff
// API, and the check that every path the client calls is in openapi.yaml.
// It needs Node and the npm packages of `make assets` (scripts/assets.sh).
func TestMiniProgram(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the mini-program tests need Node.js (see README)")
	}
	for _, need := range []string{"node_modules/miniprogram-simulate", "frontend/miniprogram/miniprogram_npm/weui-miniprogram", "frontend/miniprogram/h5rules"} {
		if _, err := os.Stat(filepath.Join(root, need)); err != nil {
			t.Fatalf("%s is missing: run ./scripts/assets.sh (make assets) first", need)
		}
	}

	dir := t.TempDir()
	good := writeJPEG(t, filepath.Join(dir, "ga461.jpg"), idPhoto())
	bad := writeJPEG(t, filepath.Join(dir, "small.jpg"), image.NewRGBA(image.Rect(0, 0, 200, 200)))

	const staffPassword = "mp-test-staff"
	base, logs, stop := startServe(t, map[string]string{
		"IDCARD_DATA_DIR":      t.TempDir(),
		"IDCARD_ADDR":          "127.0.0.1:0",
		"IDCARD_DEMO_PASSWORD": staffPassword,
	})
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	// A guard against a hang, not a timing check: the whole suite runs in
	// about a minute alone, several on a machine busy with the other tests.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "frontend/miniprogram-tests/")
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"IDCARD_MP_SERVER="+base,
		"IDCARD_MP_PHOTO="+good,
		"IDCARD_MP_BAD_PHOTO="+bad,
		"IDCARD_MP_STAFF_PASSWORD="+staffPassword,
		"NO_COLOR=1",
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Logf("node --test frontend/miniprogram-tests/:\n%s", out.String())
	if err != nil {
		t.Fatalf("the mini-program tests failed (%v); server log:\n%s", err, logs)
	}
	measureElderSnapshots(t, filepath.Join(root, "artifacts", "miniprogram"))
}

// measureElderSnapshots draws the 长辈版 pages the node tests kept
// (elder-*.html, where 1rpx is 1px of a 750 px wide page) in chromium and
// measures them as the H5's 长辈版 is measured, at twice the sizes: no
// visible text under 36rpx (18 px on a 375 px phone) and no primary button
// under 120rpx (60 px).
func measureElderSnapshots(t *testing.T, dir string) {
	pages, err := filepath.Glob(filepath.Join(dir, "elder-*.html"))
	if err != nil || len(pages) < 5 {
		t.Fatalf("the node tests kept %d 长辈版 snapshots in %s, want the walk's pages (%v)", len(pages), dir, err)
	}
	ctx := browser.New(t, browser.Viewport{Width: 750, Height: 1624})
	for _, p := range pages {
		if _, err := chromedp.Run(ctx, chromedp.Navigate("file://"+p)); err != nil {
			t.Fatal(err)
		}
		if bad := browser.ElderFaults(t, ctx, 2, `[class*="weui-btn_primary"]`); len(bad) > 0 {
			t.Errorf("长辈版 %s: %d faults:\n%s", filepath.Base(p), len(bad), strings.Join(bad, "\n"))
		}
	}
}

// idPhoto is an ID photo as GA 461 wants it: 358×441, a near-white
// background, a head and shoulders.
func idPhoto() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 358, 441))
	for y := range 441 {
		for x := range 358 {
			c := color.RGBA{255, 255, 255, 255}
			dx, dy := float64(x-179)/70, float64(y-210)/95
			if dx*dx+dy*dy < 1 || y > 330 {
				c = color.RGBA{60, 50, 45, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func writeJPEG(t *testing.T, path string, img image.Image) string {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
