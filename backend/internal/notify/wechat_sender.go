package notify

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/wechat"
)

// WeChatSender delivers the outbox's WeChat messages: to the account's
// mini-program openid as a subscribe message (the 办件进度通知 template),
// else to its official-account openid as a template message. A subscribe
// message the user has not consented to is an error that errors.Is
// wechat.ErrNoConsent.
type WeChatSender struct {
	// Mini is the mini-program's client and SubscribeTemplate the id of
	// its 办件进度通知 template; either nil/"" = no subscribe messages.
	Mini              *wechat.Client
	SubscribeTemplate string
	// MP is the official account's client and MPTemplate the id of its
	// progress template; either nil/"" = no template messages.
	MP         *wechat.Client
	MPTemplate string
	// PublicURL is the service's base URL; the template message opens
	// PublicURL/m/#/cases/<no>.
	PublicURL string
}

// MiniCasePage is the mini-program's case page, which a subscribe message
// opens (a page of frontend/miniprogram/app.json; a test checks it is).
const MiniCasePage = "pages/case-detail/case-detail"

// thingMax is the length limit of a subscribe message's thing value.
const thingMax = 20

// timeLayout is the subscribe and template messages' time.
const timeLayout = "2006-01-02 15:04"

// Send sends m to to; template (the outbox's event name) is not WeChat's:
// every event goes by the one progress template. A user who gave no
// consent (subscribe messages are one-off, per consent), or an account no
// configured WeChat channel reaches, is skipped rather than retried; a
// refusal that no retry mends (an invalid openid or template) is Final.
func (w WeChatSender) Send(ctx context.Context, to Recipient, template string, m Message) error {
	err := w.send(ctx, to, template, m)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wechat.ErrNoConsent), errors.Is(err, errNoWeChatChannel):
		return Skip(err)
	case finalWeChat(wechat.ErrCode(err)):
		return Final(err)
	}
	return err
}

// errNoWeChatChannel: the account's openids are of apps not configured.
var errNoWeChatChannel = errors.New("wechat: no configured WeChat channel reaches the recipient")

// finalWeChat reports whether a WeChat errcode is a refusal that no retry
// mends: 40003 invalid openid, 40037 invalid template id, 43004 the user
// does not follow the official account, 47003 template data invalid.
func finalWeChat(code int) bool {
	switch code {
	case 40003, 40037, 43004, 47003:
		return true
	}
	return false
}

func (w WeChatSender) send(ctx context.Context, to Recipient, _ string, m Message) error {
	at := m.At.In(calendar.Location()).Format(timeLayout)
	no := m.CaseNo
	if no == "" {
		no = "-"
	}
	switch {
	case to.MiniOpenID != "" && w.Mini != nil && w.SubscribeTemplate != "":
		return w.Mini.SendSubscribe(ctx, wechat.SubscribeMessage{ToUser: to.MiniOpenID, TemplateID: w.SubscribeTemplate,
			Page: MiniCasePage + "?no=" + url.QueryEscape(m.CaseNo),
			Data: map[string]string{"character_string1": no, "thing2": runes(m.Title, thingMax), "thing3": runes(m.Body, thingMax), "time4": at}})
	case to.MPOpenID != "" && w.MP != nil && w.MPTemplate != "":
		return w.MP.SendTemplate(ctx, wechat.TemplateMessage{ToUser: to.MPOpenID, TemplateID: w.MPTemplate,
			URL:  strings.TrimRight(w.PublicURL, "/") + "/m/#/cases/" + url.PathEscape(m.CaseNo),
			Data: map[string]string{"first": "居民身份证办理进度通知", "keyword1": no, "keyword2": m.Title, "keyword3": at, "remark": m.Body}})
	}
	return fmt.Errorf("%w (%s %d)", errNoWeChatChannel, to.Kind, to.ID)
}

// runes is s cut to at most n characters, the last an ellipsis when cut.
func runes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
