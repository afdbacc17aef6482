package store

import (
	"time"

	"gorm.io/gorm"
)

// CasesShippedBetween lists up to limit cases shipped in [from, to), oldest
// dispatch first. It finds them through their ship events, whose (at,
// to_status) index answers a day's range without scanning every case.
func (q *Q) CasesShippedBetween(from, to time.Time, limit int) ([]Case, error) {
	shipped := q.g.Model(&CaseEvent{}).Select("case_id").
		Where("at >= ? AND at < ? AND to_status = ?", from, to, "shipped")
	var out []Case
	err := q.g.Where("id IN (?)", shipped).Order("shipped_at, id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, translate(err)
	}
	return out, q.openDispatchCases(out)
}

// DispatchQueue selects the cases of one status on one collection route for
// the production centre's work lists.
type DispatchQueue struct {
	Status     string
	Collection string
	// Search narrows to case numbers or tracking numbers starting with it.
	Search string
	// ByShipped orders by dispatch time (mail in transit); otherwise by the
	// stage due time, soonest first (cards waiting to go out).
	ByShipped bool
	Limit     int
}

func (q *Q) dispatchQueue(f DispatchQueue) *gorm.DB {
	g := q.g.Model(&Case{}).Where("status = ? AND collection = ?", f.Status, f.Collection)
	if f.Search != "" {
		g = g.Where("(no LIKE ? OR tracking_no LIKE ?)", f.Search+"%", f.Search+"%")
	}
	return g
}

// ListDispatchQueue returns up to f.Limit cases of the queue and how many
// the queue holds in all.
func (q *Q) ListDispatchQueue(f DispatchQueue) ([]Case, int64, error) {
	var n int64
	if err := q.dispatchQueue(f).Count(&n).Error; err != nil {
		return nil, 0, translate(err)
	}
	order := "stage_due_at, id"
	if f.ByShipped {
		order = "shipped_at, id"
	}
	var out []Case
	if err := q.dispatchQueue(f).Order(order).Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, 0, translate(err)
	}
	return out, n, q.openDispatchCases(out)
}

// CaseNosByTrackingNos maps each of the tracking numbers that a case
// already carries to that case's number.
func (q *Q) CaseNosByTrackingNos(tns []string) (map[string]string, error) {
	out := map[string]string{}
	if len(tns) == 0 {
		return out, nil
	}
	var rows []struct {
		No         string
		TrackingNo string
	}
	if err := q.g.Model(&Case{}).Select("no, tracking_no").Where("tracking_no IN ?", tns).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.TrackingNo] = r.No
	}
	return out, nil
}

// DispatchPersonNames returns the registry names of the persons, reading no sealed
// column.
func (q *Q) DispatchPersonNames(ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := q.g.Model(&Person{}).Select("id, name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// openDispatchCases opens the sealed mail fields of the cases.
func (q *Q) openDispatchCases(cs []Case) error {
	for i := range cs {
		if err := q.openCase(&cs[i]); err != nil {
			return err
		}
	}
	return nil
}
