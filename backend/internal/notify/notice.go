package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/store"
)

// Outbox channels.
const (
	ChannelInApp  = "inapp"
	ChannelWeChat = "wechat"
	ChannelSMS    = "sms"
)

// Message is what a notification says; it is the outbox payload.
type Message struct {
	CaseNo string `json:"case_no"`
	Title  string `json:"title"`
	Body   string `json:"body"`
	// SMSTemplate and SMSParams are what an urgent notice says by SMS: the
	// name of an approved template (sms.Template*) and its parameters, so
	// delivery needs no case look-up.
	SMSTemplate string   `json:"sms_template,omitempty"`
	SMSParams   []string `json:"sms_params,omitempty"`
	// At is when the outbox row was written: the outbox sets it for the
	// senders; it is not part of the payload.
	At time.Time `json:"-"`
}

// Events that tell the applicant something without changing the case's
// status; every other event is an action of the transition table.
const (
	// PickupReminder is the reminder that the pickup window closes soon.
	PickupReminder domain.Action = "pickup_reminder"
	// TemporaryCardIssued is the county's issue of a requested temporary card.
	TemporaryCardIssued domain.Action = "temporary_card_issue"
)

// Detail is what an event adds to the case for its notice: the reason of a
// rejection or extension, the tracking number of a mailed card, the number
// of a temporary card, and the date the temporary card is valid until.
type Detail struct {
	Note  string
	Until time.Time
}

// clause is an officer's reason as part of our sentence: without the full
// stop (or other closing mark) the officer may have typed, which the
// sentence adds itself — never "……再申请。。".
func clause(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), "。．.！!；;，,、 ")
}

// notice is the text of one kind of notification and where it goes.
type notice struct {
	title string
	body  func(c *store.Case, d Detail) string
	sms   *smsText // urgent: also by SMS, the applicant must do something
}

// smsText is what an urgent notice says by SMS: an approved template and
// its parameters. Tencent bounds a parameter's length by its kind; the
// short status texts stay within 12 characters (the package's tests check).
type smsText struct {
	template string
	params   func(c *store.Case, d Detail) []string
}

// statusSMS is the case-status template: {1} the case number, {2} text.
func statusSMS(text string) *smsText {
	return &smsText{template: sms.TemplateStatus, params: func(c *store.Case, _ Detail) []string { return []string{c.No, text} }}
}

// notices is the one table of what the applicant hears: every action of the
// transition table (each reaches one status, or none for the extension)
// and the events above. An action missing here would be a silent status
// change; the package's tests check that none is.
var notices = map[domain.Action]notice{
	domain.ActionSubmit: {title: "申请已提交", body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("您的%s申请（%s）已提交，派出所将在3个工作日内核验。", domain.Kind(c.Kind).Label(), c.No)
	}},
	domain.ActionCancel: {title: "申请已撤回", body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s的申请已撤回。如仍需办理，可重新提交申请。", c.No)
	}},
	domain.ActionPrecheckApprove: {title: "申请已受理", body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s已通过核验并受理，正在审核签发。", c.No)
	}},
	domain.ActionPrecheckReject: {title: "申请未通过核验", sms: statusSMS("未通过核验"), body: func(c *store.Case, d Detail) string {
		return fmt.Sprintf("办件%s未通过派出所核验：%s。您可修改后重新申请。", c.No, clause(d.Note))
	}},
	domain.ActionReviewApprove: {title: "证件已签发", body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s已审核签发，省制证中心将在3个工作日内制作。", c.No)
	}},
	domain.ActionReviewReject: {title: "申请未通过审核", sms: statusSMS("未通过审核"), body: func(c *store.Case, d Detail) string {
		return fmt.Sprintf("办件%s未通过户籍地公安机关审核：%s。", c.No, clause(d.Note))
	}},
	domain.ActionProduce: {title: "证件已制作", body: func(c *store.Case, _ Detail) string {
		if c.Collection == string(domain.CollectionMail) {
			return fmt.Sprintf("办件%s的身份证已制作完成，即将通过EMS寄出。", c.No)
		}
		return fmt.Sprintf("办件%s的身份证已制作完成，即将发往领证派出所。", c.No)
	}},
	domain.ActionShip: {title: "证件已寄出", body: func(c *store.Case, d Detail) string {
		if c.Collection == string(domain.CollectionMail) {
			return fmt.Sprintf("办件%s的身份证已通过EMS寄出，运单号%s。", c.No, d.Note)
		}
		return fmt.Sprintf("办件%s的身份证已发往领证派出所。", c.No)
	}},
	domain.ActionArrive: {title: "证件可以领取", sms: statusSMS("已到派出所待领取"), body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s的身份证已到达派出所，请在领取期限内凭“我的办件”中的领证二维码领取。", c.No)
	}},
	domain.ActionHandover: {title: "证件已领取", body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s的身份证已领取，办理完结。", c.No)
	}},
	domain.ActionDeliver: {title: "证件已送达", body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s的身份证已妥投，办理完结。", c.No)
	}},
	domain.ActionClosePickup: {title: "证件逾期未领取", sms: statusSMS("已逾期未领取"), body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s的身份证已超过领取期限，请联系领证派出所。", c.No)
	}},
	domain.ActionReopenPickup: {title: "领取期限已重新开放", sms: statusSMS("可重新领取"), body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s的身份证可以重新领取，请尽快到派出所领取。", c.No)
	}},
	domain.ActionExtend: {title: "办理期限已延长", body: func(c *store.Case, d Detail) string {
		return fmt.Sprintf("办件%s的法定办理期限已延长：%s。", c.No, clause(d.Note))
	}},
	domain.ActionChange: {title: "领证信息已变更", body: func(c *store.Case, d Detail) string {
		return fmt.Sprintf("办件%s的领证信息已按您的申请变更：%s。", c.No, clause(d.Note))
	}},
	PickupReminder: {title: "请尽快领取身份证", sms: &smsText{template: sms.TemplatePickup, params: func(c *store.Case, _ Detail) []string {
		return []string{c.No, calendar.FormatDate(*c.PickupDueAt)}
	}}, body: func(c *store.Case, _ Detail) string {
		return fmt.Sprintf("办件%s的身份证领取期限即将届满（%s），请尽快到领证派出所领取。", c.No, calendar.FormatDate(*c.PickupDueAt))
	}},
	TemporaryCardIssued: {title: "临时身份证已签发", sms: statusSMS("临时身份证已签发"), body: func(c *store.Case, d Detail) string {
		return fmt.Sprintf("办件%s的临时居民身份证已签发（证号%s，有效期至%s），请到户籍地县级公安机关领取。",
			c.No, d.Note, calendar.FormatDate(d.Until))
	}},
}

