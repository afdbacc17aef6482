package store

import (
	"time"

	"gorm.io/gorm"
)

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

// TemporaryCardRow is a temporary card request with the case it belongs to
// and the registry name of its person.
type TemporaryCardRow struct {
	ID          int64
	CaseID      int64
	Status      string
	CardNo      *string
	FeeYuan     int
	RequestedAt time.Time
	IssuedAt    *time.Time
	ValidUntil  *time.Time
	CaseNo      string
	CaseStatus  string
	CaseKind    string
	PersonName  string
}

// TemporaryCardsOfHousehold lists the temporary cards of cases whose person
// is registered in the county div, in status ("requested" or "issued"):
// requests oldest first, issued cards newest first; limit rows from offset,
// and how many there are in all.
func (q *Q) TemporaryCardsOfHousehold(div, status string, offset, limit int) ([]TemporaryCardRow, int64, error) {
	order := "t.requested_at, t.id"
	if status != "requested" {
		order = "t.issued_at DESC, t.id DESC"
	}
	of := func() *gorm.DB {
		return q.g.Table("temporary_cards AS t").
			Joins("JOIN cases c ON c.id = t.case_id").
			Where("c.household_division = ? AND t.status = ?", div, status)
	}
	var total int64
	if err := of().Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var out []TemporaryCardRow
	err := of().
		Select("t.id, t.case_id, t.status, t.card_no, t.fee_yuan, t.requested_at, t.issued_at, t.valid_until, " +
			"c.no AS case_no, c.status AS case_status, c.kind AS case_kind, p.name AS person_name").
		Joins("JOIN persons p ON p.id = t.person_id").
		Order(order).Offset(offset).Limit(limit).Scan(&out).Error
	return out, total, translate(err)
}

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
