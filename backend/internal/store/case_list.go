package store

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/gzga/idcard/backend/internal/domain"
)

// CaseFilter selects cases for staff lists. Scope is the actor's
// jurisdiction (the zero Scope selects nothing); the others come from the
// request.
type CaseFilter struct {
	Scope domain.Scope

	Status     string
	OfficeID   int64
	County     string
	Kind       string
	Collection string
	Overdue    bool
	No         string
	From, To   time.Time // submitted_at range

	// Keyset: cases strictly after this (submitted_at, id) in the order;
	// with Before, strictly before it, nearest first (the page before).
	AfterAt time.Time
	AfterID int64
	Before  bool
	Limit   int
	// DueFirst orders by the stage due time, soonest first (queues).
	DueFirst bool
	Now      time.Time
}

func (q *Q) caseFilter(f CaseFilter) *gorm.DB {
	g := scopeWhere(q.g.Model(&Case{}), f.Scope)
	if f.Status != "" {
		g = g.Where("status = ?", f.Status)
	}
	if f.OfficeID != 0 {
		g = g.Where("station_id = ?", f.OfficeID)
	}
	if f.County != "" {
		g = g.Where("station_division = ?", f.County)
	}
	if f.Kind != "" {
		g = g.Where("kind = ?", f.Kind)
	}
	if f.Collection != "" {
		g = g.Where("collection = ?", f.Collection)
	}
	if f.Overdue {
		// Only open cases in a stage with a due time carry stage_due_at
		// (service.SetDues clears it when a case ends), so this is a range
		// of idx_cases_stage_due that holds just the overdue cases, with
		// the columns they are filtered and sorted by.
		g = g.Where("stage_due_at < ?", f.Now)
	}
	if f.No != "" {
		// A range of the case numbers, and the submission days the prefix
		// names (domain.CaseNoDays), so the newest-first walk of
		// idx_cases_submitted starts where the matches are.
		if lo, hi, ok := digitRange(f.No); ok {
			g = g.Where("no >= ? AND no < ?", lo, hi)
		} else {
			g = g.Where("no LIKE ?", f.No+"%")
		}
		if from, to, ok := domain.CaseNoDays(f.No); ok {
			g = g.Where("submitted_at >= ? AND submitted_at < ?", from, to)
		}
	}
	if !f.From.IsZero() {
		g = g.Where("submitted_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		g = g.Where("submitted_at < ?", f.To)
	}
	return g
}

// digitRange is DivisionRange for a prefix whose last digit to raise is a
// digit (letters and digits do not sort alike under MySQL's collation).
func digitRange(prefix string) (lo, hi string, ok bool) {
	top := strings.TrimRight(prefix, "9")
	if top == "" || top[len(top)-1] < '0' || top[len(top)-1] > '8' {
		return "", "", false
	}
	lo, hi = DivisionRange(prefix)
	return lo, hi, true
}

// scopeWhere limits g to the cases of the scope: the SQL form of
// domain.Scope.Covers, kept beside nothing else so the two read alike. Each
// form is served by an index of cases: (station_id, ...),
// (household_division, ...), (status, ...), and for a division the union of
// (station_division, ...) and (household_division, ...) ranges.
func scopeWhere(g *gorm.DB, s domain.Scope) *gorm.DB {
	switch s.Kind {
	case domain.ScopeAll:
		return g
	case domain.ScopeApplicant:
		if s.ID != 0 {
			return g.Where("applicant_id = ?", s.ID)
		}
	case domain.ScopeStation:
		if s.ID != 0 {
			return g.Where("station_id = ?", s.ID)
		}
	case domain.ScopeHousehold:
		if s.Division != "" {
			return g.Where("household_division = ?", s.Division)
		}
	case domain.ScopeProduction:
		var sts []string
		for _, st := range domain.ProductionStatuses() {
			sts = append(sts, string(st))
		}
		return g.Where("status IN ?", sts)
	case domain.ScopeDivision:
		if s.Whole() {
			return g
		}
		if s.Division != "" {
			lo, hi := DivisionRange(s.Division)
			return g.Where("((station_division >= ? AND station_division < ?) OR (household_division >= ? AND household_division < ?))",
				lo, hi, lo, hi)
		}
	}
	return g.Where("1 = 0")
}

// ListCases returns one page of cases: newest first, or soonest due first.
// With Before it returns the cases before the keyset in reverse order
// (nearest first), which the caller turns round.
func (q *Q) ListCases(f CaseFilter) ([]Case, error) {
	g := q.caseFilter(f)
	if hints := caseListHints(f); hints != "" && q.dialect == MySQL {
		g = g.Table("cases " + hints)
	}
	col, asc := "submitted_at", false
	if f.DueFirst {
		col, asc = "stage_due_at", true
		g = g.Where("stage_due_at IS NOT NULL")
	}
	if f.Before {
		asc = !asc
	}
	cmp, dir := "<", "DESC"
	if asc {
		cmp, dir = ">", ""
	}
	if f.AfterID != 0 {
		g = g.Where("("+col+" "+cmp+" ? OR ("+col+" = ? AND id "+cmp+" ?))", f.AfterAt, f.AfterAt, f.AfterID)
	}
	order := col + " " + dir + ", id " + dir
	// The page's ids first, then their rows: a filter whose matches are
	// sorted (overdue, a status) sorts narrow index entries, not whole rows
	// with their encrypted text columns.
	var ids []int64
	if err := g.Order(order).Limit(f.Limit).Pluck("cases.id", &ids).Error; err != nil {
		return nil, translate(err)
	}
	var out []Case
	if len(ids) == 0 {
		return out, nil
	}
	if err := q.g.Where("id IN ?", ids).Order(order).Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	for i := range out {
		if err := q.openCase(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// caseListHints are MySQL's index hints for a list (docs/performance.md
// has the plans):
//   - the overdue cases are few: read them by idx_cases_stage_due and sort
//     them, rather than walk every case newest first (the planner's choice
//     for a LIMIT: at a million cases, 400,000 rows for 21);
//   - a division's cases are many (a ninth of the province for a
//     prefecture): walk idx_cases_submitted newest first and keep the
//     division's, rather than merge the station and household ranges of
//     the whole division and sort them (index_merge sort_union).
func caseListHints(f CaseFilter) string {
	var h []string
	if f.Overdue {
		h = append(h, "IGNORE INDEX FOR ORDER BY (idx_cases_submitted)")
	}
	if f.Scope.Kind == domain.ScopeDivision && !f.Scope.Whole() && f.County == "" && f.OfficeID == 0 {
		h = append(h, "IGNORE INDEX (idx_cases_division_status, idx_cases_household_status_due, idx_cases_household_submitted)")
	}
	return strings.Join(h, " ")
}

// CountCases counts the cases the filter lists, all pages together (the
// keyset is not applied).
func (q *Q) CountCases(f CaseFilter) (int64, error) {
	g := q.caseFilter(f)
	if f.DueFirst {
		g = g.Where("stage_due_at IS NOT NULL")
	}
	var n int64
	if err := g.Count(&n).Error; err != nil {
		return 0, translate(err)
	}
	return n, nil
}

// CountCasesByStatus counts the filtered cases per status.
func (q *Q) CountCasesByStatus(f CaseFilter) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	if err := q.caseFilter(f).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// OfficesByIDs loads offices by id.
func (q *Q) OfficesByIDs(ids []int64) (map[int64]Office, error) {
	var os []Office
	if err := q.g.Where("id IN ?", ids).Find(&os).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[int64]Office, len(os))
	for _, o := range os {
		out[o.ID] = o
	}
	return out, nil
}

// CaseHolderNames returns the registry name of each case's person, keyed by
// case number, for the rows of a staff list.
func (q *Q) CaseHolderNames(nos []string) (map[string]string, error) {
	out := make(map[string]string, len(nos))
	if len(nos) == 0 {
		return out, nil
	}
	var rows []struct {
		No   string
		Name string
	}
	err := q.g.Table("cases").Select("cases.no AS no, persons.name AS name").
		Joins("JOIN persons ON persons.id = cases.person_id").Where("cases.no IN ?", nos).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.No] = r.Name
	}
	return out, nil
}
