package store

import (
	"fmt"
	"time"
)

// finishedStatuses are the final statuses whose cases the retention job
// may erase (domain.IsFinal; listed here as the column's values).
var finishedStatuses = []string{"collected", "delivered", "rejected", "cancelled"}

// ExpiredCases returns up to limit finished cases closed before before whose
// personal data has not been erased yet, oldest first.
func (q *Q) ExpiredCases(before time.Time, limit int) ([]Case, error) {
	var cs []Case
	err := q.g.Where("status IN ? AND closed_at < ? AND personal_erased_at IS NULL", finishedStatuses, Stored(before)).
		Order("closed_at, id").Limit(limit).Find(&cs).Error
	return cs, translate(err)
}

// ErasePersonalData clears a finished case's personal data, keeping what
// the statistics count (kind, status, station, division, fee and every
// date): the mail recipient, phone and address, who signed for the card,
// and the uploaded photo, whose row is deleted unless the registry holds it
// as a person's photo. It marks the case erased at at.
func (q *Q) ErasePersonalData(c *Case, at time.Time) error {
	res := q.g.Model(&Case{}).Where("id = ? AND personal_erased_at IS NULL", c.ID).Updates(map[string]any{
		"mail_recipient_enc": nil, "mail_phone_enc": nil, "mail_address_enc": nil, "signed_by": nil,
		"photo_id": nil, "personal_erased_at": Stored(at), "updated_at": now(),
	})
	if res.Error != nil {
		return fmt.Errorf("store: erase case %s: %w", c.No, translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	if c.PhotoID != nil {
		var held int64
		if err := q.g.Model(&Person{}).Where("photo_id = ?", *c.PhotoID).Count(&held).Error; err != nil {
			return translate(err)
		}
		var shared int64
		if err := q.g.Model(&Case{}).Where("photo_id = ?", *c.PhotoID).Count(&shared).Error; err != nil {
			return translate(err)
		}
		if held == 0 && shared == 0 {
			if err := q.g.Exec("DELETE FROM photos WHERE id = ?", *c.PhotoID).Error; err != nil {
				return fmt.Errorf("store: erase photo of case %s: %w", c.No, translate(err))
			}
		}
	}
	return nil
}
