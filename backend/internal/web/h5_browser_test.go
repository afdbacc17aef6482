package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	_ "image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/browser"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// h5 drives the citizen H5 in chromium at 375×812 against a real server.
type h5 struct {
	t      *testing.T
	env    *webtest.Env
	ctx    context.Context
	staffs map[string]*webtest.Client // staff API clients by username
	phone  string                     // the number the citizen signed in with
}

func newH5(t *testing.T) *h5 {
	env := webtest.Start(t)
	return &h5{t: t, env: env, ctx: browser.New(t, browser.Phone), staffs: map[string]*webtest.Client{}}
}

// do runs browser steps; on failure it keeps a screenshot and the page text.
func (h *h5) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	h.t.Helper()
	browser.Do(h.t, h.ctx, what, steps...)
}

func (h *h5) text(sel string) string {
	h.t.Helper()
	s, err := chromedp.Run(h.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		h.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (h *h5) shot(step string) { browser.Screenshot(h.t, h.ctx, step) }

// staff calls the staff API as an outside system would (bearer token).
func (h *h5) staff(user, path string, body any) webtest.Reply {
	h.t.Helper()
	c, ok := h.staffs[user]
	if !ok {
		c = webtest.StaffAPI(h.t, h.env, user)
		h.staffs[user] = c
	}
	return c.Post(path, body)
}

func (h *h5) mustStaff(user, path string, body any, wantStatus string) {
	h.t.Helper()
	r := h.staff(user, path, body)
	if r.Status != 200 || (wantStatus != "" && r.Str("status") != wantStatus) {
		h.t.Fatalf("%s: %s", user, r)
	}
}

// signInAndBind signs a new citizen in with phone + SMS code and binds the
// identity, as a person would on the phone.
func (h *h5) signInAndBind(phone, name, idNumber string) {
	h.signIn(phone)
	h.claim(name, idNumber)
	h.shot("02b-verify-demo")
	h.do("face check (demo)", chromedp.Click(chromedp.CSS("#btn-verify-pass")), chromedp.WaitVisible(chromedp.CSS("#btn-apply")))
	h.shot("03-home")
}

// signIn signs a new citizen in with phone + SMS code, up to the binding form.
func (h *h5) signIn(phone string) {
	h.t.Helper()
	h.phone = phone
	h.do("open the H5", chromedp.Navigate(h.env.URL+"/m/"), chromedp.WaitVisible(chromedp.CSS("#phone")))
	h.shot("01-login")
	h.do("ask for a code", chromedp.SendKeys(chromedp.CSS("#phone"), phone), chromedp.Click(chromedp.CSS("#btn-send-code")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#btn-send-code').disabled`))
	var code string
	for i := 0; i < 50 && code == ""; i++ {
		code = h.env.LastCode(phone)
		time.Sleep(100 * time.Millisecond)
	}
	if code == "" {
		h.t.Fatal("no SMS code was sent")
	}
	h.do("sign in", chromedp.SendKeys(chromedp.CSS("#code"), code), chromedp.Click(chromedp.CSS("#btn-login")),
		chromedp.WaitVisible(chromedp.CSS("#bind-name")))
	h.shot("02-bind")
}

// claim fills the binding form and goes on to the (demo) face page.
func (h *h5) claim(name, idNumber string) {
	h.t.Helper()
	h.do("claim", chromedp.Evaluate[chromedp.Void](`document.querySelector('#bind-name').value=''; document.querySelector('#bind-id').value=''`),
		chromedp.SendKeys(chromedp.CSS("#bind-name"), name), chromedp.SendKeys(chromedp.CSS("#bind-id"), idNumber),
		chromedp.Click(chromedp.CSS("#btn-bind")), chromedp.WaitVisible(chromedp.CSS("#btn-verify-pass")))
}

// TestH5FaceCheckGatesBinding: a failed face check leaves the account
// unbound with the reason on the form; passing it then binds.
func TestH5FaceCheckGatesBinding(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	const phone = "13700000071"
	bound := func() bool {
		q := h.env.Store.Q(context.Background())
		ap, err := q.ApplicantBy("phone_bidx", q.PhoneIndexes(phone))
		if err != nil {
			t.Fatal(err)
		}
		return ap.PersonID != nil
	}
	h.signIn(phone)
	// The number shows grouped 6-8-4 as typed, whole in its field.
	h.do("type the ID number", chromedp.SendKeys(chromedp.CSS("#bind-id"), "520103198506150026"))
	shown, err := chromedp.Run(h.ctx, chromedp.Evaluate[[]any](`(() => { const i = document.querySelector('#bind-id'); return [i.value, i.scrollWidth <= i.clientWidth, i.scrollWidth, i.clientWidth, getComputedStyle(i).fontSize]; })()`))
	if err != nil || len(shown) != 5 || shown[0] != "520103 19850615 0026" || shown[1] != true {
		t.Fatalf("the ID field shows %v (%v), want it grouped 6-8-4 and unclipped", shown, err)
	}
	h.claim("李梅", "520103198506150026")
	h.do("fail the face check", chromedp.Click(chromedp.CSS("#btn-verify-fail")),
		chromedp.WaitVisible(chromedp.CSS(`[data-test="bind-error"]:not(.is-hidden)`)))
	if msg := h.text(`[data-test="bind-error"]`); !strings.Contains(msg, "实人认证未通过") {
		t.Fatalf("the form says %q after a failed face check", msg)
	}
	if bound() {
		t.Fatal("a failed face check bound the account")
	}
	h.claim("李梅", "520103198506150026")
	h.do("pass the face check", chromedp.Click(chromedp.CSS("#btn-verify-pass")), chromedp.WaitVisible(chromedp.CSS("#btn-apply")))
	if !bound() {
		t.Fatal("a passed face check did not bind")
	}
}

// apply walks the application: kind → the county's first station →
// confirm, where the card is collected at the station's window unless mail
// asks for EMS (改为邮寄到家 → the address form → back to confirm), and
// double-taps submit. It returns the case number.
func (h *h5) apply(kind, county string, mail bool) string {
	h.do("kinds", chromedp.Click(chromedp.CSS("#btn-apply")), chromedp.WaitVisible(chromedp.CSS("#kind-"+kind)))
	h.shot("04-kind")
	h.do("stations", chromedp.Click(chromedp.CSS("#kind-"+kind)), chromedp.WaitVisible(chromedp.CSS("#station-county")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#station-county option[value="`+county+`"]') !== null`),
		chromedp.SetValue(chromedp.CSS("#station-county"), county),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#station-county').dispatchEvent(new Event('change'))`),
		chromedp.WaitVisible(chromedp.CSS("label.station")))
	h.shot("05-station")
	h.do("confirm", chromedp.Click(chromedp.CSS("label.station")), chromedp.Click(chromedp.CSS("#btn-station-next")),
		chromedp.WaitVisible(chromedp.CSS("#btn-submit")))
	// The window at the chosen station is the route unless asked otherwise.
	if got := h.text("#confirm-collection"); got != "窗口领取（免费）" {
		h.t.Fatalf("the confirm page starts with the route %q, want 窗口领取（免费）", got)
	}
	if got := h.text("#btn-collection-change"); got != "改为邮寄到家" {
		h.t.Fatalf("the confirm page's route control reads %q, want 改为邮寄到家", got)
	}
	if mail {
		// A refused form says why, and the message goes once the field is mended.
		h.do("mail form refused", chromedp.Click(chromedp.CSS("#btn-collection-change")), chromedp.WaitVisible(chromedp.CSS("#mail-recipient")),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#mail-recipient").value=""`),
			chromedp.Click(chromedp.CSS("#btn-collection-next")), chromedp.WaitVisible(chromedp.CSS("#collection-error")))
		h.shot("06-mail")
		h.do("mail address", chromedp.SendKeys(chromedp.CSS("#mail-recipient"), "李梅"),
			chromedp.WaitNotVisible(chromedp.CSS("#collection-error")),
			chromedp.Poll[chromedp.Void](`document.querySelector('#mail-phone').value !== ''`))
		// The contact number starts as the one the citizen signed in with.
		if got, _ := chromedp.Run(h.ctx, chromedp.Evaluate[string](`document.querySelector('#mail-phone').value`)); got != h.phone {
			h.t.Fatalf("the mail form's phone is %q, want the sign-in number %q", got, h.phone)
		}
		h.do("another contact number", chromedp.Clear(chromedp.CSS("#mail-phone")),
			chromedp.SendKeys(chromedp.CSS("#mail-phone"), "13712345678"))
		h.do("back to confirm", mailAddress("520103", "中华北路100号3栋2单元501"),
			chromedp.Click(chromedp.CSS("#btn-collection-next")), chromedp.WaitVisible(chromedp.CSS("#btn-submit")))
		if got := h.text("#confirm-collection"); !strings.Contains(got, "邮寄到家") {
			h.t.Fatalf("back on the confirm page the route is %q, want 邮寄到家", got)
		}
		if got := h.text("#btn-collection-change"); got != "改为窗口领取" {
			h.t.Fatalf("the confirm page's route control reads %q after choosing mail, want 改为窗口领取", got)
		}
	}
	// The due dates arrive from the API after the page shows: wait for them
	// to replace the placeholder before reading them.
	h.do("due date", chromedp.Poll[chromedp.Void](`!document.querySelector('#legal-due').textContent.includes('计算中')`))
	if due := h.text("#legal-due"); !strings.Contains(due, "年") && !strings.Contains(due, "-") {
		h.t.Fatalf("the confirm page shows no legal due date: %q", due)
	}
	feeNote := h.text("#confirm-fee-note")
	if !strings.Contains(feeNote, "在线支付") || mail == strings.Contains(feeNote, "窗口") {
		h.t.Fatalf("the confirm page says %q about paying for the %v route", feeNote, map[bool]string{true: "mail", false: "window"}[mail])
	}
	h.shot("07-confirm")
	// A double tap must never make two cases.
	h.do("double tap submit", chromedp.Evaluate[chromedp.Void](`(()=>{const b=document.querySelector('#btn-submit'); b.click(); b.click()})()`),
		chromedp.WaitVisible(chromedp.CSS("#case-no")))
	no := h.text("#case-no")
	if !domain.ValidCaseNo(no) {
		h.t.Fatalf("case number %q", no)
	}
	h.shot("08-done")
	h.do("my cases", chromedp.Navigate(h.env.URL+"/m/#/cases"), chromedp.WaitVisible(chromedp.CSS("[data-test=case-item]")))
	n, err := chromedp.Run(h.ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-test=case-item]').length`))
	if err != nil || n != 1 {
		h.t.Fatalf("我的办件 lists %d cases after a double tap, want 1 (%v)", n, err)
	}
	want := map[bool]string{true: "前送达", false: "前可领取"}[mail]
	if p := h.text("[data-test=predicted]"); !regexp.MustCompile(`^预计 \d+月\d+日 ` + want + `$`).MatchString(p) {
		h.t.Fatalf("我的办件 shows the forecast as %q, want 预计 M月D日 %s", p, want)
	}
	h.shot("09-cases")
	return no
}

// timeline returns the statuses the case page's timeline shows.
func (h *h5) timeline(no string) []string {
	h.do("case page", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	raw, err := chromedp.Run(h.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-test=timeline-item]')].map(e => e.dataset.status)`))
	if err != nil {
		h.t.Fatal(err)
	}
	return raw
}

func wantStages(t *testing.T, got []string, want ...string) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range got {
		seen[s] = true
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("the timeline lacks %s: %v", w, got)
		}
	}
}

// TestH5WindowRoute: a new citizen signs in, binds, applies for window
// pickup and sees the case; the staff steps run through the API; the
// timeline shows every stage, the pickup QR appears, and its decoded token
// is accepted by the station's verify endpoint and the handover.
func TestH5WindowRoute(t *testing.T) {
	h := newH5(t)
	h.signInAndBind("13900000101", "张三", "52010219900101123X")
	no := h.apply("damage_renewal", "520102", false)

	h.mustStaff("station-520102", "/api/v1/staff/cases/"+no+"/precheck", map[string]any{"decision": "approve"}, "accepted")
	h.mustStaff("county-520102", "/api/v1/staff/cases/"+no+"/review", map[string]any{"decision": "approve"}, "issued")
	h.mustStaff("production", "/api/v1/staff/cases/"+no+"/produce", map[string]any{}, "produced")
	h.mustStaff("production", "/api/v1/staff/cases/"+no+"/ship", map[string]any{}, "shipped")
	h.mustStaff("station-520102", "/api/v1/staff/cases/"+no+"/arrive", map[string]any{}, "ready_for_pickup")

	h.do("ready", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#btn-pickup-qr")))
	if first, _ := chromedp.Run(h.ctx, chromedp.Evaluate[bool](`document.querySelector('#btn-pickup-qr').getBoundingClientRect().bottom <= window.innerHeight`)); !first {
		t.Fatal("出示领证二维码 is not on the first screen of a ready case")
	}
	h.shot("10-ready")
	h.do("pickup QR", chromedp.Click(chromedp.CSS("#btn-pickup-qr")), chromedp.WaitVisible(chromedp.CSS("#pickup-qr")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#pickup-qr').complete && document.querySelector('#pickup-qr').naturalWidth > 0`),
		chromedp.WaitVisible(chromedp.CSS("#old-card-reminder")))
	h.shot("11-pickup-qr")
	token := h.scanQR("#pickup-qr")
	if r := h.staff("station-520102", "/api/v1/staff/pickup/verify", map[string]any{"token": token}); r.Status != 200 || r.Str("case.no") != no {
		t.Fatalf("verify of the scanned token: %s", r)
	}
	h.mustStaff("station-520102", "/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}, "collected")

	stages := h.timeline(no)
	wantStages(t, stages, "submitted", "accepted", "issued", "produced", "shipped", "ready_for_pickup", "collected")
	if got, _ := chromedp.Run(h.ctx, chromedp.AttributeValue(chromedp.CSS("#case-status"), "data-status")); got.Value != "collected" {
		t.Fatalf("case page status %q", got.Value)
	}
	h.shot("12-collected")
}

// TestH5WithdrawnCase: a case withdrawn before pre-check says so and no
// longer shows its legal due date or the withdraw button.
func TestH5WithdrawnCase(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	h.signInAndBind("13900000103", "张三", "52010219900101123X")
	no := h.apply("damage_renewal", "520102", false)
	h.do("case page", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#legal-due")),
		chromedp.Click(chromedp.CSS("#btn-cancel")), chromedp.WaitVisible(chromedp.CSS("#dialog-confirm")),
		chromedp.Click(chromedp.CSS("#dialog-confirm")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#case-status') && document.querySelector('#case-status').dataset.status === 'cancelled'`))
	if n, _ := chromedp.Run(h.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#legal-due, #btn-cancel').length`)); n != 0 {
		t.Fatal("a withdrawn case still shows its legal due date or the withdraw button")
	}
}

// TestH5MailRoute follows the EMS route to delivered, with the tracking
// number shown on the case page.
func TestH5MailRoute(t *testing.T) {
	h := newH5(t)
	h.signInAndBind("13900000102", "李梅", "520103198506150026")
	no := h.apply("loss_replacement", "520103", true)
	tracking := domain.MakeS10("EA", 12345678, "CN")

	h.mustStaff("station-520103", "/api/v1/staff/cases/"+no+"/precheck", map[string]any{"decision": "approve"}, "accepted")

	// A temporary card asked for on the case page shows there, and so does
	// its number once the household county issued it.
	h.do("ask for a temporary card", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#btn-temp-card")),
		chromedp.Click(chromedp.CSS("#btn-temp-card")), chromedp.WaitVisible(chromedp.CSS("#dialog-confirm")),
		chromedp.Click(chromedp.CSS("#dialog-confirm")), chromedp.WaitVisible(chromedp.CSS("#dialog-ok")),
		chromedp.Click(chromedp.CSS("#dialog-ok")), chromedp.WaitVisible(chromedp.CSS("#temp-card")))
	if got := h.text("#temp-card-status"); !strings.Contains(got, "已申请") {
		t.Fatalf("temporary card status shown as %q", got)
	}
	if n, _ := chromedp.Run(h.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#btn-temp-card').length`)); n != 0 {
		t.Fatal("the page still offers to ask for a temporary card")
	}
	if r := h.staff("county-520103", "/api/v1/staff/cases/"+no+"/temporary-card", map[string]any{"card_no": "LS5201030001"}); r.Status != 200 {
		t.Fatalf("temporary card issue: %s", r)
	}
	h.do("issued temporary card", chromedp.Click(chromedp.CSS("#btn-refresh")), chromedp.WaitVisible(chromedp.CSS("#temp-card-no")))
	if got := h.text("#temp-card-no"); got != "LS5201030001" {
		t.Fatalf("temporary card number shown as %q", got)
	}
	if got := h.text("#temp-card-valid"); got == "" {
		t.Fatal("the temporary card's last valid day is not shown")
	}
	h.shot("09-temporary-card")

	h.mustStaff("county-520103", "/api/v1/staff/cases/"+no+"/review", map[string]any{"decision": "approve"}, "issued")
	// The mail route pays before production: 支付 on the case page (the demo provider pays at once).
	if r := h.staff("production", "/api/v1/staff/cases/"+no+"/produce", map[string]any{}); r.Status != 409 || r.Code() != "PAYMENT_REQUIRED" {
		t.Fatalf("produced before payment: %s", r)
	}
	h.do("pay", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#btn-pay")),
		chromedp.Click(chromedp.CSS("#btn-pay")), chromedp.WaitVisible(chromedp.CSS(`#payment-status[data-status="paid"]`)))
	h.shot("09b-paid")
	h.mustStaff("production", "/api/v1/staff/cases/"+no+"/produce", map[string]any{}, "produced")
	if r := h.staff("production", "/api/v1/staff/cases/"+no+"/ship", map[string]any{}); r.Status != 422 || r.Code() != "INVALID_TRACKING_NO" {
		t.Fatalf("mail route shipped without a tracking number: %s", r)
	}
	h.mustStaff("production", "/api/v1/staff/cases/"+no+"/ship", map[string]any{"tracking_no": tracking}, "shipped")
	h.do("shipped", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#tracking-no")))
	if got := h.text("#tracking-no"); !strings.Contains(got, tracking) {
		t.Fatalf("tracking number shown as %q, want %s", got, tracking)
	}
	h.shot("10-shipped")
	h.mustStaff("production", "/api/v1/staff/cases/"+no+"/deliver", map[string]any{"signed_by": "李梅"}, "delivered")

	stages := h.timeline(no)
	wantStages(t, stages, "submitted", "accepted", "issued", "produced", "shipped", "delivered")
	if got := h.text("#tracking-no"); !strings.Contains(got, tracking) {
		t.Fatalf("tracking number after delivery: %q", got)
	}
	h.shot("11-delivered")
}

// scanQR reads the QR code an <img> shows, as a scanner pointed at the
// screen would: the displayed image is copied through a canvas and decoded.
func (h *h5) scanQR(sel string) string {
	h.t.Helper()
	js := `(() => { const i = document.querySelector('` + sel + `'); const c = document.createElement('canvas');
		c.width = i.naturalWidth; c.height = i.naturalHeight; c.getContext('2d').drawImage(i, 0, 0);
		return c.toDataURL('image/png').split(',')[1]; })()`
	var lastErr error
	for try := 0; try < 5; try++ {
		b64, err := chromedp.Run(h.ctx, chromedp.Evaluate[string](js))
		if err == nil {
			var raw []byte
			if raw, err = base64.StdEncoding.DecodeString(b64); err == nil {
				var img image.Image
				if img, _, err = image.Decode(bytes.NewReader(raw)); err == nil {
					var text string
					if text, err = webtest.DecodeQR(img); err == nil {
						return text
					}
				}
			}
		}
		lastErr = err
		time.Sleep(300 * time.Millisecond)
	}
	h.t.Fatalf("the QR on the phone does not decode: %v", lastErr)
	return ""
}

// TestH5GreetsAWeChatUser: an account signed in by WeChat, with no phone
// and no identity yet, is greeted as 微信用户, never with an empty name.
func TestH5GreetsAWeChatUser(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	h.do("WeChat demo sign-in", chromedp.Navigate(h.env.URL+"/m/"), chromedp.WaitVisible(chromedp.CSS("#btn-wechat-demo")),
		chromedp.Click(chromedp.CSS("#btn-wechat-demo")), chromedp.WaitVisible(chromedp.CSS("#bind-name")),
		chromedp.Navigate(h.env.URL+"/m/#/"), chromedp.WaitVisible(chromedp.CSS(`[data-test="hello"]`)))
	if got := h.text(`[data-test="hello"]`); got != "您好，微信用户" {
		t.Fatalf("the greeting reads %q", got)
	}
}

// TestH5SignInInsideWeChat: in WeChat's browser the one WeChat button is the
// primary way in, above the phone form; elsewhere the phone form leads.
func TestH5SignInInsideWeChat(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	ctx := browser.New(t, browser.WeChatPhone)
	browser.Do(t, ctx, "open the H5 in WeChat", chromedp.Navigate(env.URL+"/m/"), chromedp.WaitVisible(chromedp.CSS("#btn-wechat-oauth")),
		chromedp.Sleep(500*time.Millisecond)) // time for a demo button, were there one
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`(() => {
	  const wx = [...document.querySelectorAll('.weui-btn')].filter((b) => b.textContent.includes('微信'));
	  const o = document.querySelector('#btn-wechat-oauth'), p = document.querySelector('#phone');
	  return [wx.length, o.classList.contains('weui-btn_primary'), o.getBoundingClientRect().top < p.getBoundingClientRect().top,
	    document.querySelector('#btn-login').classList.contains('weui-btn_primary')];
	})()`))
	if err != nil || len(got) != 4 || got[0] != float64(1) || got[1] != true || got[2] != true || got[3] != false {
		t.Fatalf("inside WeChat: [WeChat buttons, primary, above the phone form, phone login primary] = %v (%v)", got, err)
	}
}

// TestH5ReapplyKeepsTheChoices: 重新申请 after a rejection starts from the
// rejected case's choices — its kind, its station, its collection route.
func TestH5ReapplyKeepsTheChoices(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	h.signInAndBind("13900000104", "张三", "52010219900101123X")
	no := h.apply("loss_replacement", "520102", false)
	h.mustStaff("station-520102", "/api/v1/staff/cases/"+no+"/precheck", map[string]any{"decision": "reject", "reason": "相片不清晰"}, "rejected")
	h.do("reapply", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("#btn-reapply")),
		chromedp.Click(chromedp.CSS("#btn-reapply")), chromedp.WaitVisible(chromedp.CSS("#kind-loss_replacement.is-selected")),
		chromedp.Click(chromedp.CSS("#kind-loss_replacement")), chromedp.WaitVisible(chromedp.CSS("label.station")),
		chromedp.Poll[chromedp.Void](`document.querySelector('input[data-test="station-radio"]:checked') !== null`),
		chromedp.Click(chromedp.CSS("#btn-station-next")), chromedp.WaitVisible(chromedp.CSS("#btn-submit")))
	if got := h.text("#confirm-collection"); got != "窗口领取（免费）" {
		t.Fatalf("the collection route of the rejected case is not chosen again: %q", got)
	}
}

// TestH5CodeCountdownAgrees: asked again too soon (after a reload), the
// sign-in page counts the server's wait down on the button and does not
// print a second, frozen number of seconds beside it.
func TestH5CodeCountdownAgrees(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	h.do("ask for a code", chromedp.Navigate(h.env.URL+"/m/"), chromedp.WaitVisible(chromedp.CSS("#phone")),
		chromedp.SendKeys(chromedp.CSS("#phone"), "13900000105"), chromedp.Click(chromedp.CSS("#btn-send-code")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#btn-send-code').textContent.includes('秒后重发')`))
	h.do("ask again after a reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#phone")),
		chromedp.SendKeys(chromedp.CSS("#phone"), "13900000105"), chromedp.Click(chromedp.CSS("#btn-send-code")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#btn-send-code').textContent.includes('秒后重发') && document.querySelector('.form-error:not(.is-hidden)') !== null`))
	msg, err := chromedp.Run(h.ctx, chromedp.Evaluate[string](`document.querySelector('.form-error:not(.is-hidden)').textContent`))
	if err != nil || strings.ContainsAny(msg, "0123456789") || !strings.Contains(msg, "倒计时") {
		t.Fatalf("the refusal reads %q (%v): it should point at the countdown, not give its own number", msg, err)
	}
}
