package store

import "gorm.io/gorm"

// StaffFilter selects staff accounts for the admin's list; zero fields do
// not filter.
type StaffFilter struct {
	Q        string // start of the username or the name
	Role     string
	OfficeID int64
	Active   *bool
	Limit    int
	Offset   int // accounts skipped, in username order (a page)
}

func (q *Q) staffFilter(f StaffFilter) *gorm.DB {
	g := q.g.Model(&Staff{})
	if f.Q != "" {
		p := likePrefix(f.Q)
		g = g.Where(`(username LIKE ? ESCAPE '!' OR name LIKE ? ESCAPE '!')`, p, p)
	}
	if f.Role != "" {
		g = g.Where("role = ?", f.Role)
	}
	if f.OfficeID != 0 {
		g = g.Where("office_id = ?", f.OfficeID)
	}
	if f.Active != nil {
		g = g.Where("active = ?", *f.Active)
	}
	return g
}

// ListStaff lists the accounts that match f by username, Limit of them
// from Offset.
func (q *Q) ListStaff(f StaffFilter) ([]Staff, error) {
	g := q.staffFilter(f)
	if f.Limit > 0 {
		g = g.Limit(f.Limit)
	}
	if f.Offset > 0 {
		g = g.Offset(f.Offset)
	}
	var out []Staff
	err := g.Order("username").Find(&out).Error
	return out, translate(err)
}

// CountStaffMatching counts the accounts that match f (all pages).
func (q *Q) CountStaffMatching(f StaffFilter) (int64, error) {
	var n int64
	err := q.staffFilter(f).Count(&n).Error
	return n, translate(err)
}

// InsertStaff creates one account. A taken username is ErrDuplicate.
func (q *Q) InsertStaff(s *Staff) error {
	t := now()
	s.CreatedAt, s.UpdatedAt = t, t
	return translate(q.g.Create(s).Error)
}

// LockStaff returns one account and, inside a MySQL transaction, locks its
// row until the transaction ends.
func (q *Q) LockStaff(id int64) (Staff, error) {
	var s Staff
	err := q.forUpdate(q.g.Where("id = ?", id)).Take(&s).Error
	return s, translate(err)
}

// UpdateStaffAccount writes the role, office, scope, active flag and
// password hash of s.
func (q *Q) UpdateStaffAccount(s *Staff) error {
	s.UpdatedAt = now()
	res := q.g.Model(&Staff{}).Where("id = ?", s.ID).Updates(map[string]any{
		"role": s.Role, "office_id": s.OfficeID, "scope_division": s.ScopeDivision, "active": s.Active,
		"password_hash": s.PasswordHash, "updated_at": s.UpdatedAt,
	})
	return translate(res.Error)
}
