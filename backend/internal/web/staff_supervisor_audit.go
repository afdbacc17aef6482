package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// keyAuditCheck keeps the last chain check for the page after the POST.
const keyAuditCheck = "audit_check"

// auditView is the audit page's data.
type auditView struct {
	Filter   map[string]string
	Rows     []auditRowView
	Whole    bool
	Next     string // link to the next (older) page
	Prev     string // link to the page before (newer), when paged
	First    string // link back to the newest entries, when paged
	Total    int64  // the matching entries of every page
	Check    *service.AuditCheck
	Actions  []service.AuditAction
	Kinds    []option
	Objects  []option
	Roles    []option
	Outcomes []option
	Export   string // the export of this filter
}

type auditRowView struct {
	service.AuditRow
	KindLabel, RoleLabel, ActionLabel, OutcomeLabel, ObjectLabel, ObjectLink string
	Details                                                                  []service.AuditDetailItem
}

// auditFilterKeys are the page's query parameters.
var auditFilterKeys = []string{"actor_kind", "actor", "action", "object_type", "object_id", "role", "office", "ip", "outcome", "from", "to"}

// auditPage: GET /staff/audit — the audit log with filters, keyset pages
// (before=seq) and the result of the last chain check.
func (s *Server) auditPage(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleSupervisor, domain.RoleAuditAdmin) {
		return
	}
	v := auditView{Filter: map[string]string{}, Actions: service.AuditActions(),
		Kinds: []option{{"staff", "工作人员"}, {"applicant", "申领人"}, {"system", "系统"}},
	}
	for _, o := range service.AuditObjectTypes() {
		v.Objects = append(v.Objects, option{o.Code, o.Label})
	}
	aq, bad := auditQueryFrom(c, v.Filter)
	for _, r := range domain.AllRoles() {
		v.Roles = append(v.Roles, option{string(r), r.Label()})
	}
	v.Outcomes = []option{{"ok", "成功"}, {"denied", "拒绝"}, {"failed", "失败"}}
	v.Export = strings.Replace(auditLink(v.Filter, "", 0), "/staff/audit?", "/staff/audit/export.csv?", 1)
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"before", &aq.BeforeSeq}, {"after", &aq.AfterSeq}} {
		if b := c.Query(p.name); b != "" {
			n, err := strconv.ParseInt(b, 10, 64)
			if err != nil || n <= 0 {
				bad = domain.Errorf(domain.CodeValidationFailed, "分页参数无效，请从第一页查看")
			}
			*p.dst = n
		}
	}
	if raw := s.deps.Sessions.Staff.PopString(c.Request.Context(), keyAuditCheck); raw != "" {
		var chk service.AuditCheck
		if json.Unmarshal([]byte(raw), &chk) == nil {
			v.Check = &chk
		}
	}
	var errMsg string
	status := http.StatusOK
	if bad != nil {
		errMsg, status = domain.ErrorMessage(bad), http.StatusUnprocessableEntity
	} else {
		page, err := s.deps.Service.AuditLog(c.Request.Context(), a, aq)
		if err != nil {
			s.pageError(c, me, err)
			return
		}
		v.Whole = page.Whole
		for _, r := range page.Rows {
			v.Rows = append(v.Rows, auditRowOf(r))
		}
		v.Total = page.Total
		if page.NextBefore > 0 {
			v.Next = auditLink(v.Filter, "before", page.NextBefore)
		}
		if page.PrevAfter > 0 {
			v.Prev = auditLink(v.Filter, "after", page.PrevAfter)
		}
		if aq.BeforeSeq > 0 || aq.AfterSeq > 0 {
			v.First = auditLink(v.Filter, "", 0)
		}
	}
	s.render(c, status, "staff/supervisor/audit.html", pageData{Title: "审计日志", Me: me, Nav: "audit", Error: errMsg, Data: v})
}

// auditLink is the audit page with the filter and a page cursor: key
// "before" (older entries), "after" (newer ones) or "" (the newest).
func auditLink(filter map[string]string, key string, seq int64) string {
	q := url.Values{}
	for k, val := range filter {
		if val != "" {
			q.Set(k, val)
		}
	}
	if key != "" && seq > 0 {
		q.Set(key, strconv.FormatInt(seq, 10))
	}
	return "/staff/audit?" + q.Encode()
}

