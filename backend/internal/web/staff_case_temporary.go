package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

type tempCardsData struct {
	Status string
	service.TemporaryCardPage
	FeeYuan    int
	Prev, Next string // the pages before and after, when there are
	Self       string // this page, the way back after an issue
}

// temporaryCardsPage: GET /staff/temporary-cards?status=requested|issued&page=N
// — the county's temporary card requests with an issue form, or the cards
// issued, 50 a page with the total.
func (s *Server) temporaryCardsPage(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleCountyReviewer) {
		return
	}
	msg := s.popError(c)
	status := c.DefaultQuery("status", "requested")
	page, _ := strconv.Atoi(c.Query("page"))
	p, err := s.deps.Service.CountyTemporaryCards(c.Request.Context(), a, status, page)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	link := func(n int) string {
		return "/staff/temporary-cards?" + url.Values{"status": {status}, "page": {strconv.Itoa(n)}}.Encode()
	}
	v := tempCardsData{Status: status, TemporaryCardPage: p, FeeYuan: domain.TemporaryCardFeeYuan, Self: link(p.Page)}
	if p.Page > 1 {
		v.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		v.Next = link(p.Page + 1)
	}
	s.render(c, http.StatusOK, "staff/cases/temporary.html", pageData{Title: "临时身份证", Me: me, Nav: "temporary", Error: msg, Data: v})
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
