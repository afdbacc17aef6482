package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/payment"
	"github.com/gzga/idcard/backend/internal/store"
)

// PaymentStart is the answer of POST /api/v1/cases/:no/payment.
type PaymentStart struct {
	Provider string            `json:"provider"`
	Status   string            `json:"status"` // the case's payment_status after the call
	Params   map[string]string `json:"params,omitempty"`
}

// payDescription is what the payer sees on the WeChat Pay page.
const payDescription = "居民身份证办理费用"

// Pay starts the online payment of the applicant's case: the amount of
// domain.AmountDueYuan as an order at the provider. The demo provider pays
// at once; WeChat Pay answers the parameters of wx.requestPayment (channel
// miniprogram) or WeixinJSBridge (jsapi), and the case is paid when its
// notify arrives (PaymentNotify). Returns NOT_FOUND for a case that is not
// the applicant's, ALREADY_PAID, NOTHING_TO_PAY for a waived, refunded or
// closed case, VALIDATION_FAILED for an unknown channel and
// PAYMENT_CHANNEL_UNAVAILABLE when the account has no openid for the
// channel or no provider is configured.
func (s *Service) Pay(ctx context.Context, a Actor, no, channel string) (PaymentStart, error) {
	if channel != domain.ChannelMiniProgram && channel != domain.ChannelJSAPI {
		return PaymentStart{}, domain.Errorf(domain.CodeValidationFailed, "支付渠道须为 miniprogram 或 jsapi")
	}
	if s.payments == nil {
		return PaymentStart{}, domain.E(domain.CodePaymentChannelUnavailable)
	}
	var order payment.Order
	var p store.Payment
	err := s.st.Tx(ctx, func(q *store.Q) error {
		c, err := q.LockCaseByNo(no)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !a.canSee(&c)) {
			return domain.E(domain.CodeNotFound)
		}
		if err != nil {
			return err
		}
		ps := domain.PaymentStatus(c.PaymentStatus)
		if ps == domain.PaymentPaid {
			return domain.E(domain.CodeAlreadyPaid)
		}
		if !domain.Payable(domain.Status(c.Status), ps) {
			return domain.E(domain.CodeNothingToPay)
		}
		openid := ""
		if s.payments.Name() != "demo" {
			acc, err := q.Applicant(c.ApplicantID)
			if err != nil {
				return err
			}
			id := acc.WechatOpenid
			if channel == domain.ChannelJSAPI {
				id = acc.WechatMpOpenid
			}
			if id == nil || *id == "" {
				return domain.E(domain.CodePaymentChannelUnavailable)
			}
			openid = *id
		}
		temps, err := q.TemporaryCardsOfCases([]int64{c.ID})
		if err != nil {
			return err
		}
		_, temp := temps[c.ID]
		amount := 100 * domain.AmountDueYuan(domain.Kind(c.Kind), c.Collection == string(domain.CollectionMail), temp)
		p = store.Payment{CaseID: c.ID, OutTradeNo: c.No + "P" + strconv.FormatInt(s.now().UnixMilli()%1e10, 10),
			Provider: s.payments.Name(), Channel: channel, AmountFen: amount, Status: store.PaymentCreated}
		order = payment.Order{OutTradeNo: p.OutTradeNo, Description: payDescription, AmountFen: amount, Channel: channel, OpenID: openid}
		return q.InsertPayment(&p)
	})
	if err != nil {
		return PaymentStart{}, s.internal(ctx, "payment.start", err)
	}
	prep, err := s.payments.Prepare(ctx, order)
	if err != nil {
		return PaymentStart{}, s.internal(ctx, "payment.prepare", err)
	}
	if !prep.Paid {
		return PaymentStart{Provider: s.payments.Name(), Status: "unpaid", Params: prep.Params}, nil
	}
	err = s.st.Tx(ctx, func(q *store.Q) error {
		_, err := s.markPaid(q, a, payment.Notice{OutTradeNo: p.OutTradeNo, State: "SUCCESS", AmountFen: p.AmountFen,
			TransactionID: "demo-" + p.OutTradeNo, PaidAt: s.now()})
		return err
	})
	if err != nil {
		return PaymentStart{}, s.internal(ctx, "payment.paid", err)
	}
	return PaymentStart{Provider: s.payments.Name(), Status: string(domain.PaymentPaid)}, nil
}

