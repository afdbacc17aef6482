package store

import "time"

// IdentityVerification is a passed real-person verification (实人认证)
// that bound an account to a person. Ref is the provider's reference of
// the verification; it is unique, so one verification binds once.
type IdentityVerification struct {
	ID          int64 `gorm:"primaryKey"`
	ApplicantID int64
	PersonID    int64
	Provider    string
	Ref         string
	VerifiedAt  time.Time
	CreatedAt   time.Time
}

// TableName names the table.
func (IdentityVerification) TableName() string { return "identity_verifications" }

// SpendVerification records v; ErrDuplicate means its Ref was used before.
func (q *Q) SpendVerification(v *IdentityVerification) error {
	v.CreatedAt = now()
	return translate(q.g.Create(v).Error)
}
