package store

import "time"

// IdempotencyKey is the first answer to a request sent with a key.
type IdempotencyKey struct {
	ID          int64 `gorm:"primaryKey"`
	ApplicantID int64
	IdemKey     string
	RequestHash string
	StatusCode  int
	Response    string
	CreatedAt   time.Time
}

// TableName names the table.
func (IdempotencyKey) TableName() string { return "idempotency_keys" }

// InsertIdempotencyKey claims a key; ErrDuplicate when it was used before
// (on MySQL a concurrent claimer waits for the first one's transaction).
func (q *Q) InsertIdempotencyKey(k *IdempotencyKey) error {
	k.CreatedAt = now()
	return translate(q.g.Create(k).Error)
}

// SetIdempotencyResponse stores the answer of a claimed key.
func (q *Q) SetIdempotencyResponse(id int64, status int, response string) error {
	return translate(q.g.Model(&IdempotencyKey{}).Where("id = ?", id).
		Updates(map[string]any{"status_code": status, "response": response}).Error)
}

// IdempotencyKeyOf returns a stored key.
func (q *Q) IdempotencyKeyOf(applicantID int64, key string) (IdempotencyKey, error) {
	var k IdempotencyKey
	err := q.g.Where("applicant_id = ? AND idem_key = ?", applicantID, key).Take(&k).Error
	return k, translate(err)
}
