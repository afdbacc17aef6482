package store

// CasesUsingPhoto lists up to limit cases that show the photo: as the
// application's uploaded photo, or as the registry photo of the case's
// person. Mail fields stay sealed: callers only judge jurisdiction.
func (q *Q) CasesUsingPhoto(photoID int64, limit int) ([]Case, error) {
	var out []Case
	persons := q.g.Model(&Person{}).Select("id").Where("photo_id = ?", photoID)
	err := q.g.Where("photo_id = ? OR person_id IN (?)", photoID, persons).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
