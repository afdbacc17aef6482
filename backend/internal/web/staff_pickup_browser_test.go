package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/browser"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestPickupBrowserHandheld is a real pickup in a browser: the applicant's
// QR PNG is decoded, its token typed into the focused scan field followed by
// Enter, as a handheld scanner does, the checks ticked and the card handed
// over.
func TestPickupBrowserHandheld(t *testing.T) {
	ctx := browser.New(t, browser.Desktop)
	env := webtest.Start(t)
	app, no := webtest.Submit(t, env, webtest.ZhangSan, "window", domain.StatusReadyForPickup)
	token := webtest.PickupToken(t, app, no)
	browser.StaffSignIn(t, ctx, env.URL, "station-520102")

	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/staff/pickup"), chromedp.WaitVisible(`#token`)); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil || focused != "token" {
		t.Fatalf("the focused field is %q (%v), want the token field", focused, err)
	}
	browser.Screenshot(t, ctx, "scan")
	// The scanner types into whatever has the focus.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(token+"\r"), chromedp.WaitVisible(`#handover`)); err != nil {
		t.Fatalf("the typed token did not lead to the check page: %v", err)
	}
	if txt := browser.BodyText(t, ctx); !strings.Contains(txt, no) || !strings.Contains(txt, "张三") || !strings.Contains(txt, "520102********123X") {
		t.Fatalf("check page: %s", txt)
	}
	browser.Screenshot(t, ctx, "check")
	// The face-match box is required: the browser does not send the form.
	if err := chromedp.Do(ctx, chromedp.Click(`#handover`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a handover without the face match went through: %s", st)
	}
	// A damage renewal's old card must come back: the box is required, and
	// a form sent without it anyway is refused by the server.
	if err := chromedp.Do(ctx, chromedp.Click(`#face-match`)); err != nil {
		t.Fatal(err)
	}
	valid, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('handover-form').checkValidity()`))
	if err != nil || valid {
		t.Fatalf("the handover form is valid (%v, %v) without the old card ticked", valid, err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('old-card').removeAttribute('required')`),
		chromedp.Click(`#handover`), chromedp.WaitVisible(`.flash.err`)); err != nil {
		t.Fatal(err)
	}
	if txt := browser.BodyText(t, ctx); !strings.Contains(txt, "须交回原证") || !strings.Contains(txt, no) {
		t.Fatalf("the refusal without the old card: %s", txt)
	}
	if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a handover without the old card went through: %s", st)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#face-match`), chromedp.Click(`#old-card`), chromedp.Click(`#handover`),
		chromedp.WaitVisible(`.flash.ok`)); err != nil {
		t.Fatal(err)
	}
	if txt := browser.BodyText(t, ctx); !strings.Contains(txt, "办件"+no+"已发证") {
		t.Fatalf("after the handover: %s", txt)
	}
	browser.Screenshot(t, ctx, "done")
	if st := webtest.CaseStatus(t, app, no); st != "collected" {
		t.Fatalf("after the handover the case is %s", st)
	}
}

// TestPickupBrowserCamera runs the camera scanner (pickup.js with jsQR)
// under the page's CSP, with chromium's fake camera showing the applicant's
// QR code: the decoded token is submitted without a key press.
func TestPickupBrowserCamera(t *testing.T) {
	exec := browser.Exec(t)
	env := webtest.Start(t)
	app, no := webtest.Submit(t, env, webtest.LiMei, "window", domain.StatusReadyForPickup)
	qr := webtest.Want(t, app.Get("/api/v1/cases/"+no+"/pickup-qr.png"), 200, "").Body
	video := pkFakeCamera(t, qr)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exec), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.Flag("disable-gpu", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video), chromedp.WindowSize(browser.Desktop.Width, browser.Desktop.Height))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	// The first action starts the browser and binds it to its context, so it
	// runs on ctx itself, not on a step's shorter-lived one.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start the browser: %v", err)
	}

	browser.StaffSignIn(t, ctx, env.URL, "station-520103")
	err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/staff/pickup"), chromedp.WaitVisible(`#camera-start`),
		chromedp.Click(`#camera-start`), chromedp.WaitVisible(`#handover`))
	if err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(`#camera-status`))
		t.Fatalf("the camera scanner did not reach the check page: %v (status: %q)", err, status)
	}
	if txt := browser.BodyText(t, ctx); !strings.Contains(txt, no) || !strings.Contains(txt, "李梅") {
		t.Fatalf("check page after the camera scan: %s", txt)
	}
	browser.Screenshot(t, ctx, "camera-check")
}

// pkFakeCamera writes a Y4M video of the QR code on white for chromium's
// fake camera and returns its path.
func pkFakeCamera(t testing.TB, qrPNG []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(qrPNG))
	if err != nil {
		t.Fatal(err)
	}
	const w, h, side = 640, 480, 420
	luma := bytes.Repeat([]byte{255}, w*h)
	b := img.Bounds()
	ox, oy := (w-side)/2, (h-side)/2
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			src := image.Point{b.Min.X + x*b.Dx()/side, b.Min.Y + y*b.Dy()/side}
			luma[(oy+y)*w+ox+x] = color.GrayModel.Convert(img.At(src.X, src.Y)).(color.Gray).Y
		}
	}
	chroma := bytes.Repeat([]byte{128}, (w/2)*(h/2))
	var out bytes.Buffer
	out.WriteString("YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
	for range 10 {
		out.WriteString("FRAME\n")
		out.Write(luma)
		out.Write(chroma)
		out.Write(chroma)
	}
	p := filepath.Join(t.TempDir(), "qr.y4m")
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
