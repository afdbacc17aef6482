package store

import (
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// OfficeFilter selects offices for the admin's list; zero fields do not
// filter.
type OfficeFilter struct {
	Kind      string
	Division  string // a division code prefix
	Q         string // start of the code, or part of the name
	Remote    *bool
	AfterCode string // keyset: offices after this code
	// BeforeCode (when AfterCode is empty) asks for the offices just
	// before this code: the page before, still returned by code.
	BeforeCode string
	Limit      int
}

// ListOffices lists the offices that match f by code, active or not.
func (q *Q) ListOffices(f OfficeFilter) ([]Office, error) {
	g := q.officeFilter(f)
	if f.Limit > 0 {
		g = g.Limit(f.Limit)
	}
	var out []Office
	if f.AfterCode == "" && f.BeforeCode != "" {
		err := g.Where("code < ?", f.BeforeCode).Order("code DESC").Find(&out).Error
		slices.Reverse(out)
		return out, translate(err)
	}
	if f.AfterCode != "" {
		g = g.Where("code > ?", f.AfterCode)
	}
	err := g.Order("code").Find(&out).Error
	return out, translate(err)
}

// CountOfficesMatching counts the offices that match f over every page.
func (q *Q) CountOfficesMatching(f OfficeFilter) (int64, error) {
	var n int64
	err := q.officeFilter(f).Count(&n).Error
	return n, translate(err)
}

// officeFilter is the query of f's filters, without keyset, limit or order.
func (q *Q) officeFilter(f OfficeFilter) *gorm.DB {
	g := q.g.Model(&Office{})
	if f.Kind != "" {
		g = g.Where("kind = ?", f.Kind)
	}
	if f.Division != "" {
		lo, hi := DivisionRange(f.Division)
		g = g.Where("division_code >= ? AND division_code < ?", lo, hi)
	}
	if f.Q != "" {
		g = g.Where(`(code LIKE ? ESCAPE '!' OR name LIKE ? ESCAPE '!')`, likePrefix(f.Q), "%"+likePrefix(f.Q))
	}
	if f.Remote != nil {
		g = g.Where("remote = ?", *f.Remote)
	}
	return g
}

// LockOffice returns one office and, inside a MySQL transaction, locks its
// row until the transaction ends.
func (q *Q) LockOffice(id int64) (Office, error) {
	var o Office
	err := q.forUpdate(q.g.Where("id = ?", id)).Take(&o).Error
	return o, translate(err)
}

// UpdateOfficeContact writes the phone, hours and remote flag of o.
func (q *Q) UpdateOfficeContact(o *Office) error {
	o.UpdatedAt = now()
	res := q.g.Model(&Office{}).Where("id = ?", o.ID).Updates(map[string]any{
		"phone": o.Phone, "hours": o.Hours, "remote": o.Remote, "updated_at": o.UpdatedAt,
	})
	return translate(res.Error)
}

// AllDivisions lists every division by code.
func (q *Q) AllDivisions() ([]Division, error) {
	var out []Division
	err := q.g.Order("code").Find(&out).Error
	return out, translate(err)
}

// CalendarYear returns the overrides of one year, in date order.
func (q *Q) CalendarYear(year int) ([]CalendarDay, error) {
	// String bounds, as in ReplaceCalendarYear.
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	var out []CalendarDay
	err := q.g.Where("day >= ? AND day < ?", from, to).Order("day").Find(&out).Error
	return out, translate(err)
}
