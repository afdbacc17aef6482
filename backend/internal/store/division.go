package store

import "strings"

// levelCounty is the level of a county-level division (县级).
const levelCounty = 3

// Division is one GB/T 2260 division of Guizhou.
type Division struct {
	Code       string `gorm:"primaryKey"`
	Name       string
	Level      int
	ParentCode *string
}

// TableName names the table.
func (Division) TableName() string { return "divisions" }

// UpsertDivisions inserts the divisions that are missing and renames the rest.
func (q *Q) UpsertDivisions(ds []Division) error {
	if len(ds) == 0 {
		return nil
	}
	return translate(q.g.Clauses(onConflictUpdate("code", "name", "level", "parent_code")).CreateInBatches(ds, 200).Error)
}

// Divisions lists the divisions whose parent is parent ("" = the province's
// children are asked with "520000"), ordered by code.
func (q *Q) Divisions(parent string) ([]Division, error) {
	var out []Division
	err := q.g.Where("parent_code = ?", parent).Order("code").Find(&out).Error
	return out, translate(err)
}

// Division returns one division.
func (q *Q) Division(code string) (Division, error) {
	var d Division
	err := q.g.Where("code = ?", code).Take(&d).Error
	return d, translate(err)
}

// CountDivisions counts divisions of a level.
func (q *Q) CountDivisions(level int) (int64, error) {
	var n int64
	err := q.g.Model(&Division{}).Where("level = ?", level).Count(&n).Error
	return n, translate(err)
}

// CountiesUnder lists the county-level divisions whose code starts with
// prefix ("52" = the whole province), ordered by code.
func (q *Q) CountiesUnder(prefix string) ([]Division, error) {
	var out []Division
	err := q.g.Where("level = ? AND code LIKE ?", levelCounty, prefix+"%").Order("code").Find(&out).Error
	return out, translate(err)
}

// DivisionNames returns the names of the divisions with the given codes.
func (q *Q) DivisionNames(codes []string) (map[string]string, error) {
	out := make(map[string]string, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	var ds []Division
	if err := q.g.Where("code IN ?", codes).Find(&ds).Error; err != nil {
		return nil, translate(err)
	}
	for _, d := range ds {
		out[d.Code] = d.Name
	}
	return out, nil
}

// DivisionRange turns a division prefix ("52", "5201", "520102") into the
// half-open range [lo, hi) of the codes that start with it. A range, unlike
// LIKE 'prefix%', uses an index in both dialects (SQLite's LIKE is case
// insensitive and skips the index). Division codes are digits, so the upper
// bound is the prefix read as a number plus one (5201 → 5202, 5209 → 521):
// raising a last 9 to ':' would sort before the digits under MySQL's
// unicode collation and match nothing.
func DivisionRange(prefix string) (lo, hi string) {
	top := strings.TrimRight(prefix, "9")
	if top == "" {
		return prefix, "\U0010FFFF"
	}
	last := top[len(top)-1]
	return prefix, top[:len(top)-1] + string(rune(last+1))
}
