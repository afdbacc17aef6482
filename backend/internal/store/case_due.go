package store

// OpenCaseDues returns every open case (one that still holds its person's
// active slot) with only what recomputing its due times reads filled in
// (status, the start of each period, the extension, the due times and the
// version), in id order, locked inside
// a MySQL transaction. The mail fields stay sealed and empty: write such a
// case back with UpdateCaseDues only, never UpdateCase.
func (q *Q) OpenCaseDues() ([]Case, error) {
	var out []Case
	err := q.forUpdate(q.g.Select("id", "no", "status", "collection", "submitted_at", "accepted_at",
		"issued_at", "ready_at", "station_since", "extension_days", "stage_due_at", "legal_due_at", "pickup_due_at", "version").Where("active_person_id IS NOT NULL")).Order("id").Find(&out).Error
	return out, translate(err)
}

// UpdateCaseDues writes c's stage, legal and pickup due times if the row
// still has version c.Version, and increments the version, so a form
// opened before the change is refused as stale. ErrStale means someone
// else changed the case first.
func (q *Q) UpdateCaseDues(c *Case) error {
	res := q.g.Model(&Case{}).Where("id = ? AND version = ?", c.ID, c.Version).Updates(map[string]any{
		"stage_due_at": c.StageDueAt, "legal_due_at": c.LegalDueAt, "pickup_due_at": c.PickupDueAt,
		"version": c.Version + 1, "updated_at": now()})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrStale
	}
	c.Version++
	return nil
}
