package web

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/service"
)

// deliveriesPageOf is the EMS delivery record: mail cards in transit, each
// with the name of whoever signed for it.
func (s *Server) deliveriesPageOf(c *gin.Context) mailPage {
	ctx := c.Request.Context()
	return mailPage{path: "/staff/deliveries", template: "staff/production/deliveries.html",
		title: "投递签收登记", field: "signed_by", nav: "deliveries",
		list: func(a service.Actor, search string) (service.MailQueue, error) {
			return s.deps.Service.MailInTransit(ctx, a, search)
		},
		run: func(a service.Actor, items []service.MailItem) (service.MailResult, error) {
			return s.deps.Service.DeliverMail(ctx, a, items)
		},
		done:  func(n int) string { return fmt.Sprintf("已登记投递签收%d件，办件办结。", n) },
		empty: "请至少为一个办件填写签收人后再提交",
	}
}

// deliveriesPage: GET /staff/deliveries?q= — EMS items not yet delivered,
// oldest dispatch first.
func (s *Server) deliveriesPage(c *gin.Context) { s.getMailPage(c, s.deliveriesPageOf(c)) }

// deliveriesSubmit: POST /staff/deliveries — case=<no>:<version> per row and
// signed_by_<no>; the rows with a name are delivered.
func (s *Server) deliveriesSubmit(c *gin.Context) { s.postMailPage(c, s.deliveriesPageOf(c)) }