// Messages builds the outbox rows that tell the applicant about an event of
// case c: in-app always, WeChat when the account has an openid, SMS for what
// needs the applicant to act. An event without a notice gives none.
func Messages(q *store.Q, c *store.Case, event domain.Action, d Detail) ([]*store.OutboxMessage, error) {
	n, ok := notices[event]
	if !ok {
		return nil, nil
	}
	msg := Message{CaseNo: c.No, Title: n.title, Body: n.body(c, d)}
	if n.sms != nil {
		msg.SMSTemplate, msg.SMSParams = n.sms.template, n.sms.params(c, d)
	}
	payload, err := json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	ap, err := q.Applicant(c.ApplicantID)
	if err != nil {
		return nil, err
	}
	mk := func(channel string) *store.OutboxMessage {
		return &store.OutboxMessage{CaseID: &c.ID, Channel: channel, RecipientKind: store.ActorApplicant, RecipientID: c.ApplicantID,
			Template: string(event), Payload: string(payload)}
	}
	out := []*store.OutboxMessage{mk(ChannelInApp)}
	if ap.WechatOpenid != nil || ap.WechatMpOpenid != nil {
		out = append(out, mk(ChannelWeChat))
	}
	if n.sms != nil && ap.Phone != "" {
		out = append(out, mk(ChannelSMS))
	}
	return out, nil
}

// IdentityMoved names the notice to an account whose person was bound to
// another account; it concerns no case.
const IdentityMoved = "identity_moved"

// IdentityMovedAway tells account ap, on the day at, that the person bound
// to it is now bound to another account: in-app, and by SMS when the
// account has a phone, since someone else may be using the identity.
func IdentityMovedAway(ap store.Applicant, at time.Time) []*store.OutboxMessage {
	day := calendar.FormatDate(at)
	payload, _ := json.Marshal(Message{Title: "实名身份已转绑", Body: fmt.Sprintf(
		"您账号绑定的实名身份已于%s绑定到另一账号，本账号已解除绑定。如非本人操作，请尽快联系当地派出所。", day),
		SMSTemplate: sms.TemplateIdentity, SMSParams: []string{day}})
	mk := func(channel string) *store.OutboxMessage {
		return &store.OutboxMessage{Channel: channel, RecipientKind: store.ActorApplicant, RecipientID: ap.ID,
			Template: IdentityMoved, Payload: string(payload)}
	}
	out := []*store.OutboxMessage{mk(ChannelInApp)}
	if ap.Phone != "" {
		out = append(out, mk(ChannelSMS))
	}
	return out
}

// OverdueDigest is the in-app message that tells a supervisor how many
// cases under its division are past their stage's due date on day.
func OverdueDigest(staffID int64, day string, overdue int64) *store.OutboxMessage {
	payload, _ := json.Marshal(Message{Title: "逾期办件提醒", Body: fmt.Sprintf("截至%s，您辖区内有%d件办件超过当前环节期限，请督促办理。", day, overdue)})
	return &store.OutboxMessage{Channel: ChannelInApp, RecipientKind: store.ActorStaff, RecipientID: staffID,
		Template: "overdue_digest", Payload: string(payload)}
}
