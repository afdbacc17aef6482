package signin

import (
	"context"
	"strconv"
	"time"

	"github.com/gzga/idcard/backend/internal/sms"
)

// SMSCodes sends sign-in codes by SMS: the code template, {1} the code and
// {2} the minutes it stays valid. It is safe for concurrent use.
type SMSCodes struct {
	gateway    sms.Gateway
	templateID string
}

// NewSMSCodes returns the CodeSender that sends through gateway g with the
// code template of t.
func NewSMSCodes(g sms.Gateway, t sms.Templates) SMSCodes {
	return SMSCodes{gateway: g, templateID: t[sms.TemplateCode]}
}

// SendCode sends code to phone. Neither is logged.
func (s SMSCodes) SendCode(ctx context.Context, phone, code string) error {
	return s.gateway.Send(ctx, phone, s.templateID, []string{code, strconv.Itoa(int(codeTTL / time.Minute))})
}
