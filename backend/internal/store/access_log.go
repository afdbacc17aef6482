package store

// PersonViews returns the sealed, successful audit entries of the given
// actions about the cases of person (object type case, object id its case
// number), newest first, at most limit: what a citizen's own access log
// lists.
func (q *Q) PersonViews(personID int64, actions []string, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	nos := q.g.Model(&Case{}).Select("no").Where("person_id = ?", personID)
	err := q.g.Where("object_type = 'case' AND object_id IN (?) AND action IN ? AND outcome = ? AND seq > 0", nos, actions, OutcomeOK).
		Order("seq DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
