package domain

// PaymentStatus is where a case's fee stands (the case object's
// payment_status).
type PaymentStatus string

// Payment statuses.
const (
	// PaymentUnpaid: the fee is due online (the mail route, before
	// production starts).
	PaymentUnpaid PaymentStatus = "unpaid"
	// PaymentPaid: paid online.
	PaymentPaid PaymentStatus = "paid"
	// PaymentRefunded: paid online, then given back because the case was
	// rejected or withdrawn.
	PaymentRefunded PaymentStatus = "refunded"
	// PaymentWaived: there is nothing to pay.
	PaymentWaived PaymentStatus = "waived"
	// PaymentAtWindow: the window route, which pays at the station's window
	// when the card is collected, or online before that.
	PaymentAtWindow PaymentStatus = "pay_at_window"
)

// Label is the status's Chinese name, as every client shows it.
func (p PaymentStatus) Label() string {
	switch p {
	case PaymentUnpaid:
		return "待支付（制证前须支付）"
	case PaymentPaid:
		return "已支付"
	case PaymentRefunded:
		return "已退款"
	case PaymentWaived:
		return "免费"
	case PaymentAtWindow:
		return "可在线支付或领证时窗口缴费"
	}
	return string(p)
}

// EMSPostageYuan is the EMS postage in yuan of a card mailed within
// Guizhou, which the applicant pays (发改价格[2003]2322号 leaves postage
// to the applicant).
const EMSPostageYuan = 15

// Payment channels of POST /api/v1/cases/:no/payment.
const (
	ChannelMiniProgram = "miniprogram" // wx.requestPayment in the mini-program
	ChannelJSAPI       = "jsapi"       // WeixinJSBridge in the H5 inside WeChat
)

// AmountDueYuan is what a case costs online: the card's fee by kind, the
// EMS postage on the mail route and the temporary card when one was asked
// for before paying.
func AmountDueYuan(kind Kind, mail, temporaryCard bool) int {
	n := kind.FeeYuan()
	if mail && n > 0 {
		n += EMSPostageYuan
	}
	if temporaryCard {
		n += TemporaryCardFeeYuan
	}
	return n
}

// InitialPaymentStatus is a new case's payment status: waived when there
// is nothing to pay, pay_at_window on the window route, unpaid (due before
// production) on the mail route.
func InitialPaymentStatus(feeYuan int, mail bool) PaymentStatus {
	switch {
	case feeYuan == 0:
		return PaymentWaived
	case mail:
		return PaymentUnpaid
	}
	return PaymentAtWindow
}

// CheckPaidFor returns PAYMENT_REQUIRED when action needs the fee paid
// first: production of a mail-route case, whose card never passes a
// window where it could be paid.
func CheckPaidFor(action Action, c Collection, p PaymentStatus) error {
	if action == ActionProduce && c == CollectionMail && p != PaymentPaid && p != PaymentWaived {
		return E(CodePaymentRequired)
	}
	return nil
}

// Payable reports whether a case in status with payment status p can be
// paid online now: an open case whose fee is still owed.
func Payable(status Status, p PaymentStatus) bool {
	return !status.IsFinal() && (p == PaymentUnpaid || p == PaymentAtWindow)
}
