package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/payment"
	"github.com/gzga/idcard/backend/internal/payment/wechatpay"
	"github.com/gzga/idcard/backend/internal/payment/wechatpaytest"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// payEnv starts a server whose payment provider is the WeChat Pay client
// against the local fake.
func payEnv(t *testing.T) (*webtest.Env, *wechatpaytest.Fake) {
	fake := wechatpaytest.New(t)
	env := webtest.StartWith(t, webtest.Options{Payments: func(url string) payment.Provider {
		return wechatpay.New(fake.Config(map[string]string{domain.ChannelMiniProgram: "wxmini00000001", domain.ChannelJSAPI: "wxmp000000001"},
			url+"/api/v1/payments/wechat/notify"))
	}})
	return env, fake
}

// weChatApplicant signs p in through the mini-program's wx.login (demo
// code), binds the person and returns the bearer client.
func weChatApplicant(t *testing.T, env *webtest.Env, p webtest.DemoPerson) *webtest.Client {
	c := webtest.NewClient(t, env.URL)
	tok := webtest.Want(t, c.Post("/api/v1/auth/wechat", map[string]any{"code": "dev:" + p.Phone}), http.StatusOK, "").Str("token")
	c = c.Bearer(tok)
	webtest.Want(t, c.Post("/api/v1/me/identity", map[string]any{"name": p.Name, "id_number": p.ID, "verify_result": "dev:pass"}), http.StatusOK, "")
	return c
}

// postNotify posts a WeChat Pay callback as the platform would.
func postNotify(t *testing.T, env *webtest.Env, h http.Header, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/payments/wechat/notify", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func paymentStatus(t *testing.T, app *webtest.Client, no string) string {
	t.Helper()
	return webtest.Want(t, app.Get("/api/v1/cases/"+no), http.StatusOK, "").Str("payment_status")
}

