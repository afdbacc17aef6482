package domain

import (
	"errors"
	"fmt"
)

// Code is a stable machine-readable error code. Clients of the API switch on
// it, so a code never changes meaning; the web layer maps each code to an
// HTTP status.
type Code string

// Generic error codes, used when no more specific rule applies.
const (
	// CodeBadRequest means the request is malformed (bad JSON, wrong types).
	CodeBadRequest Code = "BAD_REQUEST"
	// CodeUnauthenticated means the caller is not signed in.
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	// CodeForbidden means the caller's role may not perform the action.
	CodeForbidden Code = "FORBIDDEN"
	// CodeNotFound means the thing does not exist or is not the caller's.
	CodeNotFound Code = "NOT_FOUND"
	// CodeConflict means the request conflicts with the current state.
	CodeConflict Code = "CONFLICT"
	// CodeTooLarge means the request or upload is too large.
	CodeTooLarge Code = "TOO_LARGE"
	// CodeRateLimited means the caller asked too often and must wait.
	CodeRateLimited Code = "RATE_LIMITED"
	// CodeUnavailable means a dependency (database, Redis, WeChat) is down.
	CodeUnavailable Code = "UNAVAILABLE"
	// CodeInternal means an unexpected failure; details go to the log only.
	CodeInternal Code = "INTERNAL"
	// CodeValidationFailed means a submitted field broke a format rule.
	CodeValidationFailed Code = "VALIDATION_FAILED"
	// CodeUnsupportedMediaType means a body that is not JSON came where JSON
	// is expected.
	CodeUnsupportedMediaType Code = "UNSUPPORTED_MEDIA_TYPE"
)

// Named error codes of the API contract.
const (
	// CodeInvalidTransition means the action is not allowed from the case's status.
	CodeInvalidTransition Code = "INVALID_TRANSITION"
	// CodeVersionConflict means the case changed since the caller read it.
	CodeVersionConflict Code = "VERSION_CONFLICT"
	// CodeIdempotencyKeyReused means an Idempotency-Key came back with another body.
	CodeIdempotencyKeyReused Code = "IDEMPOTENCY_KEY_REUSED"
	// CodeBadCode means an SMS verification code is wrong or expired.
	CodeBadCode Code = "BAD_CODE"
	// CodeInvalidIDNumber means an ID number fails the GB 11643 format or check digit.
	CodeInvalidIDNumber Code = "INVALID_ID_NUMBER"
	// CodeIdentityMismatch means no registry record matches the name and ID number.
	CodeIdentityMismatch Code = "IDENTITY_MISMATCH"
	// CodeRealPersonFailed means binding came without a passed real-person
	// verification (实人认证) that is fresh, unused and for that person.
	CodeRealPersonFailed Code = "REAL_PERSON_FAILED"
	// CodePhotoInvalid means an uploaded photo does not meet GA 461.
	CodePhotoInvalid Code = "PHOTO_INVALID"
	// CodePhotoRequired means an expiry renewal came without a new photo.
	CodePhotoRequired Code = "PHOTO_REQUIRED"
	// CodeActiveCaseExists means the person already has an open case.
	CodeActiveCaseExists Code = "ACTIVE_CASE_EXISTS"
	// CodeNotBound means the applicant has not bound a registry person yet.
	CodeNotBound Code = "NOT_BOUND"
	// CodeMailAddressRequired means the mail route was chosen without an address.
	CodeMailAddressRequired Code = "MAIL_ADDRESS_REQUIRED"
	// CodeUnknownStation means the chosen acceptance station does not exist.
	CodeUnknownStation Code = "UNKNOWN_STATION"
	// CodeKindNotAllowed means the person may not apply for that kind online.
	CodeKindNotAllowed Code = "KIND_NOT_ALLOWED"
	// CodeNotReadyForPickup means the card has not reached the station yet.
	CodeNotReadyForPickup Code = "NOT_READY_FOR_PICKUP"
	// CodeBadCredentials means a staff username or password is wrong.
	CodeBadCredentials Code = "BAD_CREDENTIALS"
	// CodeReasonRequired means a rejection or extension came without a reason.
	CodeReasonRequired Code = "REASON_REQUIRED"
	// CodeInvalidTrackingNo means a tracking number is missing or not valid S10.
	CodeInvalidTrackingNo Code = "INVALID_TRACKING_NO"
	// CodeTokenInvalid means a pickup token is forged or malformed.
	CodeTokenInvalid Code = "TOKEN_INVALID"
	// CodeTokenExpired means a pickup token is past its expiry time.
	CodeTokenExpired Code = "TOKEN_EXPIRED"
	// CodeTokenUsed means a pickup token was already used for a handover.
	CodeTokenUsed Code = "TOKEN_USED"
	// CodeWrongStation means a pickup token belongs to another station.
	CodeWrongStation Code = "WRONG_STATION"
	// CodeExtensionNotAllowed means the legal extension is beyond 30 days or
	// the station is not remote.
	CodeExtensionNotAllowed Code = "EXTENSION_NOT_ALLOWED"
	// CodeOutOfJurisdiction means the case lies outside the staff member's area.
	CodeOutOfJurisdiction Code = "OUT_OF_JURISDICTION"
	// CodeOldCardRequired means a renewal's card was to be handed over
	// without the old card coming back (Resident Identity Card Law, art. 11).
	CodeOldCardRequired Code = "OLD_CARD_REQUIRED"
	// CodeChangeNotAllowed means the station, collection method or mail
	// address was to change once production had started (or the case closed).
	CodeChangeNotAllowed Code = "CHANGE_NOT_ALLOWED"
	// CodeNotGuardian means the registry does not record the caller's person
	// as the child's guardian.
	CodeNotGuardian Code = "NOT_GUARDIAN"
	// CodeWardTooOld means the child is 16 or over and applies for themself.
	CodeWardTooOld Code = "WARD_TOO_OLD"
	// CodeAlreadyPaid means the case's fee has been paid already.
	CodeAlreadyPaid Code = "ALREADY_PAID"
	// CodeNothingToPay means the case owes nothing: the fee is waived, was
	// refunded, or the case has ended.
	CodeNothingToPay Code = "NOTHING_TO_PAY"
	// CodePaymentRequired means a mail-route case was to go into production
	// before its fee was paid.
	CodePaymentRequired Code = "PAYMENT_REQUIRED"
	// CodePaymentChannelUnavailable means the payment channel asked for
	// cannot be used by this account (no WeChat openid for it, or the
	// channel is not configured).
	CodePaymentChannelUnavailable Code = "PAYMENT_CHANNEL_UNAVAILABLE"
	// CodeBadSignature means a payment provider's notification failed its
	// signature or decryption check.
	CodeBadSignature Code = "BAD_SIGNATURE"
	// CodeOTPRequired means the account has a second factor and the sign-in
	// came without its code.
	CodeOTPRequired Code = "OTP_REQUIRED"
	// CodeBadOTP means a TOTP code is wrong or out of its time window.
	CodeBadOTP Code = "BAD_OTP"
	// CodeOTPEnrolmentRequired means the account must enrol a second factor
	// before it may do anything else (admins and supervisors, outside demo mode).
	CodeOTPEnrolmentRequired Code = "OTP_ENROLMENT_REQUIRED"
	// CodeOTPAlreadyEnrolled means the second factor is already confirmed.
	CodeOTPAlreadyEnrolled Code = "OTP_ALREADY_ENROLLED"
	// CodePasswordPolicy means a new password is shorter than 12 characters
	// or has fewer than three character classes.
	CodePasswordPolicy Code = "PASSWORD_POLICY"
	// CodePasswordReused means a new password is one of the last five.
	CodePasswordReused Code = "PASSWORD_REUSED"
	// CodePasswordExpired means the password is older than 90 days and must
	// be changed before anything else.
	CodePasswordExpired Code = "PASSWORD_EXPIRED"
)

