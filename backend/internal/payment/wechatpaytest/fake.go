// Package wechatpaytest is a local fake of WeChat Pay API v3 for tests: it
// checks every request's WECHATPAY2-SHA256-RSA2048 signature with the
// merchant's public key, signs its answers and callbacks with a platform
// key of its own, encrypts callback resources with the APIv3 key, and
// keeps the orders it was given so that its trade bill lists them.
package wechatpaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/payment/wechatpay"
)

// Fake is the fake WeChat Pay.
type Fake struct {
	URL            string
	MchID          string
	MchSerial      string
	PlatformSerial string
	APIv3Key       []byte

	mchKey, platformKey *rsa.PrivateKey
	clock               func() time.Time

	mu      sync.Mutex
	orders  map[string]*Order
	refunds []Refund
	extra   []string // bill lines the fake adds, as a reconciliation test wants
	seq     int
}

// Order is what the fake knows of one prepay order.
type Order struct {
	AppID, OpenID, Description, NotifyURL string
	AmountFen                             int
	PrepayID, TransactionID, State        string // State: NOTPAY, SUCCESS, REFUND
}

// Refund is a refund the fake was asked for.
type Refund struct {
	OutTradeNo, OutRefundNo string
	AmountFen, TotalFen     int
}

// New starts a fake for the test; it stops with the test.
func New(t testing.TB) *Fake {
	t.Helper()
	key := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	f := &Fake{MchID: "1900000109", MchSerial: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
		PlatformSerial: "PUB_KEY_ID_0119000001092025120200000000", APIv3Key: []byte("0123456789abcdef0123456789abcdef"),
		mchKey: key(), platformKey: key(), clock: time.Now, orders: map[string]*Order{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Config returns a client configuration for this fake.
func (f *Fake) Config(appIDs map[string]string, notifyURL string) wechatpay.Config {
	return wechatpay.Config{MchID: f.MchID, MchSerial: f.MchSerial, MchKey: f.mchKey, APIv3Key: f.APIv3Key,
		PlatformSerial: f.PlatformSerial, PlatformKey: &f.platformKey.PublicKey, AppIDs: appIDs,
		NotifyURL: notifyURL, BaseURL: f.URL}
}

// Env returns the IDCARD_WECHATPAY_* settings of a server that pays at
// this fake, its keys as PEM.
func (f *Fake) Env() map[string]string {
	der, err := x509.MarshalPKCS8PrivateKey(f.mchKey)
	if err != nil {
		panic(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&f.platformKey.PublicKey)
	if err != nil {
		panic(err)
	}
	return map[string]string{"IDCARD_PAY_PROVIDER": "wechatpay", "IDCARD_WECHATPAY_MCH_ID": f.MchID,
		"IDCARD_WECHATPAY_MCH_SERIAL": f.MchSerial, "IDCARD_WECHATPAY_APIV3_KEY": string(f.APIv3Key),
		"IDCARD_WECHATPAY_PRIVATE_KEY":   string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"IDCARD_WECHATPAY_PUBLIC_KEY_ID": f.PlatformSerial,
		"IDCARD_WECHATPAY_PUBLIC_KEY":    string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
		"IDCARD_WECHATPAY_API":           f.URL}
}

// Order returns the fake's order of that number.
func (f *Fake) Order(outTradeNo string) (Order, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orders[outTradeNo]
	if !ok {
		return Order{}, false
	}
	return *o, true
}

// OrderNos returns the numbers of the orders placed so far.
func (f *Fake) OrderNos() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.orders))
	for no := range f.orders {
		out = append(out, no)
	}
	return out
}

// Refunds returns the refunds asked for so far.
func (f *Fake) Refunds() []Refund {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Refund(nil), f.refunds...)
}

// AddBillLine adds a trade to every bill that our side does not know of
// (a payment with no local record).
func (f *Fake) AddBillLine(outTradeNo string, amountFen int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.extra = append(f.extra, billLine(f.MchID, "4200009999"+strconv.Itoa(len(f.extra)), outTradeNo, "SUCCESS", amountFen, 0))
}

