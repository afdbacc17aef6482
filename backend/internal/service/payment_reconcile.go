package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/payment"
	"github.com/gzga/idcard/backend/internal/store"
)

// Kinds of difference the reconciliation flags.
const (
	DiscrepancyMissingLocal  = "missing_local"  // on the bill, unknown to us
	DiscrepancyMissingRemote = "missing_remote" // paid or refunded here, not on the bill
	DiscrepancyAmount        = "amount"         // amounts differ
	DiscrepancyStatus        = "status"         // paid here, refunded there, or the other way round
)

// discrepancyLabel is the Chinese name of a kind, for the admin page.
func discrepancyLabel(kind string) string {
	switch kind {
	case DiscrepancyMissingLocal:
		return "本地无记录"
	case DiscrepancyMissingRemote:
		return "对账单无记录"
	case DiscrepancyAmount:
		return "金额不一致"
	}
	return "状态不一致"
}

// Reconcile compares our orders paid or refunded on date (Shanghai,
// 2006-01-02) with the provider's trade bill of that day and records
// every difference for the admin; it returns how many it found. A
// provider without bills (demo) has nothing to reconcile.
func (s *Service) Reconcile(ctx context.Context, date string) (int, error) {
	if s.payments == nil {
		return 0, nil
	}
	day, err := time.ParseInLocation(calendar.DateLayout, date, calendar.Location())
	if err != nil {
		return 0, fmt.Errorf("reconcile: date %q: %w", date, err)
	}
	rows, err := s.payments.Bill(ctx, date)
	if errors.Is(err, payment.ErrNoBill) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	q := s.st.Q(ctx)
	local, err := q.PaymentsBetween(day, day.AddDate(0, 0, 1))
	if err != nil {
		return 0, err
	}
	nos := make([]string, 0, len(rows))
	for _, r := range rows {
		nos = append(nos, r.OutTradeNo)
	}
	known, err := q.PaymentsByOutTradeNos(nos)
	if err != nil {
		return 0, err
	}
	bd := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	var out []store.PaymentDiscrepancy
	flag := func(no, kind, detail string) {
		out = append(out, store.PaymentDiscrepancy{BillDate: bd, OutTradeNo: no, Kind: kind, Detail: detail})
	}
	onBill := map[string]bool{}
	for _, r := range rows {
		onBill[r.OutTradeNo] = true
		p, ok := known[r.OutTradeNo]
		switch {
		case !ok:
			flag(r.OutTradeNo, DiscrepancyMissingLocal, fmt.Sprintf("微信支付订单%s，金额%s元，本地没有该订单", r.TransactionID, yuan(r.AmountFen)))
		case r.AmountFen != p.AmountFen:
			flag(r.OutTradeNo, DiscrepancyAmount, fmt.Sprintf("对账单%s元，本地%s元", yuan(r.AmountFen), yuan(p.AmountFen)))
		case r.State == "REFUND" && p.Status == store.PaymentPaid:
			flag(r.OutTradeNo, DiscrepancyStatus, "对账单已退款，本地为已支付")
		case r.State == "SUCCESS" && p.Status == store.PaymentCreated:
			flag(r.OutTradeNo, DiscrepancyStatus, "对账单已支付，本地未收到支付结果")
		}
	}
	for _, p := range local {
		if !onBill[p.OutTradeNo] && p.Provider == s.payments.Name() {
			flag(p.OutTradeNo, DiscrepancyMissingRemote, fmt.Sprintf("本地%s，金额%s元，对账单中没有", p.Status, yuan(p.AmountFen)))
		}
	}
	if len(out) == 0 {
		return 0, nil
	}
	return len(out), q.InsertDiscrepancies(out)
}

// ReconcileYesterday reconciles the day before today, once a day across
// all instances (the job).
func (s *Service) ReconcileYesterday(ctx context.Context) (int, error) {
	if s.payments == nil {
		return 0, nil
	}
	day := s.now().In(calendar.Location()).AddDate(0, 0, -1).Format(calendar.DateLayout)
	ok, err := s.st.Q(ctx).ClaimJobRun("payment_reconcile", day)
	if err != nil || !ok {
		return 0, err
	}
	return s.Reconcile(ctx, day)
}

// Discrepancy is a reconciliation difference as the admin page shows it.
type Discrepancy struct {
	BillDate, OutTradeNo, Kind, KindLabel, Detail string
}

// PaymentDiscrepancies lists the unresolved differences for the admin.
// Returns FORBIDDEN for anyone but an admin.
func (s *Service) PaymentDiscrepancies(ctx context.Context, a Actor) ([]Discrepancy, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	ds, err := s.st.Q(ctx).OpenDiscrepancies(200)
	if err != nil {
		return nil, s.internal(ctx, "payment.discrepancies", err)
	}
	out := make([]Discrepancy, len(ds))
	for i, d := range ds {
		out[i] = Discrepancy{BillDate: d.BillDate.UTC().Format(calendar.DateLayout), OutTradeNo: d.OutTradeNo,
			Kind: d.Kind, KindLabel: discrepancyLabel(d.Kind), Detail: d.Detail}
	}
	return out, nil
}

func yuan(fen int) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }
