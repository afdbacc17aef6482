package service

import (
	"context"
	"strings"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/store"
)

// ExportMaxRows caps one export of the case list.
const ExportMaxRows = 50000

// exportPage is how many cases one read of an export takes.
const exportPage = 100

// CaseExport is a prepared export of the case list: checked, counted and
// audited. Each streams its rows.
type CaseExport struct {
	svc   *Service
	actor Actor
	query CaseQuery
	// Total is how many cases match; Rows how many the export holds (at
	// most ExportMaxRows).
	Total, Rows int64
}

// Truncated reports whether the cap cut the export short.
func (e *CaseExport) Truncated() bool { return e.Total > e.Rows }

// PrepareCaseExport checks a supervisor's filter of the case list (the
// filter of StaffCases), counts the matching cases and records the export
// in the audit log (cases.export) before any row leaves. Returns FORBIDDEN
// for anyone but a supervisor and VALIDATION_FAILED for a bad filter.
func (s *Service) PrepareCaseExport(ctx context.Context, a Actor, cq CaseQuery, format string) (*CaseExport, error) {
	if _, err := supervisorScope(a); err != nil {
		return nil, err
	}
	cq.Cursor, cq.Limit, cq.DueFirst = "", exportPage, false
	// A first page checks the filter exactly as the list does.
	probe := cq
	probe.Limit = 1
	if _, err := s.StaffCases(ctx, a, probe); err != nil {
		return nil, err
	}
	f, err := scopeFilter(a)
	if err != nil {
		return nil, err
	}
	f.Status, f.Kind, f.Collection, f.County, f.No, f.OfficeID = cq.Status, cq.Kind, cq.Collection, cq.County, strings.ToUpper(cq.No), cq.OfficeID
	f.Overdue, f.From, f.To, f.Now = cq.Overdue, cq.From, cq.To, s.now()
	counts, err := s.st.Q(ctx).CountCasesByStatus(f)
	if err != nil {
		return nil, s.internal(ctx, "export count", err)
	}
	e := &CaseExport{svc: s, actor: a, query: cq}
	for _, n := range counts {
		e.Total += n
	}
	e.Rows = min(e.Total, ExportMaxRows)
	filter := map[string]any{}
	for k, v := range map[string]string{"status": cq.Status, "kind": cq.Kind, "collection": cq.Collection, "county": cq.County, "q": cq.No} {
		if v != "" {
			filter[k] = v
		}
	}
	if cq.OfficeID != 0 {
		filter["office_id"] = cq.OfficeID
	}
	if cq.Overdue {
		filter["overdue"] = true
	}
	if !cq.From.IsZero() {
		filter["from"] = calendar.FormatTime(cq.From)
	}
	if !cq.To.IsZero() {
		filter["to"] = calendar.FormatTime(cq.To)
	}
	err = s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "cases.export", ObjectType: "cases", ObjectID: a.ScopeDivision, IP: a.IP, Outcome: "ok",
		Detail: detail(map[string]any{"format": format, "filter": filter, "total": e.Total, "rows": e.Rows, "masked": true})})
	if err != nil {
		return nil, s.internal(ctx, "export audit", err)
	}
	return e, nil
}

// Each calls fn for every case of the export, newest first, reading the
// list a page at a time through its keyset cursor, so memory stays flat.
// Personal data in the rows is masked, as in the list.
func (e *CaseExport) Each(ctx context.Context, fn func(CaseView) error) error {
	cq := e.query
	var sent int64
	for sent < e.Rows {
		cq.Limit = int(min(exportPage, e.Rows-sent))
		page, err := e.svc.StaffCases(ctx, e.actor, cq)
		if err != nil {
			return err
		}
		for _, v := range page.Items {
			if err := fn(v); err != nil {
				return err
			}
			sent++
		}
		if page.NextCursor == nil || len(page.Items) == 0 {
			return nil
		}
		cq.Cursor = *page.NextCursor
	}
	return nil
}
