package store

import "time"

// stageTimeColumns are what the forecast reads of a case: route, offices
// and the time each stage began.
const stageTimeColumns = "id, status, collection, station_id, household_division, mail_division_code, " +
	"submitted_at, accepted_at, issued_at, produced_at, shipped_at, ready_at, closed_at"

// CaseStageTimes returns the cases submitted at or after since with only
// the columns the forecast reads (stageTimeColumns), unsealed: no personal
// data is read. They come in pages of batch by id, so a year of history
// never sits in one result set.
func (q *Q) CaseStageTimes(since time.Time, batch int) ([]Case, error) {
	var out []Case
	for after := int64(0); ; {
		var page []Case
		if err := q.g.Select(stageTimeColumns).Where("submitted_at >= ? AND id > ?", since, after).
			Order("id").Limit(batch).Find(&page).Error; err != nil {
			return nil, translate(err)
		}
		out = append(out, page...)
		if len(page) < batch {
			return out, nil
		}
		after = page[len(page)-1].ID
	}
}
