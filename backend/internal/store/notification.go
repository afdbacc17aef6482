package store

import "time"

// Notification is an in-app message to an applicant or a staff member.
type Notification struct {
	ID            int64 `gorm:"primaryKey"`
	OutboxID      *int64
	RecipientKind string
	RecipientID   int64
	CaseNo        string
	Title         string
	Body          string
	CreatedAt     time.Time
	ReadAt        *time.Time
}

// TableName names the table.
func (Notification) TableName() string { return "notifications" }

// InsertNotification stores an in-app message. Its outbox id is unique, so a
// retried delivery never shows a message twice (ErrDuplicate).
func (q *Q) InsertNotification(n *Notification) error {
	n.CreatedAt = now()
	return translate(q.g.Create(n).Error)
}

// Notifications lists a recipient's messages, newest first.
func (q *Q) Notifications(kind string, id int64, limit int) ([]Notification, error) {
	var out []Notification
	err := q.g.Where("recipient_kind = ? AND recipient_id = ?", kind, id).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// MarkNotificationsRead marks a recipient's messages read.
func (q *Q) MarkNotificationsRead(kind string, id int64, ids []int64) error {
	g := q.g.Model(&Notification{}).Where("recipient_kind = ? AND recipient_id = ? AND read_at IS NULL", kind, id)
	if len(ids) > 0 {
		g = g.Where("id IN ?", ids)
	}
	return translate(g.Update("read_at", now()).Error)
}
