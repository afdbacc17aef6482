package store

import "time"

// Payment is one order of a case's fee at a payment provider.
type Payment struct {
	ID            int64 `gorm:"primaryKey"`
	CaseID        int64
	OutTradeNo    string // our order number, unique
	Provider      string // demo, wechatpay
	Channel       string // miniprogram, jsapi
	AmountFen     int
	Status        string // created, paid, refunding, refunded, closed
	TransactionID *string
	OutRefundNo   *string
	PaidAt        *time.Time
	RefundedAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName names the table.
func (Payment) TableName() string { return "payments" }

// Payment order statuses.
const (
	PaymentCreated   = "created"
	PaymentPaid      = "paid"
	PaymentRefunding = "refunding"
	PaymentRefunded  = "refunded"
)

// InsertPayment inserts a new order.
func (q *Q) InsertPayment(p *Payment) error {
	t := now()
	p.CreatedAt, p.UpdatedAt = t, t
	return translate(q.g.Create(p).Error)
}

// SavePayment writes every column of p.
func (q *Q) SavePayment(p *Payment) error {
	p.UpdatedAt = now()
	return translate(q.g.Save(p).Error)
}

// LockPaymentByOutTradeNo reads an order for update; ErrNotFound when
// there is none.
func (q *Q) LockPaymentByOutTradeNo(no string) (Payment, error) {
	var p Payment
	err := q.forUpdate(q.g.Where("out_trade_no = ?", no)).Take(&p).Error
	return p, translate(err)
}

// PaidPaymentOfCase returns the case's paid order, for a refund;
// ErrNotFound when none is paid.
func (q *Q) PaidPaymentOfCase(caseID int64) (Payment, error) {
	var p Payment
	err := q.forUpdate(q.g.Where("case_id = ? AND status = ?", caseID, PaymentPaid)).Order("id DESC").Take(&p).Error
	return p, translate(err)
}

// PaymentsBetween returns the orders paid or refunded in [from, to), for
// the reconciliation with the provider's bill of that day.
func (q *Q) PaymentsBetween(from, to time.Time) ([]Payment, error) {
	var out []Payment
	err := q.g.Where("(paid_at >= ? AND paid_at < ?) OR (refunded_at >= ? AND refunded_at < ?)", from, to, from, to).
		Order("id").Find(&out).Error
	return out, translate(err)
}

// PaymentsByOutTradeNos returns the orders of the given numbers by number.
func (q *Q) PaymentsByOutTradeNos(nos []string) (map[string]Payment, error) {
	out := map[string]Payment{}
	if len(nos) == 0 {
		return out, nil
	}
	var rows []Payment
	if err := q.g.Where("out_trade_no IN ?", nos).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, p := range rows {
		out[p.OutTradeNo] = p
	}
	return out, nil
}

// PaymentDiscrepancy is one difference the reconciliation found between
// our orders and the provider's bill of a day.
type PaymentDiscrepancy struct {
	ID         int64 `gorm:"primaryKey"`
	BillDate   time.Time
	OutTradeNo string
	Kind       string // missing_local, missing_remote, amount, status
	Detail     string
	CreatedAt  time.Time
	ResolvedAt *time.Time
}

// TableName names the table.
func (PaymentDiscrepancy) TableName() string { return "payment_discrepancies" }

// InsertDiscrepancies records what a reconciliation found; one already
// recorded (same day, order and kind) is kept as it is.
func (q *Q) InsertDiscrepancies(ds []PaymentDiscrepancy) error {
	for i := range ds {
		ds[i].CreatedAt = now()
		if err := translate(q.g.Create(&ds[i]).Error); err != nil && err != ErrDuplicate {
			return err
		}
	}
	return nil
}

// OpenDiscrepancies lists the unresolved differences, newest day first.
func (q *Q) OpenDiscrepancies(limit int) ([]PaymentDiscrepancy, error) {
	var out []PaymentDiscrepancy
	err := q.g.Where("resolved_at IS NULL").Order("bill_date DESC, id").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// SetCasePaymentStatus sets a case's payment status without touching its
// version: a payment is not a staff action, and must not make an officer's
// open page stale.
func (q *Q) SetCasePaymentStatus(caseID int64, status string) error {
	return translate(q.g.Model(&Case{}).Where("id = ?", caseID).
		Updates(map[string]any{"payment_status": status, "updated_at": now()}).Error)
}

// RefundingPayments lists the orders whose refund is still to be sent to
// the provider.
func (q *Q) RefundingPayments(limit int) ([]Payment, error) {
	var out []Payment
	err := q.g.Where("status = ?", PaymentRefunding).Order("id").Limit(limit).Find(&out).Error
	return out, translate(err)
}