// codeMessage is one row of the code table.
type codeMessage struct {
	code    Code
	message string
}

// codeTable is the one place where a code gets its default Chinese message,
// every code exactly once, generic codes first. A new code is a constant
// above and one line here; the web layer's httpStatus gives its status.
func codeTable() []codeMessage {
	return []codeMessage{
		{CodeBadRequest, "请求格式不正确，请检查后重试"},
		{CodeUnauthenticated, "请先登录"},
		{CodeForbidden, "您无权执行此操作"},
		{CodeNotFound, "未找到相关记录"},
		{CodeConflict, "操作与当前状态冲突，请刷新后重试"},
		{CodeTooLarge, "上传的内容过大"},
		{CodeRateLimited, "操作过于频繁，请稍后再试"},
		{CodeUnavailable, "服务暂时不可用，请稍后再试"},
		{CodeInternal, "系统内部错误，请稍后再试"},
		{CodeValidationFailed, "提交的信息有误，请检查后重新填写"},
		{CodeUnsupportedMediaType, "请求内容须为JSON格式（Content-Type: application/json）"},
		{CodeInvalidTransition, "办件当前状态不允许此操作"},
		{CodeVersionConflict, "办件已有更新（可能已被他人处理），请核对最新状态后再操作"},
		{CodeIdempotencyKeyReused, "该请求标识已用于内容不同的请求，请勿重复使用"},
		{CodeBadCode, "验证码错误或已过期"},
		{CodeInvalidIDNumber, "身份证号码格式或校验位不正确"},
		{CodeIdentityMismatch, "姓名与身份证号码不匹配，未查询到对应的户籍信息"},
		{CodeRealPersonFailed, "实人认证未通过，请本人重新完成人脸核身"},
		{CodePhotoInvalid, "照片不符合要求（358×441像素JPEG格式、白色背景）"},
		{CodePhotoRequired, "到期换领须提供相片回执号或上传符合要求的照片"},
		{CodeActiveCaseExists, "您已有正在办理的身份证业务，请办结后再申请"},
		{CodeNotBound, "请先完成实名认证"},
		{CodeMailAddressRequired, "选择邮寄领取时须填写收件人、联系电话和收件地址"},
		{CodeUnknownStation, "所选领证机关不存在或暂不受理网上申请"},
		{CodeKindNotAllowed, "您当前不符合该业务的网上办理条件，请到派出所现场办理"},
		{CodeNotReadyForPickup, "证件尚未到达领证机关，暂不能领取"},
		{CodeBadCredentials, "用户名或密码错误"},
		{CodeReasonRequired, "请填写原因"},
		{CodeInvalidTrackingNo, "邮件号不正确，应为13位EMS邮件号（如EA123456785CN）"},
		{CodeTokenInvalid, "无法识别该领证码：可能扫描不完整，或不是本系统的领证二维码。请申请人在“我的办件”中打开领证二维码后重新扫描；仍不成功时，可按办件编号和身份证号码后6位查询"},
		{CodeTokenExpired, "该领证码已过期，请申请人在“我的办件”中刷新二维码后重新出示，再扫描新的二维码"},
		{CodeTokenUsed, "该证件已经发放（已领取），不能重复发证。如申请人有疑问，请在“办件”中查看该办件的领取记录"},
		{CodeWrongStation, "该证件不在本派出所领取：申请人选择的领证地点是其他派出所。请申请人在“我的办件”中查看领证地点，到该派出所领取"},
		{CodeExtensionNotAllowed, "不能延长办理期限：仅边远、交通不便地区可延长，且最长不超过30日"},
		{CodeOutOfJurisdiction, "该办件不在您的管辖范围内"},
		{CodeOTPRequired, "请输入身份验证器中的6位动态口令"},
		{CodeBadOTP, "动态口令错误或已过期，请输入身份验证器当前显示的6位数字"},
		{CodeOTPEnrolmentRequired, "请先绑定身份验证器（双因素认证），绑定后才能继续使用系统"},
		{CodeOTPAlreadyEnrolled, "已绑定身份验证器，无需重复绑定"},
		{CodePasswordPolicy, "密码至少12位，且须包含大写字母、小写字母、数字、符号中的至少三类"},
		{CodePasswordReused, "新密码不能与最近5次使用过的密码相同"},
		{CodePasswordExpired, "密码已超过90天未更换，请先修改密码"},
		{CodeOldCardRequired, "换领须交回原证（《居民身份证法》第十一条）：请收回申请人的旧证后再发证，未交回旧证的不能发证"},
		{CodeChangeNotAllowed, "证件已开始制作或办件已办结，不能再变更领证地点或领取方式"},
		{CodeNotGuardian, "户籍信息中您不是该未成年人的监护人，不能为其代办"},
		{CodeWardTooOld, "年满十六周岁的公民须本人申请办理，不能由监护人代办"},
		{CodeAlreadyPaid, "该办件的费用已支付，无须重复支付"},
		{CodeNothingToPay, "该办件当前没有需要支付的费用"},
		{CodePaymentRequired, "邮寄领取的办件须先在线支付工本费和邮费，支付后才能开始制证"},
		{CodePaymentChannelUnavailable, "当前无法使用该支付方式，请在微信中打开后支付，或选择到窗口缴费"},
		{CodeBadSignature, "通知签名校验未通过"},
	}
}

