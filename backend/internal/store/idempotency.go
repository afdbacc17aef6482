package store

import "time"

// IdempotencyKey is the first answer to a request sent with a key.
type IdempotencyKey struct {
	ID          int64 `gorm:"primaryKey"`
	ApplicantID int64
	IdemKey     string
	RequestHash string
	StatusCode  int // 0 while the first request runs, non-zero once it answered (column status_code)
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

// idempotencyAnswered marks a key whose first request finished. The
// column once held the HTTP status; the use cases know none, and the only
// answer kept is a created case.
const idempotencyAnswered = 1

// SetIdempotencyResponse stores the answer of a claimed key.
func (q *Q) SetIdempotencyResponse(id int64, response string) error {
	return translate(q.g.Model(&IdempotencyKey{}).Where("id = ?", id).
		Updates(map[string]any{"status_code": idempotencyAnswered, "response": response}).Error)
}

// IdempotencyKeyOf returns a stored key.
func (q *Q) IdempotencyKeyOf(applicantID int64, key string) (IdempotencyKey, error) {
	var k IdempotencyKey
	err := q.g.Where("applicant_id = ? AND idem_key = ?", applicantID, key).Take(&k).Error
	return k, translate(err)
}
