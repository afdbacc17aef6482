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