// PaymentNotify takes a provider's callback: only one whose signature and
// encryption check out changes anything. A forged or altered callback is
// BAD_SIGNATURE, audited, and changes nothing; a repeated one is answered
// as done. The amount must be the order's.
func (s *Service) PaymentNotify(ctx context.Context, h payment.NotifyHeaders, body []byte, ip string) error {
	if s.payments == nil {
		return domain.E(domain.CodeNotFound)
	}
	n, err := s.payments.VerifyNotify(h, body)
	sys := Actor{Kind: "system", Name: s.payments.Name(), IP: ip}
	if err != nil {
		s.log.WarnContext(ctx, "payment notify refused", "error", err)
		if aerr := s.st.Audit(ctx, &store.AuditEntry{ActorKind: "system", ActorName: s.payments.Name(), Action: "payment.notify",
			ObjectType: "payment", IP: ip, Outcome: "denied", Detail: detail(map[string]any{"reason": "signature"})}); aerr != nil {
			s.log.ErrorContext(ctx, "audit of a refused notify failed", "error", aerr)
		}
		return domain.Wrap(domain.CodeBadSignature, err)
	}
	if n.State != "SUCCESS" {
		return nil // a closed or failed order changes nothing of ours
	}
	refund := false
	err = s.st.Tx(ctx, func(q *store.Q) error {
		var err error
		refund, err = s.markPaid(q, sys, n)
		return err
	})
	if err != nil {
		return s.internal(ctx, "payment.notify", err)
	}
	if refund {
		s.sendRefunds(ctx)
	}
	return nil
}

// markPaid records that an order was paid and sets its case paid. A case
// that ended without a card meanwhile is refunded at once; it reports so.
func (s *Service) markPaid(q *store.Q, a Actor, n payment.Notice) (bool, error) {
	p, err := q.LockPaymentByOutTradeNo(n.OutTradeNo)
	if errors.Is(err, store.ErrNotFound) {
		return false, domain.Errorf(domain.CodeNotFound, "没有该支付订单")
	}
	if err != nil || p.Status != store.PaymentCreated {
		return false, err // paid already: a repeated notify
	}
	if n.AmountFen != p.AmountFen {
		return false, fmt.Errorf("payment %s: notified %d fen, ordered %d", p.OutTradeNo, n.AmountFen, p.AmountFen)
	}
	c, err := q.LockCaseByID(p.CaseID)
	if err != nil {
		return false, err
	}
	now := s.now()
	paidAt := n.PaidAt
	if paidAt.IsZero() {
		paidAt = now
	}
	p.Status, p.PaidAt = store.PaymentPaid, &paidAt
	if n.TransactionID != "" {
		p.TransactionID = &n.TransactionID
	}
	status := domain.PaymentPaid
	refund := domain.Status(c.Status) == domain.StatusRejected || domain.Status(c.Status) == domain.StatusCancelled
	if refund {
		p.Status, p.OutRefundNo, status = store.PaymentRefunding, ptr("R"+p.OutTradeNo), domain.PaymentRefunded
	}
	if err := q.SavePayment(&p); err != nil {
		return false, err
	}
	if err := q.SetCasePaymentStatus(c.ID, string(status)); err != nil {
		return false, err
	}
	return refund, q.AppendAudit(&store.AuditEntry{At: now, ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name,
		Role: string(a.Role), Action: "payment.paid", ObjectType: "case", ObjectID: c.No, IP: a.IP, Outcome: "ok",
		Detail: detail(map[string]any{"out_trade_no": p.OutTradeNo, "amount_fen": p.AmountFen, "provider": p.Provider})})
}

// beginRefund marks the paid order of a case that is being rejected or
// withdrawn for refund, inside the transition's transaction; the refund
// itself goes to the provider after the commit (sendRefunds) and again by
// the job until the provider takes it.
func (s *Service) beginRefund(q *store.Q, c *store.Case) error {
	if c.PaymentStatus != string(domain.PaymentPaid) {
		return nil
	}
	p, err := q.PaidPaymentOfCase(c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err == nil {
		p.Status, p.OutRefundNo = store.PaymentRefunding, ptr("R"+p.OutTradeNo)
		if err := q.SavePayment(&p); err != nil {
			return err
		}
	}
	c.PaymentStatus = string(domain.PaymentRefunded)
	return nil
}

// sendRefunds sends the pending refunds now, after the commit that
// decided them; a failure is logged and left to the job.
func (s *Service) sendRefunds(ctx context.Context) {
	if _, err := s.SendRefunds(ctx); err != nil {
		s.log.WarnContext(ctx, "refund not sent yet; the job retries", "error", err)
	}
}

// SendRefunds asks the provider for every refund decided and not yet
// taken, and marks each one the provider accepted refunded. The job runs
// it too.
func (s *Service) SendRefunds(ctx context.Context) (int, error) {
	if s.payments == nil {
		return 0, nil
	}
	ps, err := s.st.Q(ctx).RefundingPayments(50)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range ps {
		if p.Provider != s.payments.Name() {
			continue // an order of another provider: left for an operator
		}
		if err := s.payments.Refund(ctx, payment.Refund{OutTradeNo: p.OutTradeNo, OutRefundNo: *p.OutRefundNo,
			AmountFen: p.AmountFen, TotalFen: p.AmountFen, Reason: "办件未通过或已撤回，退还费用"}); err != nil {
			return n, err
		}
		now := s.now()
		p.Status, p.RefundedAt = store.PaymentRefunded, &now
		if err := s.st.Q(ctx).SavePayment(&p); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
