package store

import (
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Office kinds as stored in offices.kind (the kinds are domain's).
const (
	OfficeStation          = string(domain.OfficeStation)
	OfficeCountyBureau     = string(domain.OfficeCountyBureau)
	OfficeProductionCentre = string(domain.OfficeProductionCentre)
	// OfficePrefectureBureau is a prefecture's bureau (市(州)公安局), where
	// its supervisors work.
	OfficePrefectureBureau = string(domain.OfficePrefectureBureau)
	// OfficeProvincialDepartment is the provincial department (省公安厅),
	// where the province's supervisor and the admin work.
	OfficeProvincialDepartment = string(domain.OfficeProvincialDepartment)
)

// Office is a police station, a county or prefecture bureau, the
// production centre or the provincial department.
type Office struct {
	ID           int64 `gorm:"primaryKey"`
	Code         string
	Kind         string
	Name         string
	DivisionCode string
	Address      string
	Phone        string
	Hours        string
	Remote       bool
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName names the table.
func (Office) TableName() string { return "offices" }

// UpsertOffices inserts missing offices by code and refreshes the others'
// reference fields (name, address, phone, hours, remote flag).
func (q *Q) UpsertOffices(os []Office) error {
	if len(os) == 0 {
		return nil
	}
	t := now()
	for i := range os {
		os[i].CreatedAt, os[i].UpdatedAt = t, t
	}
	return translate(q.g.Clauses(onConflictUpdate("code", "kind", "name", "division_code", "address", "phone", "hours", "remote", "updated_at")).
		CreateInBatches(os, 200).Error)
}

// Office returns one office by id.
func (q *Q) Office(id int64) (Office, error) {
	var o Office
	err := q.g.Where("id = ?", id).Take(&o).Error
	return o, translate(err)
}

// OfficeByCode returns one office by its code.
func (q *Q) OfficeByCode(code string) (Office, error) {
	var o Office
	err := q.g.Where("code = ?", code).Take(&o).Error
	return o, translate(err)
}

// OfficesByKind lists active offices of a kind whose division starts with
// prefix ("" = all), ordered by code.
func (q *Q) OfficesByKind(kind, prefix string) ([]Office, error) {
	var out []Office
	g := q.g.Where("kind = ? AND active = ?", kind, true)
	if prefix != "" {
		g = g.Where("division_code LIKE ?", prefix+"%")
	}
	err := g.Order("code").Find(&out).Error
	return out, translate(err)
}

// CountOffices counts the offices of a kind.
func (q *Q) CountOffices(kind string) (int64, error) {
	var n int64
	err := q.g.Model(&Office{}).Where("kind = ?", kind).Count(&n).Error
	return n, translate(err)
}

// AllOffices returns every office (reference data kept in process).
func (q *Q) AllOffices() ([]Office, error) {
	var out []Office
	err := q.g.Order("id").Find(&out).Error
	return out, translate(err)
}