var authRe = regexp.MustCompile(`^WECHATPAY2-SHA256-RSA2048 mchid="([^"]*)",nonce_str="([^"]*)",signature="([^"]*)",timestamp="([^"]*)",serial_no="([^"]*)"$`)

// checkAuth verifies a request's Authorization as WeChat Pay does.
func (f *Fake) checkAuth(r *http.Request, body []byte) error {
	m := authRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return fmt.Errorf("Authorization %q is not WECHATPAY2-SHA256-RSA2048", r.Header.Get("Authorization"))
	}
	if m[1] != f.MchID || m[5] != f.MchSerial {
		return fmt.Errorf("mchid %s serial %s", m[1], m[5])
	}
	ts, _ := strconv.ParseInt(m[4], 10, 64)
	if d := f.clock().Sub(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("timestamp %s", m[4])
	}
	return wechatpay.VerifyLines(&f.mchKey.PublicKey, m[3], r.Method, r.URL.RequestURI(), m[4], m[2], string(body))
}

// signed writes a JSON answer signed with the platform key.
func (f *Fake) signed(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	h := f.SignHeaders(body)
	for k, vs := range h {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// SignHeaders returns the Wechatpay-* headers that sign body now.
func (f *Fake) SignHeaders(body []byte) http.Header {
	ts, nonce := strconv.FormatInt(f.clock().Unix(), 10), wechatpay.Nonce()
	sig, err := wechatpay.SignLines(f.platformKey, ts, nonce, string(body))
	if err != nil {
		panic(err)
	}
	return http.Header{"Wechatpay-Timestamp": {ts}, "Wechatpay-Nonce": {nonce}, "Wechatpay-Signature": {sig},
		"Wechatpay-Serial": {f.PlatformSerial}}
}

func (f *Fake) fail(w http.ResponseWriter, status int, code, msg string) {
	f.signed(w, status, map[string]string{"code": code, "message": msg})
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := f.checkAuth(r, body); err != nil {
		f.fail(w, http.StatusUnauthorized, "SIGN_ERROR", err.Error())
		return
	}
	switch {
	case r.Method == "POST" && r.URL.Path == "/v3/pay/transactions/jsapi":
		f.prepay(w, body)
	case r.Method == "POST" && r.URL.Path == "/v3/refund/domestic/refunds":
		f.refund(w, body)
	case r.Method == "GET" && r.URL.Path == "/v3/bill/tradebill":
		data := f.bill()
		sum := sha1.Sum(data)
		f.signed(w, 200, map[string]string{"hash_type": "SHA1", "hash_value": hex.EncodeToString(sum[:]),
			"download_url": f.URL + "/v3/billdownload/file?token=" + r.URL.Query().Get("bill_date")})
	case r.Method == "GET" && r.URL.Path == "/v3/billdownload/file":
		_, _ = w.Write(f.bill())
	default:
		f.fail(w, http.StatusNotFound, "NOT_FOUND", r.URL.Path)
	}
}

func (f *Fake) prepay(w http.ResponseWriter, body []byte) {
	var in struct {
		AppID, MchID, Description string
		OutTradeNo                string `json:"out_trade_no"`
		NotifyURL                 string `json:"notify_url"`
		Amount                    struct{ Total int }
		Payer                     struct{ OpenID string }
	}
	if err := json.Unmarshal(body, &in); err != nil || in.AppID == "" || in.MchID != f.MchID || in.OutTradeNo == "" ||
		in.Amount.Total <= 0 || in.Payer.OpenID == "" || in.NotifyURL == "" {
		f.fail(w, 400, "PARAM_ERROR", "参数错误")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if o, ok := f.orders[in.OutTradeNo]; ok {
		if o.State == "SUCCESS" {
			f.fail(w, 400, "ORDERPAID", "该订单已支付")
			return
		}
	}
	f.seq++
	o := &Order{AppID: in.AppID, OpenID: in.Payer.OpenID, Description: in.Description, NotifyURL: in.NotifyURL,
		AmountFen: in.Amount.Total, PrepayID: fmt.Sprintf("wx%d%08d", f.clock().Unix(), f.seq), State: "NOTPAY"}
	f.orders[in.OutTradeNo] = o
	f.signed(w, 200, map[string]string{"prepay_id": o.PrepayID})
}

func (f *Fake) refund(w http.ResponseWriter, body []byte) {
	var in struct {
		OutTradeNo  string `json:"out_trade_no"`
		OutRefundNo string `json:"out_refund_no"`
		Amount      struct{ Refund, Total int }
	}
	_ = json.Unmarshal(body, &in)
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orders[in.OutTradeNo]
	if !ok || o.State != "SUCCESS" || in.Amount.Total != o.AmountFen || in.Amount.Refund <= 0 || in.Amount.Refund > o.AmountFen {
		f.fail(w, 400, "INVALID_REQUEST", "订单不可退款")
		return
	}
	o.State = "REFUND"
	f.refunds = append(f.refunds, Refund{in.OutTradeNo, in.OutRefundNo, in.Amount.Refund, in.Amount.Total})
	f.signed(w, 200, map[string]string{"refund_id": "5030" + in.OutRefundNo, "out_refund_no": in.OutRefundNo, "status": "PROCESSING"})
}

// Pay has the payer pay the order and returns the callback WeChat Pay
// then sends to the order's notify_url: signed headers and the body with
// the transaction encrypted by the APIv3 key.
func (f *Fake) Pay(outTradeNo string) (http.Header, []byte, error) {
	f.mu.Lock()
	o, ok := f.orders[outTradeNo]
	if ok {
		o.State, o.TransactionID = "SUCCESS", "42000"+strconv.FormatInt(f.clock().UnixNano()%1e12, 10)
	}
	f.mu.Unlock()
	if !ok {
		return nil, nil, fmt.Errorf("no order %s", outTradeNo)
	}
	tx, _ := json.Marshal(map[string]any{"appid": o.AppID, "mchid": f.MchID, "out_trade_no": outTradeNo,
		"transaction_id": o.TransactionID, "trade_type": "JSAPI", "trade_state": "SUCCESS", "trade_state_desc": "支付成功",
		"success_time": f.clock().Format(time.RFC3339), "payer": map[string]string{"openid": o.OpenID},
		"amount": map[string]any{"total": o.AmountFen, "payer_total": o.AmountFen, "currency": "CNY", "payer_currency": "CNY"}})
	nonce := wechatpay.Nonce()[:12]
	ct, err := wechatpay.Encrypt(f.APIv3Key, tx, nonce, "transaction")
	if err != nil {
		return nil, nil, err
	}
	body, _ := json.Marshal(map[string]any{"id": "EV-" + outTradeNo, "create_time": f.clock().Format(time.RFC3339),
		"resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
		"resource": map[string]string{"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
			"ciphertext": ct, "associated_data": "transaction", "nonce": nonce}})
	return f.SignHeaders(body), body, nil
}

// bill is the trade bill: one line per paid or refunded order, then the
// extra lines, then the totals.
func (f *Fake) bill() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	b.WriteString("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n")
	n := 0
	// In order of trade number: the bill's hash is taken over one call's
	// bytes and checked against another's.
	for _, no := range slices.Sorted(maps.Keys(f.orders)) {
		o := f.orders[no]
		refund := 0
		switch o.State {
		case "SUCCESS":
		case "REFUND":
			refund = o.AmountFen
		default:
			continue
		}
		b.WriteString(billLine(f.MchID, o.TransactionID, no, o.State, o.AmountFen, refund))
		n++
	}
	for _, l := range f.extra {
		b.WriteString(l)
		n++
	}
	fmt.Fprintf(&b, "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n`%d,`0.00,`0.00,`0.00,`0.00,`0.00,`0.00\r\n", n)
	return []byte(b.String())
}

func billLine(mch, txID, no, state string, amount, refund int) string {
	y := func(fen int) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }
	fields := []string{"2026-12-01 10:00:00", "wxappid", mch, "0", "", txID, no, "openid", "JSAPI", state, "OTHERS", "CNY",
		y(amount), "0.00", "", "", y(refund), "0.00", "", "", "身份证工本费", "", "0.00", "0.60%", y(amount), y(refund), ""}
	for i := range fields {
		fields[i] = "`" + fields[i]
	}
	return strings.Join(fields, ",") + "\r\n"
}
