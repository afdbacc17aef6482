package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// AuditQuery is a search of the audit log.
type AuditQuery struct {
	ActorKind  string
	Actor      string // a staff id (digits) or the start of a name
	Action     string // exact, or a prefix when it ends with "." or "*"
	ObjectType string
	ObjectID   string
	Role       string    // exact
	Office     string    // the start of the office's code or name
	IP         string    // the start of the client IP
	Outcome    string    // ok, denied or failed
	From, To   time.Time // at or after From, before To
	BeforeSeq  int64
	AfterSeq   int64 // the page before (newer than) this seq, when BeforeSeq is 0
	Limit      int
}

// AuditRow is one entry as the audit page shows it.
type AuditRow struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	ActorKind  string `json:"actor_kind"`
	ActorID    *int64 `json:"actor_id"`
	ActorName  string `json:"actor_name"`
	Role       string `json:"role"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	IP         string `json:"ip"`
	Office     string `json:"office"`
	Outcome    string `json:"outcome"`
	Detail     string `json:"detail"`
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Rows []AuditRow `json:"rows"`
	// NextBefore is the BeforeSeq of the next page; 0 on the last page.
	NextBefore int64 `json:"next_before"`
	// PrevAfter is the AfterSeq of the page before; 0 on the first page.
	PrevAfter int64 `json:"prev_after"`
	// Total counts the matching entries of every page.
	Total int64 `json:"total"`
	// Whole is false when the supervisor sees only the entries about the
	// cases of its division and its own.
	Whole bool `json:"whole"`
}

// AuditLog searches the audit log. The log is province data: the
// provincial supervisor reads every entry; a prefecture or county
// supervisor reads the entries about the cases of the stations in its
// division and the entries of its own actions; the audit administrator
// reads every entry. Returns FORBIDDEN for anyone else.
func (s *Service) AuditLog(ctx context.Context, a Actor, aq AuditQuery) (AuditPage, error) {
	scope, err := auditScope(a)
	if err != nil {
		return AuditPage{}, err
	}
	f := store.AuditSearch{AuditFilter: store.AuditFilter{ActorKind: aq.ActorKind, ObjectType: aq.ObjectType,
		ObjectID: strings.TrimSpace(aq.ObjectID), From: aq.From, To: aq.To, BeforeSeq: aq.BeforeSeq}, AfterSeq: aq.AfterSeq,
		Role: strings.TrimSpace(aq.Role), Office: strings.TrimSpace(aq.Office), IP: strings.TrimSpace(aq.IP), Outcome: strings.TrimSpace(aq.Outcome)}
	if actor := strings.TrimSpace(aq.Actor); actor != "" {
		if id, err := strconv.ParseInt(actor, 10, 64); err == nil && id > 0 {
			f.ActorID = &id
		} else {
			f.ActorName = actor
		}
	}
	if act := strings.TrimSpace(aq.Action); act != "" {
		f.Action = strings.TrimSuffix(act, "*")
		f.ActionPrefix = strings.HasSuffix(act, "*") || strings.HasSuffix(act, ".")
	}
	limit := aq.Limit
	if limit <= 0 {
		limit = store.AuditPageDefault
	}
	f.Limit = min(limit, store.AuditPageMax) + 1
	page := AuditPage{Whole: scope == domain.ProvinceCode}
	if !page.Whole {
		f.CaseDivision, f.SelfID = scope, a.ID
	}
	q := s.st.Q(ctx)
	rows, err := q.SearchAudit(f)
	if err != nil {
		return AuditPage{}, s.internal(ctx, "audit log", err)
	}
	backward := f.BeforeSeq <= 0 && f.AfterSeq > 0
	more := len(rows) == f.Limit
	switch {
	case backward && more: // newest first: the extra one is the newest
		rows = rows[1:]
		page.PrevAfter = rows[0].Seq
	case more:
		rows = rows[:f.Limit-1]
	}
	if len(rows) > 0 && (!backward && more || backward) {
		page.NextBefore = rows[len(rows)-1].Seq
	}
	if !backward && f.BeforeSeq > 0 && len(rows) > 0 {
		page.PrevAfter = rows[0].Seq
	}
	if page.Total, err = q.CountAudit(f); err != nil {
		return AuditPage{}, s.internal(ctx, "audit log", err)
	}
	for _, e := range rows {
		page.Rows = append(page.Rows, AuditRow{Seq: e.Seq, At: calendar.FormatTime(e.At), ActorKind: e.ActorKind,
			ActorID: e.ActorID, ActorName: e.ActorName, Role: e.Role, Action: e.Action, ObjectType: e.ObjectType,
			ObjectID: e.ObjectID, IP: e.IP, Office: e.Office, Outcome: e.Outcome, Detail: e.Detail})
	}
	return page, nil
}

// auditScope is the division whose audit entries a reads: the audit
// administrator the whole province, a supervisor its division. Returns
// FORBIDDEN for anyone else (the system and security administrators
// included: 三权分立).
func auditScope(a Actor) (string, error) {
	if a.Role == domain.RoleAuditAdmin {
		return domain.ProvinceCode, nil
	}
	if a.Role != domain.RoleSupervisor || a.ScopeDivision == "" {
		return "", domain.Errorf(domain.CodeForbidden, "仅审计管理员和监督管理人员可查看审计日志")
	}
	return a.ScopeDivision, nil
}

// AuditExportMax is the most entries one export holds.
const AuditExportMax = 10000

// AuditExport returns the entries of aq that the actor may read (as
// AuditLog), newest first, at most AuditExportMax, and audits the export
// (audit.export, with the filter). Returns FORBIDDEN as AuditLog does.
func (s *Service) AuditExport(ctx context.Context, a Actor, aq AuditQuery) ([]AuditRow, error) {
	var out []AuditRow
	aq.BeforeSeq, aq.AfterSeq, aq.Limit = 0, 0, store.AuditPageMax
	for len(out) < AuditExportMax {
		page, err := s.AuditLog(ctx, a, aq)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Rows...)
		if page.NextBefore == 0 {
			break
		}
		aq.BeforeSeq = page.NextBefore
	}
	if len(out) > AuditExportMax {
		out = out[:AuditExportMax]
	}
	d := map[string]any{"rows": len(out), "actor_kind": aq.ActorKind, "actor": aq.Actor, "action": aq.Action, "object_type": aq.ObjectType,
		"object_id": aq.ObjectID, "role": aq.Role, "office": aq.Office, "ip": aq.IP, "outcome": aq.Outcome}
	if err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "audit.export", ObjectType: "audit_log", IP: a.IP, Outcome: store.OutcomeOK, Detail: detail(d)}); err != nil {
		return nil, s.internal(ctx, "audit export", err)
	}
	return out, nil
}

// AuditCheck is the result of verifying the audit chain.
type AuditCheck struct {
	At      string `json:"at"`
	Checked int64  `json:"checked"`
	Intact  bool   `json:"intact"`
	Seq     int64  `json:"seq"`    // the first broken entry
	Reason  string `json:"reason"` // why, in Chinese
}

// VerifyAuditChain walks the whole audit chain (as idcard audit-verify
// does) and records that it was checked and the result. Returns FORBIDDEN
// for anyone but a supervisor or the audit administrator.
func (s *Service) VerifyAuditChain(ctx context.Context, a Actor) (AuditCheck, error) {
	if _, err := auditScope(a); err != nil {
		return AuditCheck{}, err
	}
	checked, bad, err := s.st.VerifyAudit(ctx)
	if err != nil {
		return AuditCheck{}, s.internal(ctx, "audit verify", err)
	}
	res := AuditCheck{At: calendar.FormatTime(s.now()), Checked: checked, Intact: bad == nil}
	d := map[string]any{"checked": checked, "intact": bad == nil}
	if bad != nil {
		res.Seq, res.Reason = bad.Seq, auditBreakReason(bad.Reason)
		d["seq"], d["reason"] = bad.Seq, bad.Reason
	}
	if err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "audit.verify", ObjectType: "audit_log", IP: a.IP, Outcome: "ok", Detail: detail(d)}); err != nil {
		return AuditCheck{}, s.internal(ctx, "audit verify", err)
	}
	return res, nil
}

// auditBreakReason says in Chinese what the store's reason means.
func auditBreakReason(r string) string {
	switch {
	case strings.Contains(r, "does not match its hash"):
		return "该条记录的内容与其哈希值不符：记录在写入后被修改"
	case strings.Contains(r, "prev_hash"):
		return "该条记录与上一条记录的哈希链接不符：记录被替换或插入"
	case strings.Contains(r, "missing"):
		return "日志中缺少记录：有记录被删除（" + r + "）"
	case strings.Contains(r, "beyond the head"):
		return "存在超出链头的记录：链头被回退"
	case strings.Contains(r, "head's hash"):
		return "链头的哈希值与最后一条记录不符：链头被修改"
	case strings.Contains(r, "seq"):
		return "记录序号异常（" + r + "）"
	}
	return r
}
