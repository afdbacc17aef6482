package service

import (
	"encoding/json"
	"fmt"

	"github.com/gzga/idcard/backend/internal/domain"
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
}

// template is the text of one kind of notification and where it goes.
type template struct {
	title  string
	body   func(c *store.Case, note string) string
	urgent bool // also by SMS: the applicant must do something
}

var templates = map[domain.Action]template{
	domain.ActionSubmit: {title: "申请已提交", body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("您的%s申请（%s）已提交，派出所将在3个工作日内核验。", domain.Kind(c.Kind).Label(), c.No)
	}},
	domain.ActionPrecheckApprove: {title: "申请已受理", body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s已通过核验并受理，正在审核签发。", c.No)
	}},
	domain.ActionPrecheckReject: {title: "申请未通过核验", urgent: true, body: func(c *store.Case, note string) string {
		return fmt.Sprintf("办件%s未通过派出所核验：%s。您可修改后重新申请。", c.No, note)
	}},
	domain.ActionReviewApprove: {title: "证件已签发", body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s已审核签发，省制证中心将在3个工作日内制作。", c.No)
	}},
	domain.ActionReviewReject: {title: "申请未通过审核", urgent: true, body: func(c *store.Case, note string) string {
		return fmt.Sprintf("办件%s未通过户籍地公安机关审核：%s。", c.No, note)
	}},
	domain.ActionShip: {title: "证件已寄出", body: func(c *store.Case, note string) string {
		if c.Collection == string(domain.CollectionMail) {
			return fmt.Sprintf("办件%s的身份证已通过EMS寄出，运单号%s。", c.No, note)
		}
		return fmt.Sprintf("办件%s的身份证已发往领证派出所。", c.No)
	}},
	domain.ActionArrive: {title: "证件可以领取", urgent: true, body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s的身份证已到达派出所，请在领取期限内凭“我的办件”中的领证二维码领取。", c.No)
	}},
	domain.ActionHandover: {title: "证件已领取", body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s的身份证已领取，办理完结。", c.No)
	}},
	domain.ActionDeliver: {title: "证件已送达", body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s的身份证已妥投，办理完结。", c.No)
	}},
	domain.ActionClosePickup: {title: "证件逾期未领取", urgent: true, body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s的身份证已超过领取期限，请联系领证派出所。", c.No)
	}},
	domain.ActionReopenPickup: {title: "领取期限已重新开放", urgent: true, body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s的身份证可以重新领取，请尽快到派出所领取。", c.No)
	}},
	domain.ActionExtend: {title: "办理期限已延长", body: func(c *store.Case, note string) string {
		return fmt.Sprintf("办件%s的法定办理期限已延长：%s。", c.No, note)
	}},
	reminderAction: {title: "请尽快领取身份证", urgent: true, body: func(c *store.Case, _ string) string {
		return fmt.Sprintf("办件%s的身份证领取期限即将届满（%s），请尽快到领证派出所领取。", c.No, fmtTime(*c.PickupDueAt)[:10])
	}},
}

// reminderAction names the pickup reminder, which is no transition.
const reminderAction domain.Action = "pickup_reminder"

// notifications builds the outbox rows that tell the applicant about an
// action: in-app always, WeChat when the account has an openid, SMS for what
// needs the applicant to act.
func (s *Service) notifications(q *store.Q, c *store.Case, action domain.Action, note string) ([]*store.OutboxMessage, error) {
	t, ok := templates[action]
	if !ok {
		return nil, nil
	}
	payload, err := json.Marshal(Message{CaseNo: c.No, Title: t.title, Body: t.body(c, note)})
	if err != nil {
		return nil, err
	}
	ap, err := q.Applicant(c.ApplicantID)
	if err != nil {
		return nil, err
	}
	mk := func(channel string) *store.OutboxMessage {
		return &store.OutboxMessage{CaseID: &c.ID, Channel: channel, RecipientKind: ActorApplicant, RecipientID: c.ApplicantID,
			Template: string(action), Payload: string(payload)}
	}
	out := []*store.OutboxMessage{mk(ChannelInApp)}
	if ap.WechatOpenid != nil || ap.WechatMpOpenid != nil {
		out = append(out, mk(ChannelWeChat))
	}
	if t.urgent && ap.Phone != "" {
		out = append(out, mk(ChannelSMS))
	}
	return out, nil
}
