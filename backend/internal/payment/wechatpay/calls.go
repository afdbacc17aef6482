package wechatpay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/payment"
)

// Prepare implements payment.Provider: POST /v3/pay/transactions/jsapi
// (the one order for JSAPI and mini-program payments, with the channel's
// app id), then the client's parameters signed with the merchant key:
// appId, timeStamp, nonceStr, package, each on its own line.
func (cl *Client) Prepare(ctx context.Context, o payment.Order) (payment.Prepared, error) {
	appID := cl.c.AppIDs[o.Channel]
	if appID == "" {
		return payment.Prepared{}, fmt.Errorf("wechatpay: no app id for channel %q", o.Channel)
	}
	in := map[string]any{
		"appid": appID, "mchid": cl.c.MchID, "description": o.Description, "out_trade_no": o.OutTradeNo,
		"notify_url": cl.c.NotifyURL, "amount": map[string]any{"total": o.AmountFen, "currency": "CNY"},
		"payer": map[string]string{"openid": o.OpenID},
	}
	var out struct {
		PrepayID string `json:"prepay_id"`
	}
	if _, err := cl.do(ctx, "POST", "/v3/pay/transactions/jsapi", in, &out, false); err != nil {
		return payment.Prepared{}, err
	}
	if out.PrepayID == "" {
		return payment.Prepared{}, errors.New("wechatpay: no prepay_id")
	}
	ts, nonce, pkg := strconv.FormatInt(cl.c.Clock().Unix(), 10), Nonce(), "prepay_id="+out.PrepayID
	sig, err := SignLines(cl.c.MchKey, appID, ts, nonce, pkg)
	if err != nil {
		return payment.Prepared{}, err
	}
	return payment.Prepared{Params: map[string]string{"appId": appID, "timeStamp": ts, "nonceStr": nonce,
		"package": pkg, "signType": "RSA", "paySign": sig}}, nil
}

// notification is the callback's body.
type notification struct {
	ID           string `json:"id"`
	EventType    string `json:"event_type"`
	ResourceType string `json:"resource_type"`
	Resource     struct {
		Algorithm      string `json:"algorithm"`
		Ciphertext     string `json:"ciphertext"`
		AssociatedData string `json:"associated_data"`
		Nonce          string `json:"nonce"`
		OriginalType   string `json:"original_type"`
	} `json:"resource"`
}

// Transaction is the decrypted resource of a payment callback.
type Transaction struct {
	AppID         string `json:"appid"`
	MchID         string `json:"mchid"`
	OutTradeNo    string `json:"out_trade_no"`
	TransactionID string `json:"transaction_id"`
	TradeState    string `json:"trade_state"`
	SuccessTime   string `json:"success_time"`
	Amount        struct {
		Total    int    `json:"total"`
		Currency string `json:"currency"`
	} `json:"amount"`
}

// VerifyNotify implements payment.Provider: the platform's signature over
// Wechatpay-Timestamp, Wechatpay-Nonce and the body, by the configured
// key's serial and within 5 minutes; then the resource, decrypted with the
// APIv3 key, must be a transaction of this merchant.
func (cl *Client) VerifyNotify(h payment.NotifyHeaders, body []byte) (payment.Notice, error) {
	if err := cl.verify(h, body); err != nil {
		return payment.Notice{}, err
	}
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		return payment.Notice{}, fmt.Errorf("%w: %v", payment.ErrBadNotify, err)
	}
	if n.Resource.Algorithm != "AEAD_AES_256_GCM" {
		return payment.Notice{}, fmt.Errorf("%w: algorithm %q", payment.ErrBadNotify, n.Resource.Algorithm)
	}
	plain, err := Decrypt(cl.c.APIv3Key, n.Resource.Ciphertext, n.Resource.Nonce, n.Resource.AssociatedData)
	if err != nil {
		return payment.Notice{}, fmt.Errorf("%w: resource: %v", payment.ErrBadNotify, err)
	}
	var t Transaction
	if err := json.Unmarshal(plain, &t); err != nil || t.MchID != cl.c.MchID || t.OutTradeNo == "" {
		return payment.Notice{}, fmt.Errorf("%w: resource is not a transaction of merchant %s", payment.ErrBadNotify, cl.c.MchID)
	}
	paid, _ := time.Parse(time.RFC3339, t.SuccessTime)
	return payment.Notice{OutTradeNo: t.OutTradeNo, TransactionID: t.TransactionID, State: t.TradeState,
		AmountFen: t.Amount.Total, PaidAt: paid}, nil
}

