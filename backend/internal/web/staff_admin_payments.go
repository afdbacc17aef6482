package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// adminPaymentsPage: GET /staff/admin/payments — what the daily
// reconciliation with the payment provider's trade bill found and is not
// resolved yet, newest day first.
func (s *Server) adminPaymentsPage(c *gin.Context) {
	a, me, ok := s.adminPage(c)
	if !ok {
		return
	}
	ds, err := s.deps.Service.PaymentDiscrepancies(c.Request.Context(), a)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	s.render(c, http.StatusOK, "staff/admin/payments.html", pageData{Title: "支付对账", Me: me, Nav: "admin-payments",
		Error: s.popError(c), Data: ds})
}
