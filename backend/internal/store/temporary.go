package store

import "time"

// TemporaryCard is a temporary ID card asked for while a case runs.
type TemporaryCard struct {
	ID          int64 `gorm:"primaryKey"`
	CaseID      int64
	PersonID    int64
	Status      string // requested, issued
	CardNo      *string
	FeeYuan     int
	RequestedAt time.Time
	IssuedAt    *time.Time
	ValidUntil  *time.Time
	IssuedBy    *int64
}

// TableName names the table.
func (TemporaryCard) TableName() string { return "temporary_cards" }

// InsertTemporaryCard records a request; ErrDuplicate when the case has one.
func (q *Q) InsertTemporaryCard(t *TemporaryCard) error { return translate(q.g.Create(t).Error) }

// TemporaryCardOfCase returns a case's temporary card.
func (q *Q) TemporaryCardOfCase(caseID int64) (TemporaryCard, error) {
	var t TemporaryCard
	err := q.forUpdate(q.g.Where("case_id = ?", caseID)).Take(&t).Error
	return t, translate(err)
}

// SaveTemporaryCard writes every column.
func (q *Q) SaveTemporaryCard(t *TemporaryCard) error { return translate(q.g.Save(t).Error) }

// TemporaryCardsOfCases returns the temporary cards of the cases, by case
// id; a case without one is absent from the map. It never locks.
func (q *Q) TemporaryCardsOfCases(caseIDs []int64) (map[int64]TemporaryCard, error) {
	out := map[int64]TemporaryCard{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	var ts []TemporaryCard
	if err := q.g.Where("case_id IN ?", caseIDs).Find(&ts).Error; err != nil {
		return nil, translate(err)
	}
	for _, t := range ts {
		out[t.CaseID] = t
	}
	return out, nil
}
