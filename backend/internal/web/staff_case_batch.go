package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseBatchSubmit: POST /staff/cases/batch — action=arrive|produce|ship on
// the ticked rows ("case" = "<no>:<version>"), then back to the list with
// "成功N件，失败M件：…".
func (s *Server) caseBatchSubmit(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	back := caseSafeBack(c.PostForm("back"), "/staff/cases")
	action := domain.Action(c.PostForm("action"))
	var items []service.BatchItem
	for _, v := range c.PostFormArray("case") {
		no, ver, found := strings.Cut(v, ":")
		n, err := strconv.Atoi(ver)
		if !found || err != nil || !domain.ValidCaseNo(no) {
			s.flashError(c, "选中的办件信息有误，请刷新页面后重新勾选")
			c.Redirect(http.StatusSeeOther, back)
			return
		}
		items = append(items, service.BatchItem{No: no, Version: &n})
	}
	res, err := s.deps.Service.BatchAct(c.Request.Context(), a, action, items)
	if err != nil {
		if caseErrorPage(err) {
			s.pageError(c, me, err)
			return
		}
		s.flashError(c, domain.ErrorMessage(err))
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	msg := caseBatchMessage(action, res)
	if len(res.Failed) > 0 {
		s.flashError(c, msg)
	} else {
		s.flash(c, msg)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// caseBatchMessage is "批量确认到证：成功N件，失败M件：GZ…（原因）；…".
func caseBatchMessage(action domain.Action, res service.BatchResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "批量%s：成功%d件，失败%d件", caseBatchLabels[string(action)], len(res.Done), len(res.Failed))
	for i, f := range res.Failed {
		sep := "；"
		if i == 0 {
			sep = "："
		}
		fmt.Fprintf(&b, "%s%s（%s）", sep, f.No, f.Reason)
	}
	return b.String()
}
