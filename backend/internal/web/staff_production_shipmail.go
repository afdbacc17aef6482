package web

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/service"
)

// shipMailPageOf is the EMS dispatch list: produced cards of the mail
// route, each with a tracking number input checked as UPU S10.
func (s *Server) shipMailPageOf(c *gin.Context) mailPage {
	ctx := c.Request.Context()
	return mailPage{path: "/staff/ship-mail", template: "staff/production/ship_mail.html",
		title: "邮寄发出", field: "tracking_no", nav: "ship-mail",
		list: func(a service.Actor, search string) (service.MailQueue, error) {
			return s.deps.Service.MailToShip(ctx, a, search)
		},
		run: func(a service.Actor, items []service.MailItem) (service.MailResult, error) {
			return s.deps.Service.ShipMail(ctx, a, items)
		},
		done:  func(n int) string { return fmt.Sprintf("已发出%d件，已通知申请人EMS邮件号。", n) },
		empty: "请至少为一个办件填写EMS邮件号后再提交",
	}
}

// shipMailPage: GET /staff/ship-mail?q= — produced mail cards waiting for
// an EMS number, soonest due first.
func (s *Server) shipMailPage(c *gin.Context) { s.getMailPage(c, s.shipMailPageOf(c)) }

// shipMailSubmit: POST /staff/ship-mail — case=<no>:<version> per row and
// tracking_no_<no>; the rows with a number are shipped, bad numbers are
// explained beside their rows.
func (s *Server) shipMailSubmit(c *gin.Context) { s.postMailPage(c, s.shipMailPageOf(c)) }