// Refund implements payment.Provider: POST /v3/refund/domestic/refunds.
// WeChat Pay answers PROCESSING or SUCCESS; either means the refund is
// accepted (the money reaches the payer within days).
func (cl *Client) Refund(ctx context.Context, r payment.Refund) error {
	in := map[string]any{"out_trade_no": r.OutTradeNo, "out_refund_no": r.OutRefundNo, "reason": r.Reason,
		"amount": map[string]any{"refund": r.AmountFen, "total": r.TotalFen, "currency": "CNY"}}
	var out struct {
		Status string `json:"status"`
	}
	if _, err := cl.do(ctx, "POST", "/v3/refund/domestic/refunds", in, &out, false); err != nil {
		return err
	}
	if out.Status != "PROCESSING" && out.Status != "SUCCESS" {
		return fmt.Errorf("wechatpay: refund %s is %s", r.OutRefundNo, out.Status)
	}
	return nil
}

// Bill implements payment.Provider: GET /v3/bill/tradebill for the day's
// download address and SHA-1, then the file itself (a signed GET of that
// address), checked against the hash and read as CSV: a header line, one
// line per trade with every value prefixed by a backquote, then the
// totals.
func (cl *Client) Bill(ctx context.Context, date string) ([]payment.BillRow, error) {
	var meta struct {
		HashType    string `json:"hash_type"`
		HashValue   string `json:"hash_value"`
		DownloadURL string `json:"download_url"`
	}
	if _, err := cl.do(ctx, "GET", "/v3/bill/tradebill?bill_date="+url.QueryEscape(date)+"&bill_type=ALL", nil, &meta, false); err != nil {
		var e *apiError
		if errors.As(err, &e) && e.Code == "NO_STATEMENT_EXIST" {
			return nil, nil // no trade that day
		}
		return nil, err
	}
	data, err := cl.do(ctx, "GET", meta.DownloadURL, nil, nil, true)
	if err != nil {
		return nil, err
	}
	if sum := sha1.Sum(data); !strings.EqualFold(meta.HashType, "SHA1") || !strings.EqualFold(hex.EncodeToString(sum[:]), meta.HashValue) {
		return nil, fmt.Errorf("wechatpay: bill of %s does not match its %s hash", date, meta.HashType)
	}
	return ParseBill(data)
}

// ParseBill reads a trade bill file (bill_type ALL).
func ParseBill(data []byte) ([]payment.BillRow, error) {
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var col map[string]int
	var out []payment.BillRow
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		fields := strings.Split(line, ",")
		if col == nil {
			col = map[string]int{}
			for i, f := range fields {
				col[strings.TrimSpace(f)] = i
			}
			for _, need := range []string{"微信订单号", "商户订单号", "交易状态", "应结订单金额", "退款金额"} {
				if _, ok := col[need]; !ok {
					return nil, fmt.Errorf("wechatpay: bill has no column %s", need)
				}
			}
			continue
		}
		if !strings.HasPrefix(line, "`") {
			break // the totals
		}
		get := func(name string) string {
			if i := col[name]; i < len(fields) {
				return strings.TrimPrefix(strings.TrimSpace(fields[i]), "`")
			}
			return ""
		}
		amount, err := fen(get("应结订单金额"))
		if err != nil {
			return nil, err
		}
		refund, err := fen(get("退款金额"))
		if err != nil {
			return nil, err
		}
		out = append(out, payment.BillRow{OutTradeNo: get("商户订单号"), TransactionID: get("微信订单号"),
			State: get("交易状态"), AmountFen: amount, RefundFen: refund})
	}
	return out, sc.Err()
}

// fen reads a yuan amount with two decimals.
func fen(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("wechatpay: amount %q", s)
	}
	return int(math.Round(f * 100)), nil
}