func auditRowOf(r service.AuditRow) auditRowView {
	v := auditRowView{AuditRow: r, RoleLabel: domain.Role(r.Role).Label(), ActionLabel: service.AuditActionLabel(r.Action),
		ObjectLabel: service.AuditObjectLabel(r.ObjectType), Details: service.AuditDetails(r.Detail)}
	switch r.ActorKind {
	case "staff":
		v.KindLabel = "工作人员"
	case "applicant":
		v.KindLabel = "申领人"
	case "system":
		v.KindLabel = "系统"
	}
	switch r.Outcome {
	case "ok":
		v.OutcomeLabel = "成功"
	case "denied":
		v.OutcomeLabel = "拒绝"
	case "failed":
		v.OutcomeLabel = "失败"
	}
	if r.ObjectType == "case" && r.ObjectID != "" {
		v.ObjectLink = "/staff/cases/" + url.PathEscape(r.ObjectID)
	}
	return v
}

// auditVerifySubmit: POST /staff/audit/verify — walks the whole chain and
// shows the result on the audit page.
func (s *Server) auditVerifySubmit(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleSupervisor, domain.RoleAuditAdmin) {
		return
	}
	chk, err := s.deps.Service.VerifyAuditChain(c.Request.Context(), a)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	b, _ := json.Marshal(chk)
	s.deps.Sessions.Staff.Put(c.Request.Context(), keyAuditCheck, string(b))
	c.Redirect(http.StatusSeeOther, "/staff/audit")
}

// auditQueryFrom reads the audit filter of the request into filter and
// the query; the error is a bad date (the page says so).
func auditQueryFrom(c *gin.Context, filter map[string]string) (service.AuditQuery, error) {
	for _, k := range auditFilterKeys {
		filter[k] = strings.TrimSpace(c.Query(k))
	}
	aq := service.AuditQuery{ActorKind: filter["actor_kind"], Actor: filter["actor"], Action: filter["action"],
		ObjectType: filter["object_type"], ObjectID: filter["object_id"]}
	var bad error
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &aq.From}, {"to", &aq.To}} {
		if val := filter[p.name]; val != "" {
			t, err := time.ParseInLocation(calendar.DateLayout, val, calendar.Location())
			if err != nil {
				bad = domain.Errorf(domain.CodeValidationFailed, "日期应为 2026-10-01 这样的格式")
				continue
			}
			if p.name == "to" {
				t = t.AddDate(0, 0, 1)
			}
			*p.dst = t
		}
	}
	aq.Role, aq.Office, aq.IP, aq.Outcome = filter["role"], filter["office"], filter["ip"], filter["outcome"]
	return aq, bad
}

// auditExport: GET /staff/audit/export.csv — the entries of the filter that
// the reader may see, as CSV (audited as audit.export).
func (s *Server) auditExport(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleSupervisor, domain.RoleAuditAdmin) {
		return
	}
	aq, err := auditQueryFrom(c, map[string]string{})
	if err == nil {
		var rows []service.AuditRow
		if rows, err = s.deps.Service.AuditExport(c.Request.Context(), a, aq); err == nil {
			c.Header("Content-Type", "text/csv; charset=utf-8")
			c.Header("Content-Disposition", `attachment; filename="audit.csv"`)
			w := csv.NewWriter(c.Writer)
			_, _ = c.Writer.WriteString("\uFEFF") // Excel reads UTF-8 by its BOM
			_ = w.Write([]string{"序号", "时间", "操作人类型", "操作人编号", "操作人", "岗位", "机构", "IP", "操作", "对象类型", "对象", "结果", "详情"})
			for _, r := range rows {
				id := ""
				if r.ActorID != nil {
					id = strconv.FormatInt(*r.ActorID, 10)
				}
				_ = w.Write([]string{strconv.FormatInt(r.Seq, 10), r.At, r.ActorKind, id, r.ActorName, domain.Role(r.Role).Label(),
					r.Office, r.IP, service.AuditActionLabel(r.Action), r.ObjectType, r.ObjectID, r.Outcome, r.Detail})
			}
			w.Flush()
			return
		}
	}
	s.pageError(c, me, err)
}
