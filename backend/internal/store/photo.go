package store

import "time"

// Photo is an uploaded ID photo (GA 461: 358×441 JPEG), stored by content hash.
type Photo struct {
	ID          int64 `gorm:"primaryKey"`
	ApplicantID *int64
	Sha256      string `gorm:"column:sha256"`
	Width       int
	Height      int
	SizeBytes   int
	Data        []byte
	CreatedAt   time.Time
}

// TableName names the table.
func (Photo) TableName() string { return "photos" }

// InsertPhoto stores a photo; an applicant uploading the same content again
// gets the existing row back.
func (q *Q) InsertPhoto(p *Photo) error {
	p.CreatedAt = now()
	err := translate(q.g.Create(p).Error)
	if err == ErrDuplicate {
		return translate(q.g.Where("applicant_id = ? AND sha256 = ?", p.ApplicantID, p.Sha256).Take(p).Error)
	}
	return err
}

// PhotoOf returns a photo if it belongs to the applicant.
func (q *Q) PhotoOf(id, applicantID int64) (Photo, error) {
	var p Photo
	err := q.g.Where("id = ? AND applicant_id = ?", id, applicantID).Take(&p).Error
	return p, translate(err)
}

// PhotoData returns a photo's bytes by id.
func (q *Q) PhotoData(id int64) (Photo, error) {
	var p Photo
	err := q.g.Where("id = ?", id).Take(&p).Error
	return p, translate(err)
}

// CasesUsingPhoto lists up to limit cases that show the photo: as the
// application's uploaded photo, or as the registry photo of the case's
// person. Mail fields stay sealed: callers only judge jurisdiction.
func (q *Q) CasesUsingPhoto(photoID int64, limit int) ([]Case, error) {
	var out []Case
	persons := q.g.Model(&Person{}).Select("id").Where("photo_id = ?", photoID)
	err := q.g.Where("photo_id = ? OR person_id IN (?)", photoID, persons).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
