package web

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/payment"
)

// maxNotifyBody bounds a payment callback's body; WeChat Pay's are a few KB.
const maxNotifyBody = 64 << 10

// casePayment: POST /api/v1/cases/:no/payment {"channel"}.
func (s *Server) casePayment(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	var in struct {
		Channel string `json:"channel"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	v, err := s.deps.Service.Pay(c.Request.Context(), a, c.Param("no"), in.Channel)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, v)
}

// paymentNotifyWeChat: POST /api/v1/payments/wechat/notify, WeChat Pay's
// callback. No session: the platform's signature is the authentication,
// and anything that fails it answers 401 and changes nothing. WeChat Pay
// takes a 2xx as received and retries anything else.
func (s *Server) paymentNotifyWeChat(c *gin.Context) {
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxNotifyBody+1))
	if err != nil || len(body) > maxNotifyBody {
		writeError(c, domain.E(domain.CodeBadRequest))
		return
	}
	h := payment.NotifyHeaders{Timestamp: c.GetHeader("Wechatpay-Timestamp"), Nonce: c.GetHeader("Wechatpay-Nonce"),
		Signature: c.GetHeader("Wechatpay-Signature"), Serial: c.GetHeader("Wechatpay-Serial")}
	if err := s.deps.Service.PaymentNotify(c.Request.Context(), h, body, c.ClientIP()); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
