package wechatpay_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/payment"
	"github.com/gzga/idcard/backend/internal/payment/wechatpay"
	"github.com/gzga/idcard/backend/internal/payment/wechatpaytest"
)

func TestClientAgainstTheFake(t *testing.T) {
	ctx := context.Background()
	f := wechatpaytest.New(t)
	cfg := f.Config(map[string]string{"miniprogram": "wxmini0001"}, "https://idcard.example/api/v1/payments/wechat/notify")
	cl := wechatpay.New(cfg)

	p, err := cl.Prepare(ctx, payment.Order{OutTradeNo: "P1", Description: "身份证工本费", AmountFen: 4000, Channel: "miniprogram", OpenID: "o-1"})
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := f.Order("P1"); !ok || o.AmountFen != 4000 || o.AppID != "wxmini0001" || p.Params["package"] != "prepay_id="+o.PrepayID {
		t.Fatalf("order %+v, params %v", o, p.Params)
	}
	// The client's paySign is the merchant's signature of appId, timeStamp, nonceStr, package.
	if err := wechatpay.VerifyLines(&cfg.MchKey.PublicKey, p.Params["paySign"], "wxmini0001", p.Params["timeStamp"], p.Params["nonceStr"], p.Params["package"]); err != nil || p.Params["signType"] != "RSA" {
		t.Fatalf("paySign does not verify: %v %v", err, p.Params)
	}
	if _, err := cl.Prepare(ctx, payment.Order{OutTradeNo: "P2", AmountFen: 1, Channel: "jsapi", OpenID: "o"}); err == nil {
		t.Error("an order on a channel with no app id")
	}

	h, body, err := f.Pay("P1")
	if err != nil {
		t.Fatal(err)
	}
	headers := func(h map[string][]string) payment.NotifyHeaders {
		return payment.NotifyHeaders{Timestamp: h["Wechatpay-Timestamp"][0], Nonce: h["Wechatpay-Nonce"][0],
			Signature: h["Wechatpay-Signature"][0], Serial: h["Wechatpay-Serial"][0]}
	}
	n, err := cl.VerifyNotify(headers(h), body)
	if err != nil || n.OutTradeNo != "P1" || n.State != "SUCCESS" || n.AmountFen != 4000 || n.TransactionID == "" {
		t.Fatalf("notice %+v, %v", n, err)
	}
	for name, forge := range map[string]func() (payment.NotifyHeaders, []byte){
		"altered body": func() (payment.NotifyHeaders, []byte) {
			return headers(h), []byte(strings.Replace(string(body), "TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ", 1))
		},
		"other serial": func() (payment.NotifyHeaders, []byte) { x := headers(h); x.Serial = "OTHER"; return x, body },
		"no signature": func() (payment.NotifyHeaders, []byte) { x := headers(h); x.Signature = ""; return x, body },
		"stale":        func() (payment.NotifyHeaders, []byte) { x := headers(h); x.Timestamp = "1700000000"; return x, body },
	} {
		x, b := forge()
		if _, err := cl.VerifyNotify(x, b); !errors.Is(err, payment.ErrBadNotify) {
			t.Errorf("%s: %v, want ErrBadNotify", name, err)
		}
	}
	// A notify signed by someone else's key: a second fake.
	other := wechatpaytest.New(t)
	oh, ob, _ := func() (map[string][]string, []byte, error) {
		ocl := wechatpay.New(other.Config(map[string]string{"miniprogram": "wx"}, "https://x"))
		if _, err := ocl.Prepare(ctx, payment.Order{OutTradeNo: "P1", AmountFen: 4000, Channel: "miniprogram", OpenID: "o"}); err != nil {
			t.Fatal(err)
		}
		return other.Pay("P1")
	}()
	x := headers(oh)
	x.Serial = f.PlatformSerial
	if _, err := cl.VerifyNotify(x, ob); !errors.Is(err, payment.ErrBadNotify) {
		t.Errorf("a notify signed by another key: %v", err)
	}

	if err := cl.Refund(ctx, payment.Refund{OutTradeNo: "P1", OutRefundNo: "R1", AmountFen: 4000, TotalFen: 4000, Reason: "未通过"}); err != nil {
		t.Fatal(err)
	}
	if r := f.Refunds(); len(r) != 1 || r[0].OutRefundNo != "R1" {
		t.Fatalf("refunds %+v", r)
	}
	f.AddBillLine("GHOST", 2000)
	rows, err := cl.Bill(ctx, "2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]payment.BillRow{}
	for _, r := range rows {
		got[r.OutTradeNo] = r
	}
	if r := got["P1"]; r.State != "REFUND" || r.AmountFen != 4000 || r.RefundFen != 4000 || got["GHOST"].AmountFen != 2000 || len(rows) != 2 {
		t.Fatalf("bill rows %+v", rows)
	}

	// A request the fake cannot verify (another merchant key) is refused.
	bad := other.Config(nil, "")
	cfg.MchKey = bad.MchKey
	if _, err := wechatpay.New(cfg).Bill(ctx, "2026-12-01"); err == nil || !strings.Contains(err.Error(), "SIGN_ERROR") {
		t.Errorf("a request signed with the wrong key: %v", err)
	}
}
