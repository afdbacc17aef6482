package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseListFilters are the list's query parameters, as the form shows them.
type caseListFilters struct {
	Status, Kind, Collection, County, Office, From, To, No, Order string
	Overdue                                                       bool
	Limit                                                         int
}

// caseListRow is one row of the list.
type caseListRow struct {
	service.CaseListRow
	Badge     string
	Due       caseDue
	Legal     string
	Submitted string
	Batch     string // the batch action this row may be selected for
	Act       caseRowAction
}

// caseBatchButton is one batch action offered under the list.
type caseBatchButton struct {
	Action, Label string
	Count         int
}

type caseListData struct {
	F        caseListFilters
	Options  service.CaseListOptions
	Rows     []caseListRow
	Batch    []caseBatchButton
	NextURL  string
	PrevURL  string
	FirstURL string
	Total    int64 // the cases of every page
	Back     string
	Notice   string
	// ExportCSV and ExportXLSX are the supervisor's export of these filters.
	ExportCSV, ExportXLSX string
	Statuses              []caseOption
	Kinds                 []caseOption
	Limits                []int
}

// caseOption is one choice of a select.
type caseOption struct {
	Value, Label string
}

// caseUndatedStatuses have no stage due time: "due first" lists them newest first.
var caseUndatedStatuses = map[string]bool{string(domain.StatusShipped): true, string(domain.StatusUncollected): true}

// caseListPage: GET /staff/cases — the actor's cases with filters, due
// soonest first with order=due, keyset pages.
func (s *Server) caseListPage(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	f := caseListFiltersOf(c)
	d := caseListData{F: f, Back: c.Request.URL.RequestURI(), Limits: []int{20, 50, 100}}
	for _, k := range domain.AllKinds() {
		d.Kinds = append(d.Kinds, caseOption{string(k), k.Label()})
	}
	opts, err := s.deps.Service.StaffCaseListOptions(c.Request.Context(), a, f.County)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	d.Options = opts
	for _, st := range opts.Statuses {
		d.Statuses = append(d.Statuses, caseOption{string(st), st.Label()})
	}
	cq, err := caseListQuery(c, a, f)
	if cq.DueFirst && (caseUndatedStatuses[f.Status] || domain.Status(f.Status).IsFinal()) {
		cq.DueFirst = false
		d.Notice = "该状态的办件没有阶段期限，按提交时间由新到旧排列。"
	} else if cq.DueFirst {
		d.Notice = "按阶段期限由近到远排列，仅列出有阶段期限的在办办件。"
	}
	var page service.CaseListPage
	if err == nil {
		page, err = s.deps.Service.StaffCaseList(c.Request.Context(), a, cq)
	}
	if err != nil && caseErrorPage(err) {
		s.pageError(c, me, err)
		return
	}
	status, msg := http.StatusOK, s.popError(c)
	if err != nil {
		status, msg = httpStatus(domain.ErrorCode(err)), domain.ErrorMessage(err)
	}
	d.Rows, d.Batch = caseListRows(a, page.Rows)
	d.Total = page.Total
	if page.NextCursor != nil {
		d.NextURL = caseListPageURL(c, "cursor", *page.NextCursor)
	}
	if page.PrevCursor != nil {
		d.PrevURL = caseListPageURL(c, "before", *page.PrevCursor)
	}
	if c.Query("cursor") != "" || c.Query("before") != "" {
		d.FirstURL = caseListPageURL(c, "", "")
	}
	if a.Role == domain.RoleSupervisor {
		q := c.Request.URL.Query()
		q.Del("cursor")
		q.Del("limit")
		q.Del("order")
		d.ExportCSV, d.ExportXLSX = "/staff/cases/export.csv?"+q.Encode(), "/staff/cases/export.xlsx?"+q.Encode()
	}
	s.render(c, status, "staff/cases/list.html", pageData{Title: "办件查询", Me: me, Nav: "cases", Error: msg, Data: d})
}

func caseListFiltersOf(c *gin.Context) caseListFilters {
	// The parameter names are the JSON API's and the export's (q, office_id).
	f := caseListFilters{Status: c.Query("status"), Kind: c.Query("kind"), Collection: c.Query("collection"),
		County: c.Query("county"), Office: c.Query("office_id"), From: c.Query("from"), To: c.Query("to"),
		No: strings.TrimSpace(c.Query("q")), Order: c.Query("order"), Overdue: c.Query("overdue") == "1", Limit: 20}
	if n, err := strconv.Atoi(c.Query("limit")); err == nil && n > 0 && n <= service.MaxBatch {
		f.Limit = n
	}
	return f
}

// caseListQuery turns the filters into a service query; county and station
// filters are a supervisor's.
func caseListQuery(c *gin.Context, a service.Actor, f caseListFilters) (service.CaseQuery, error) {
	cq, err := caseQueryFrom(c, domain.CodeValidationFailed)
	cq.Limit = f.Limit
	if cq.Cursor == "" {
		cq.Before = c.Query("before") // the page before: the list pages both ways
	}
	if a.Role != domain.RoleSupervisor {
		cq.County, cq.OfficeID = "", 0
	}
	return cq, err
}

// caseBatchFor is the batch action a role may run on a row in its status.
func caseBatchFor(role domain.Role, v service.CaseView) string {
	window := v.Collection == string(domain.CollectionWindow)
	switch {
	case role == domain.RoleStationOfficer && v.Status == string(domain.StatusShipped) && window:
		return string(domain.ActionArrive)
	case role == domain.RoleProductionOperator && v.Status == string(domain.StatusIssued):
		return string(domain.ActionProduce)
	case role == domain.RoleProductionOperator && v.Status == string(domain.StatusProduced) && window:
		return string(domain.ActionShip)
	}
	return ""
}

var caseBatchLabels = map[string]string{
	string(domain.ActionArrive):  "确认到证",
	string(domain.ActionProduce): "制作完成",
	string(domain.ActionShip):    "发出（窗口领取）",
}

func caseListRows(a service.Actor, items []service.CaseListRow) ([]caseListRow, []caseBatchButton) {
	rows := make([]caseListRow, 0, len(items))
	counts := map[string]int{}
	for _, it := range items {
		r := caseListRow{CaseListRow: it, Badge: caseBadge(it.Status), Due: caseDueOf(it.CaseView),
			Legal: caseDate(it.LegalDueAt), Submitted: caseMinute(it.SubmittedAt), Batch: caseBatchFor(a.Role, it.CaseView),
			Act: caseRowActionFor(a.Role, it.CaseView)}
		if r.Batch != "" {
			counts[r.Batch]++
		}
		rows = append(rows, r)
	}
	var buttons []caseBatchButton
	for _, act := range []string{string(domain.ActionArrive), string(domain.ActionProduce), string(domain.ActionShip)} {
		if counts[act] > 0 {
			buttons = append(buttons, caseBatchButton{Action: act, Label: caseBatchLabels[act], Count: counts[act]})
		}
	}
	return rows, buttons
}

// caseListPageURL is the list with the same filters at a page cursor:
// key "cursor" (the page after), "before" (the page before) or "" (the
// first page).
func caseListPageURL(c *gin.Context, key, cursor string) string {
	q := url.Values{}
	for k, vs := range c.Request.URL.Query() {
		if k != "cursor" && k != "before" {
			q[k] = vs
		}
	}
	if key != "" {
		q.Set(key, cursor)
	}
	if len(q) == 0 {
		return "/staff/cases"
	}
	return "/staff/cases?" + q.Encode()
}
