package store

import "time"

// CaseEvent is one step of a case's timeline.
type CaseEvent struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     int64
	Action     string
	FromStatus *string
	ToStatus   string
	ActorKind  string
	ActorID    *int64
	ActorName  string
	OfficeID   *int64
	Note       *string
	At         time.Time
}

// TableName names the table.
func (CaseEvent) TableName() string { return "case_events" }

// InsertEvents appends timeline rows.
func (q *Q) InsertEvents(es ...*CaseEvent) error {
	if len(es) == 0 {
		return nil
	}
	return translate(q.g.CreateInBatches(es, q.bulkRows()).Error)
}

// EventsOfCase returns a case's timeline, oldest first.
func (q *Q) EventsOfCase(caseID int64) ([]CaseEvent, error) {
	var out []CaseEvent
	err := q.g.Where("case_id = ?", caseID).Order("at, id").Find(&out).Error
	return out, translate(err)
}

// CountEvents counts a case's timeline rows.
func (q *Q) CountEvents(caseID int64) (int64, error) {
	var n int64
	err := q.g.Model(&CaseEvent{}).Where("case_id = ?", caseID).Count(&n).Error
	return n, translate(err)
}
