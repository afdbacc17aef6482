package store

import (
	"time"

	"gorm.io/gorm"
)

// CaseFilter selects cases for staff lists. Scope fields come from the
// actor's jurisdiction; the others from the request.
type CaseFilter struct {
	// Jurisdiction (at least one is set by the service).
	StationID         int64
	HouseholdDivision string
	DivisionPrefix    string
	Statuses          []string

	Status     string
	OfficeID   int64
	County     string
	Kind       string
	Collection string
	Overdue    bool
	No         string
	From, To   time.Time // submitted_at range

	// Keyset: cases strictly after this (submitted_at, id) in the order.
	AfterAt time.Time
	AfterID int64
	Limit   int
	// DueFirst orders by the stage due time, soonest first (queues).
	DueFirst bool
	Now      time.Time
}

func (q *Q) caseFilter(f CaseFilter) *gorm.DB {
	g := q.g.Model(&Case{})
	if f.StationID != 0 {
		g = g.Where("station_id = ?", f.StationID)
	}
	if f.HouseholdDivision != "" {
		g = g.Where("household_division = ?", f.HouseholdDivision)
	}
	if f.DivisionPrefix != "" {
		g = g.Where("station_division LIKE ?", f.DivisionPrefix+"%")
	}
	if len(f.Statuses) > 0 {
		g = g.Where("status IN ?", f.Statuses)
	}
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
		g = g.Where("stage_due_at < ? AND active_person_id IS NOT NULL", f.Now)
	}
	if f.No != "" {
		g = g.Where("no LIKE ?", f.No+"%")
	}
	if !f.From.IsZero() {
		g = g.Where("submitted_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		g = g.Where("submitted_at < ?", f.To)
	}
	return g
}

// ListCases returns one page of cases: newest first, or soonest due first.
func (q *Q) ListCases(f CaseFilter) ([]Case, error) {
	g := q.caseFilter(f)
	if f.DueFirst {
		if f.AfterID != 0 {
			g = g.Where("(stage_due_at > ? OR (stage_due_at = ? AND id > ?))", f.AfterAt, f.AfterAt, f.AfterID)
		}
		g = g.Where("stage_due_at IS NOT NULL").Order("stage_due_at, id")
	} else {
		if f.AfterID != 0 {
			g = g.Where("(submitted_at < ? OR (submitted_at = ? AND id < ?))", f.AfterAt, f.AfterAt, f.AfterID)
		}
		g = g.Order("submitted_at DESC, id DESC")
	}
	var out []Case
	if err := g.Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	for i := range out {
		if err := q.openCase(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
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
