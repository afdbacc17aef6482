package store

import (
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"
)

// PickupCase returns, in one statement (the primary key of cases, then
// those of persons and temporary_cards), the case with id, its person and
// its temporary card if it has one: what the window sees after a scan.
// Returns ErrNotFound when there is no such case.
func (q *Q) PickupCase(id int64) (Case, Person, *TemporaryCard, error) {
	return q.caseWithPerson("cases.id = ?", id)
}

// CaseWithPersonByNo is PickupCase by case number (uq_cases_no): one
// statement whether or not the case exists, so the progress look-up takes
// as long for an unknown number as for a wrong name.
func (q *Q) CaseWithPersonByNo(no string) (Case, Person, *TemporaryCard, error) {
	return q.caseWithPerson("cases.no = ?", no)
}

// caseWithPerson is the one statement of PickupCase, for the case that
// cond (on cases, with arg) selects.
func (q *Q) caseWithPerson(cond string, arg any) (Case, Person, *TemporaryCard, error) {
	var row struct {
		Case        `gorm:"embedded"`
		Person      Person `gorm:"embedded;embeddedPrefix:p_"`
		TID         *int64
		TStatus     *string
		TCardNo     *string
		TValidUntil *time.Time
	}
	cols, err := personColumns()
	if err != nil {
		return Case{}, Person{}, nil, err
	}
	res := q.g.Table("cases").
		Select("cases.*, "+cols+", t.id AS t_id, t.status AS t_status, t.card_no AS t_card_no, t.valid_until AS t_valid_until").
		Joins("JOIN persons p ON p.id = cases.person_id").Joins("LEFT JOIN temporary_cards t ON t.case_id = cases.id").
		Where(cond, arg).Limit(1).Scan(&row)
	if res.Error != nil {
		return Case{}, Person{}, nil, translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return Case{}, Person{}, nil, ErrNotFound
	}
	c, p := row.Case, row.Person
	if err := q.openCase(&c); err != nil {
		return Case{}, Person{}, nil, err
	}
	if err := q.openPerson(&p); err != nil {
		return Case{}, Person{}, nil, err
	}
	var tc *TemporaryCard
	if row.TID != nil {
		tc = &TemporaryCard{ID: *row.TID, CaseID: c.ID, PersonID: c.PersonID, Status: *row.TStatus, CardNo: row.TCardNo, ValidUntil: row.TValidUntil}
	}
	return c, p, tc, nil
}

// personColumns selects every column of persons (alias p) as p_<column>,
// from the model, so a column added to Person is read too.
var personColumns = sync.OnceValues(func() (string, error) {
	s, err := schema.Parse(&Person{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		return "", err
	}
	cols := make([]string, 0, len(s.DBNames))
	for _, n := range s.DBNames {
		cols = append(cols, "p."+n+" AS p_"+n)
	}
	return strings.Join(cols, ", "), nil
})