// AllCodes returns every error code in the order of the code table, generic
// ones first, so the web layer can check that each has an HTTP status.
func AllCodes() []Code {
	rows := codeTable()
	out := make([]Code, len(rows))
	for i, r := range rows {
		out[i] = r.code
	}
	return out
}

// Message returns the default Chinese message shown to users for the code.
// Unknown codes get the message of CodeInternal.
func (c Code) Message() string {
	internal := ""
	for _, r := range codeTable() {
		if r.code == c {
			return r.message
		}
		if r.code == CodeInternal {
			internal = r.message
		}
	}
	return internal
}

// Error is a rule violation or failure carrying a stable Code and a Chinese
// Message that may be shown to the user. Err, when set, is the underlying
// cause; it is for logs and never shown to users.
type Error struct {
	Code    Code
	Message string
	Err     error
}

// Error returns the code and message, followed by the cause when there is one.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Code.Message()
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, msg, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, msg)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, domain.E(domain.CodeNotFound)) matches any NOT_FOUND error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// E returns an error with the code's default message.
func E(code Code) *Error {
	return &Error{Code: code, Message: code.Message()}
}

// Errorf returns an error with the code and a Chinese message built from
// format and args as by fmt.Sprintf.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with the code's default message and err as its cause.
func Wrap(code Code, err error) *Error {
	return &Error{Code: code, Message: code.Message(), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the Chinese message of the first *Error in err's
// chain (the code's default when the message is empty). For any other
// non-nil error it returns the generic internal message, so causes never
// leak to users; for nil it returns "".
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Message != "" {
			return e.Message
		}
		return e.Code.Message()
	}
	return CodeInternal.Message()
}
