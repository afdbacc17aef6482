package store

import (
	"time"

	"gorm.io/gorm/clause"
)

// Guardianship is the registry's record that one person is the registered
// guardian (监护人) of another, a minor; Relation is domain.Relation.
type Guardianship struct {
	ID               int64 `gorm:"primaryKey"`
	GuardianPersonID int64
	WardPersonID     int64
	Relation         string
	CreatedAt        time.Time
}

// TableName names the table.
func (Guardianship) TableName() string { return "guardianships" }

// ApplicantWard is a child bound to a guardian's account: the guardian may
// apply for the child.
type ApplicantWard struct {
	ID           int64 `gorm:"primaryKey"`
	ApplicantID  int64
	WardPersonID int64
	Relation     string
	CreatedAt    time.Time
}

// TableName names the table.
func (ApplicantWard) TableName() string { return "applicant_wards" }

// InsertGuardianshipsIfMissing records guardianships; a pair that is
// already recorded is left alone.
func (q *Q) InsertGuardianshipsIfMissing(gs []Guardianship) error {
	if len(gs) == 0 {
		return nil
	}
	t := now()
	for i := range gs {
		gs[i].CreatedAt = t
	}
	return translate(q.g.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "guardian_person_id"}, {Name: "ward_person_id"}},
		DoNothing: true}).Create(&gs).Error)
}

// GuardianshipOf returns the registry's record that guardian is the
// guardian of ward, or ErrNotFound.
func (q *Q) GuardianshipOf(guardian, ward int64) (Guardianship, error) {
	var g Guardianship
	err := q.g.Where("guardian_person_id = ? AND ward_person_id = ?", guardian, ward).Take(&g).Error
	return g, translate(err)
}

// InsertApplicantWard binds a ward to an account; the pair already bound
// is ErrDuplicate.
func (q *Q) InsertApplicantWard(w *ApplicantWard) error {
	w.CreatedAt = now()
	return translate(q.g.Create(w).Error)
}

// WardsOfApplicant lists the wards bound to an account, oldest binding first.
func (q *Q) WardsOfApplicant(applicantID int64) ([]ApplicantWard, error) {
	var out []ApplicantWard
	err := q.g.Where("applicant_id = ?", applicantID).Order("id").Find(&out).Error
	return out, translate(err)
}

// ApplicantWardOf returns the account's binding with id, or ErrNotFound
// (also for another account's binding).
func (q *Q) ApplicantWardOf(applicantID, id int64) (ApplicantWard, error) {
	var w ApplicantWard
	err := q.g.Where("id = ? AND applicant_id = ?", id, applicantID).Take(&w).Error
	return w, translate(err)
}