// TestPaymentWeChatPay walks the payment of a mail-route case through the
// fake WeChat Pay: production refused until paid, a prepay with the
// parameters of wx.requestPayment, forged notifies refused with nothing
// changed, the signed notify marks the case paid, and a second payment is
// refused; then a paid window-route case that is rejected is refunded; and
// the reconciliation flags a bill line we do not know.
func TestPaymentWeChatPay(t *testing.T) {
	env, fake := payEnv(t)
	ctx := context.Background()
	app := weChatApplicant(t, env, webtest.ZhangSan)
	body := map[string]any{"kind": "damage_renewal", "station_id": env.Staff(t, "station-520102").OfficeID, "collection": "mail",
		"mail": map[string]any{"recipient": "张三", "phone": "13800000001", "division_code": "520102", "address": "北京路126号4栋1单元602"}}
	r := webtest.Want(t, app.Post("/api/v1/cases", body), http.StatusCreated, "")
	no := r.Str("no")
	if r.Str("payment_status") != "unpaid" || r.Num("amount_due_yuan") != 40+domain.EMSPostageYuan {
		t.Fatalf("a new mail case: payment_status %q, amount %d", r.Str("payment_status"), r.Num("amount_due_yuan"))
	}
	env.Drive(t, no, domain.StatusAccepted)
	if _, err := env.Service.Review(ctx, env.Staff(t, "county-520102"), no, service.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	prod := webtest.StaffAPI(t, env, "production")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+no+"/produce", map[string]any{}), http.StatusConflict, "PAYMENT_REQUIRED")

	r = webtest.Want(t, app.Post("/api/v1/cases/"+no+"/payment", map[string]any{"channel": "miniprogram"}), http.StatusOK, "")
	params, _ := r.JSON("params").(map[string]any)
	if r.Str("provider") != "wechatpay" || r.Str("status") != "unpaid" || !strings.HasPrefix(params["package"].(string), "prepay_id=") || params["paySign"] == "" {
		t.Fatalf("payment answer %s", r)
	}
	nos := fake.OrderNos()
	if len(nos) != 1 {
		t.Fatalf("orders at WeChat Pay: %v", nos)
	}
	if o, _ := fake.Order(nos[0]); o.AmountFen != 100*(40+domain.EMSPostageYuan) || o.OpenID != "dev-13800000001" || o.AppID != "wxmini00000001" {
		t.Fatalf("order %+v", o)
	}
	h, genuine, err := fake.Pay(nos[0])
	if err != nil {
		t.Fatal(err)
	}

	// Forged: an altered body, and one signed with another key.
	altered := []byte(strings.Replace(string(genuine), `"summary":"支付成功"`, `"summary":"支付成功 "`, 1))
	other := wechatpaytest.New(t)
	ocl := wechatpay.New(other.Config(map[string]string{"miniprogram": "wxmini00000001"}, "https://x"))
	if _, err := ocl.Prepare(ctx, payment.Order{OutTradeNo: nos[0], AmountFen: 1, Channel: "miniprogram", OpenID: "o"}); err != nil {
		t.Fatal(err)
	}
	oh, ob, _ := other.Pay(nos[0])
	oh.Set("Wechatpay-Serial", fake.PlatformSerial)
	for name, f := range map[string]struct {
		h http.Header
		b []byte
	}{"altered": {h, altered}, "other key": {oh, ob}, "unsigned": {http.Header{}, genuine}} {
		if code := postNotify(t, env, f.h, f.b); code != http.StatusUnauthorized {
			t.Errorf("forged notify (%s) answered %d, want 401", name, code)
		}
	}
	if s := paymentStatus(t, app, no); s != "unpaid" {
		t.Fatalf("after forged notifies the case is %q", s)
	}
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+no+"/produce", map[string]any{}), http.StatusConflict, "PAYMENT_REQUIRED")

	// The genuine notify, twice (WeChat Pay repeats until answered).
	for range 2 {
		if code := postNotify(t, env, h, genuine); code != http.StatusNoContent {
			t.Fatalf("genuine notify answered %d", code)
		}
	}
	if s := paymentStatus(t, app, no); s != "paid" {
		t.Fatalf("after the notify the case is %q, want paid", s)
	}
	webtest.Want(t, app.Post("/api/v1/cases/"+no+"/payment", map[string]any{"channel": "miniprogram"}), http.StatusConflict, "ALREADY_PAID")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+no+"/produce", map[string]any{}), http.StatusOK, "")

	// A paid window-route case rejected at review is refunded.
	li := weChatApplicant(t, env, webtest.LiMei)
	no2 := webtest.Want(t, li.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal",
		"station_id": env.Staff(t, "station-520103").OfficeID, "collection": "window"}), http.StatusCreated, "").Str("no")
	if s := paymentStatus(t, li, no2); s != "pay_at_window" {
		t.Fatalf("a new window case is %q, want pay_at_window", s)
	}
	webtest.Want(t, li.Post("/api/v1/cases/"+no2+"/payment", map[string]any{"channel": "miniprogram"}), http.StatusOK, "")
	var order2 string
	for _, n := range fake.OrderNos() {
		if strings.HasPrefix(n, no2) {
			order2 = n
		}
	}
	h2, b2, _ := fake.Pay(order2)
	if code := postNotify(t, env, h2, b2); code != http.StatusNoContent {
		t.Fatalf("notify answered %d", code)
	}
	env.Drive(t, no2, domain.StatusAccepted)
	county := webtest.StaffAPI(t, env, "county-520103")
	webtest.Want(t, county.Post("/api/v1/staff/cases/"+no2+"/review", map[string]any{"decision": "reject", "reason": "人证不符"}), http.StatusOK, "")
	if s := paymentStatus(t, li, no2); s != "refunded" {
		t.Fatalf("a paid case rejected is %q, want refunded", s)
	}
	refunds := fake.Refunds()
	if len(refunds) != 1 || refunds[0].OutTradeNo != order2 || refunds[0].AmountFen != 4000 {
		t.Fatalf("refunds at WeChat Pay: %+v", refunds)
	}
	webtest.Want(t, li.Post("/api/v1/cases/"+no2+"/payment", map[string]any{"channel": "miniprogram"}), http.StatusConflict, "NOTHING_TO_PAY")

	// Reconciliation: the bill has the two orders and one we never made.
	fake.AddBillLine("GZ000000000000P1", 2000)
	today := calendar.FormatDate(time.Now())
	n, err := env.Service.Reconcile(ctx, today)
	if err != nil || n != 1 {
		t.Fatalf("reconciliation found %d differences (%v), want the one unknown order", n, err)
	}
	code, page := webtest.StaffPages(t, env, "admin").Get("/staff/admin/payments").Page()
	if code != http.StatusOK {
		t.Fatalf("admin payments page: %d", code)
	}
	webtest.Has(t, "reconciliation page", page, "GZ000000000000P1", "本地无记录", "20.00")
}

// contractNotify pays a case at a second server that pays through the
// fake WeChat Pay, its prepay and notify through the contract's clients,
// so that the document's WeChat Pay answers are checked too.
func contractNotify(t *testing.T, ct *webtest.Contract) {
	env, fake := payEnv(t)
	ct.AlsoServe(t, env.URL)
	weChatApplicant(t, env, webtest.LiMei) // signs in and binds the account
	c := ct.Client(t, env.URL)
	wx := webtest.Want(t, c.Post("/api/v1/auth/wechat", map[string]any{"code": "dev:" + webtest.LiMei.Phone}), http.StatusOK, "").Str("token")
	c = c.Bearer(wx)
	no := webtest.Want(t, c.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal",
		"station_id": env.Staff(t, "station-520103").OfficeID, "collection": "window"}), http.StatusCreated, "").Str("no")
	r := webtest.Want(t, c.Post("/api/v1/cases/"+no+"/payment", map[string]any{"channel": "miniprogram"}), http.StatusOK, "")
	if r.Str("provider") != "wechatpay" {
		t.Fatalf("payment: %s", r)
	}
	h, body, err := fake.Pay(fake.OrderNos()[0])
	if err != nil {
		t.Fatal(err)
	}
	hdr := map[string]string{}
	for k := range h {
		hdr[k] = h.Get(k)
	}
	webtest.Want(t, ct.Client(t, env.URL).Do(http.MethodPost, "/api/v1/payments/wechat/notify", webtest.Raw(body), hdr), http.StatusNoContent, "")
}
