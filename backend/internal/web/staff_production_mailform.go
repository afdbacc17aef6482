package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// mailPageData is a mail work list with one input per row: EMS numbers to
// ship, or who signed for a delivery. After a partly refused form the typed
// values and each refused row's reason stay beside the rows.
type mailPageData struct {
	Queue  service.MailQueue
	Search string
	Values map[string]string
	Errors map[string]string
	// Others are refused rows the list no longer shows (another operator
	// moved them on meanwhile).
	Others []mailFailure
}

// mailFailure is a refused row.
type mailFailure struct{ No, Reason string }

// mailPage is one of the two mail work lists.
type mailPage struct {
	path, template, title, field string
	nav                          string // the menu entry
	list                         func(a service.Actor, search string) (service.MailQueue, error)
	run                          func(a service.Actor, items []service.MailItem) (service.MailResult, error)
	done                         func(n int) string // the flash after n rows went through
	empty                        string             // the refusal of a form with nothing typed
}

// showMailPage renders the list, with what a refused form carried.
func (s *Server) showMailPage(c *gin.Context, p mailPage, a service.Actor, me *service.StaffMe, search string,
	status int, flash, errMsg string, values, errs map[string]string) {
	q, err := p.list(a, search)
	if err != nil && domain.ErrorCode(err) == domain.CodeValidationFailed {
		status, errMsg, search = http.StatusUnprocessableEntity, domain.ErrorMessage(err), ""
		q, err = p.list(a, "")
	}
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	d := mailPageData{Queue: q, Search: search, Values: values, Errors: errs}
	shown := map[string]bool{}
	for _, r := range q.Rows {
		shown[r.No] = true
	}
	for no, why := range errs {
		if !shown[no] {
			d.Others = append(d.Others, mailFailure{No: no, Reason: why})
		}
	}
	sort.Slice(d.Others, func(i, j int) bool { return d.Others[i].No < d.Others[j].No })
	s.render(c, status, p.template, pageData{Title: p.title, Me: me, Nav: p.nav, Flash: flash, Error: errMsg, Data: d})
}

// getMailPage: GET of a mail work list (?q= narrows it).
func (s *Server) getMailPage(c *gin.Context, p mailPage) {
	a, me, ok := s.productionOperator(c)
	if !ok {
		return
	}
	msg := s.popError(c)
	s.showMailPage(c, p, a, me, c.Query("q"), http.StatusOK, "", msg, nil, nil)
}

// mailFormItems reads the rows of a mail form: every row carries
// case=<no>:<version> and its input <field>_<no>; rows left empty are
// skipped. Returns BAD_REQUEST for a row the page could not have sent.
func mailFormItems(c *gin.Context, field string) ([]service.MailItem, map[string]string, error) {
	var items []service.MailItem
	values := map[string]string{}
	for _, v := range c.PostFormArray("case") {
		no, ver, found := strings.Cut(v, ":")
		n, err := strconv.Atoi(ver)
		if !found || err != nil || n <= 0 || !domain.ValidCaseNo(no) {
			return nil, nil, domain.Errorf(domain.CodeBadRequest, "表单内容有误，请刷新页面后重新填写")
		}
		typed := strings.TrimSpace(c.PostForm(field + "_" + no))
		if typed == "" {
			continue
		}
		values[no] = typed
		items = append(items, service.MailItem{No: no, Value: typed, Version: &n})
	}
	if len(items) > service.MaxMailQueueRows {
		return nil, nil, domain.Errorf(domain.CodeBadRequest, "一次最多提交%d件", service.MaxMailQueueRows)
	}
	return items, values, nil
}

// postMailPage: POST of a mail work list. All rows through: back to the
// list with a flash. Some refused: the list again, each refused row with
// its reason and what was typed, the others done.
func (s *Server) postMailPage(c *gin.Context, p mailPage) {
	a, me, ok := s.productionOperator(c)
	if !ok {
		return
	}
	search := strings.TrimSpace(c.PostForm("q"))
	back := p.path
	if search != "" {
		back += "?" + url.Values{"q": {search}}.Encode()
	}
	items, values, err := mailFormItems(c, p.field)
	if err == nil && len(items) == 0 {
		err = domain.Errorf(domain.CodeValidationFailed, "%s", p.empty)
	}
	if err != nil {
		s.flashError(c, domain.ErrorMessage(err))
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	res, err := p.run(a, items)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	if len(res.Failed) == 0 {
		s.flash(c, p.done(len(res.Done)))
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	for no := range values {
		if _, failed := res.Failed[no]; !failed {
			delete(values, no)
		}
	}
	flash := ""
	if len(res.Done) > 0 {
		flash = p.done(len(res.Done))
	}
	errMsg := fmt.Sprintf("%d件未能办理，原因已标在对应行，请修改后重新提交。", len(res.Failed))
	s.showMailPage(c, p, a, me, search, http.StatusUnprocessableEntity, flash, errMsg, values, res.Failed)
}
