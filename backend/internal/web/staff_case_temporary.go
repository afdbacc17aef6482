package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

type tempCardsData struct {
	Status  string
	Rows    []service.TemporaryCardRow
	FeeYuan int
}

// temporaryCardsPage: GET /staff/temporary-cards?status=requested|issued —
// the county's temporary card requests with an issue form, or the cards
// issued.
func (s *Server) temporaryCardsPage(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleCountyReviewer) {
		return
	}
	msg := s.popError(c)
	status := c.DefaultQuery("status", "requested")
	rows, err := s.deps.Service.CountyTemporaryCards(c.Request.Context(), a, status)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	s.render(c, http.StatusOK, "staff/cases/temporary.html", pageData{Title: "临时身份证", Me: me, Nav: "temporary",
		Error: msg, Data: tempCardsData{Status: status, Rows: rows, FeeYuan: domain.TemporaryCardFeeYuan}})
}

// temporaryCardIssueSubmit: POST /staff/temporary-cards/:no/issue (card_no,
// back) — issue a requested temporary card, valid 3 months.
func (s *Server) temporaryCardIssueSubmit(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	no := c.Param("no")
	back := caseSafeBack(c.PostForm("back"), "/staff/temporary-cards")
	t, err := s.deps.Service.IssueTemporaryCard(c.Request.Context(), a, no, c.PostForm("card_no"))
	switch {
	case err != nil && caseErrorPage(err):
		s.pageError(c, me, err)
		return
	case err != nil:
		s.flashError(c, "办件"+no+"："+domain.ErrorMessage(err))
	default:
		msg := "办件" + no + "：已签发临时身份证 " + derefCaseStr(t.CardNo)
		if t.ValidUntil != nil {
			msg += "，有效期至" + *t.ValidUntil
		}
		s.flash(c, msg+"，请收取工本费¥10。")
	}
	c.Redirect(http.StatusSeeOther, back)
}

func derefCaseStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
