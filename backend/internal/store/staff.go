package store

import "time"

// Staff is a staff account.
type Staff struct {
	ID            int64 `gorm:"primaryKey"`
	Username      string
	Name          string
	PasswordHash  string
	Role          string
	OfficeID      *int64
	ScopeDivision string
	Active        bool
	LastLoginAt   *time.Time
	// OTPSecretEnc is the sealed TOTP secret of a second factor being or
	// having been enrolled; OTPEnabledAt is when its enrolment was
	// confirmed, from which on sign-in needs a code.
	OTPSecretEnc *string
	OTPEnabledAt *time.Time
	// PasswordChangedAt is when the password was last set; nil for one set
	// before the password policy (counted from CreatedAt).
	PasswordChangedAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// purposeOTPSecret is the purpose staff TOTP secrets are sealed for.
const purposeOTPSecret = "staff.otp_secret"

// TableName names the table.
func (Staff) TableName() string { return "staff" }

// InsertStaffIfMissing creates the accounts whose username does not exist
// yet and leaves existing ones (and their passwords) alone.
func (q *Q) InsertStaffIfMissing(ss []Staff) error {
	if len(ss) == 0 {
		return nil
	}
	t := now()
	for i := range ss {
		ss[i].CreatedAt, ss[i].UpdatedAt = t, t
	}
	return translate(q.g.Clauses(onConflictIgnore("username")).CreateInBatches(ss, 200).Error)
}

// StaffByUsername returns one account.
func (q *Q) StaffByUsername(username string) (Staff, error) {
	var s Staff
	err := q.g.Where("username = ?", username).Take(&s).Error
	return s, translate(err)
}

// StaffByID returns one account.
func (q *Q) StaffByID(id int64) (Staff, error) {
	var s Staff
	err := q.g.Where("id = ?", id).Take(&s).Error
	return s, translate(err)
}

// CountStaff counts all accounts.
func (q *Q) CountStaff() (int64, error) {
	var n int64
	err := q.g.Model(&Staff{}).Count(&n).Error
	return n, translate(err)
}

// TouchLogin records a successful sign-in.
func (q *Q) TouchLogin(id int64) error {
	return translate(q.g.Model(&Staff{}).Where("id = ?", id).Update("last_login_at", now()).Error)
}

// OTPSecret opens the account's sealed TOTP secret; "" when it has none.
func (q *Q) OTPSecret(s Staff) (string, error) {
	if s.OTPSecretEnc == nil || *s.OTPSecretEnc == "" {
		return "", nil
	}
	return q.box.Open(purposeOTPSecret, *s.OTPSecretEnc)
}

// SetStaffOTP seals secret as the account's TOTP secret and sets when its
// enrolment was confirmed (nil: pending, not yet required at sign-in).
func (q *Q) SetStaffOTP(id int64, secret string, enabledAt *time.Time) error {
	sealed, err := q.box.Seal(purposeOTPSecret, secret)
	if err != nil {
		return err
	}
	return translate(q.g.Model(&Staff{}).Where("id = ?", id).
		Updates(map[string]any{"otp_secret_enc": sealed, "otp_enabled_at": enabledAt, "updated_at": now()}).Error)
}

// passwordHistory is one earlier password hash of an account.
type passwordHistory struct {
	ID           int64 `gorm:"primaryKey"`
	StaffID      int64
	PasswordHash string
	CreatedAt    time.Time
}

func (passwordHistory) TableName() string { return "staff_password_history" }

// RecentPasswordHashes returns the account's last n earlier password
// hashes, newest first.
func (q *Q) RecentPasswordHashes(staffID int64, n int) ([]string, error) {
	var rows []passwordHistory
	if err := q.g.Where("staff_id = ?", staffID).Order("id DESC").Limit(n).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.PasswordHash
	}
	return out, nil
}

// SetStaffPassword gives the account a new password hash set at at, and
// keeps the one it replaces in the history.
func (q *Q) SetStaffPassword(s Staff, hash string, at time.Time) error {
	if err := q.g.Create(&passwordHistory{StaffID: s.ID, PasswordHash: s.PasswordHash, CreatedAt: Stored(at)}).Error; err != nil {
		return translate(err)
	}
	return translate(q.g.Model(&Staff{}).Where("id = ?", s.ID).
		Updates(map[string]any{"password_hash": hash, "password_changed_at": Stored(at), "updated_at": now()}).Error)
}
