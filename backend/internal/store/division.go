package store

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
