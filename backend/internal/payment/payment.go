// Package payment is the interface between the service and a payment
// provider: WeChat Pay (package wechatpay) in production, Demo in demo
// mode. The service sees only Provider, so it imports no HTTP client and no
// provider's formats.
package payment

import (
	"context"
	"errors"
	"time"
)

// Order is one payment to start at the provider.
type Order struct {
	OutTradeNo  string // our order number, unique, at most 32 characters
	Description string // shown to the payer
	AmountFen   int
	Channel     string // domain.ChannelMiniProgram or domain.ChannelJSAPI
	OpenID      string // the payer's openid for the channel's app
}

// Prepared is the provider's answer to an order: either paid at once
// (the demo provider) or the parameters the client passes to
// wx.requestPayment / WeixinJSBridge.
type Prepared struct {
	Paid   bool
	Params map[string]string
}

// Notice is a provider's confirmed statement about one order: it was paid
// (State "SUCCESS") or ended otherwise.
type Notice struct {
	OutTradeNo    string
	TransactionID string
	State         string // SUCCESS, CLOSED, PAYERROR, ...
	AmountFen     int
	PaidAt        time.Time
}

// NotifyHeaders are the signature headers of a provider's callback.
type NotifyHeaders struct {
	Timestamp, Nonce, Signature, Serial string
}

// Refund gives an order's money back.
type Refund struct {
	OutTradeNo  string
	OutRefundNo string
	AmountFen   int // what is refunded
	TotalFen    int // what the order was
	Reason      string
}

// BillRow is one line of the provider's trade bill of a day.
type BillRow struct {
	OutTradeNo    string
	TransactionID string
	State         string // SUCCESS or REFUND
	AmountFen     int
	RefundFen     int
}

// ErrNoBill means the provider keeps no trade bill (the demo provider):
// there is nothing to reconcile against.
var ErrNoBill = errors.New("payment: the provider keeps no trade bill")

// ErrBadNotify means a callback failed its signature, freshness or
// decryption check: it is not from the provider, and must change nothing.
var ErrBadNotify = errors.New("payment: notification not authentic")

// Provider is a payment provider.
type Provider interface {
	// Name is the provider's name in the API (demo, wechatpay).
	Name() string
	// Prepare starts an order.
	Prepare(ctx context.Context, o Order) (Prepared, error)
	// VerifyNotify checks a callback's signature and decrypts it; a forged
	// or altered one is ErrBadNotify.
	VerifyNotify(h NotifyHeaders, body []byte) (Notice, error)
	// Refund asks for the money of an order back.
	Refund(ctx context.Context, r Refund) error
	// Bill returns the trade bill of a day (Shanghai date, 2006-01-02);
	// ErrNoBill when the provider has none.
	Bill(ctx context.Context, date string) ([]BillRow, error)
}

// Demo is the demo provider: every order is paid at once, refunds always
// succeed, and there is no bill. Only demo mode wires it.
type Demo struct{}

// Name implements Provider.
func (Demo) Name() string { return "demo" }

// Prepare implements Provider: paid at once.
func (Demo) Prepare(context.Context, Order) (Prepared, error) { return Prepared{Paid: true}, nil }

// VerifyNotify implements Provider: the demo provider sends no callbacks,
// so any is refused.
func (Demo) VerifyNotify(NotifyHeaders, []byte) (Notice, error) { return Notice{}, ErrBadNotify }

// Refund implements Provider.
func (Demo) Refund(context.Context, Refund) error { return nil }

// Bill implements Provider.
func (Demo) Bill(context.Context, string) ([]BillRow, error) { return nil, ErrNoBill }
