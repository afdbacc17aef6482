package store

// levelCounty is the level of a county-level division (县级).
const levelCounty = 3

// CaseHolderNames returns the registry name of each case's person, keyed by
// case number, for the rows of a staff list.
func (q *Q) CaseHolderNames(nos []string) (map[string]string, error) {
	out := make(map[string]string, len(nos))
	if len(nos) == 0 {
		return out, nil
	}
	var rows []struct {
		No   string
		Name string
	}
	err := q.g.Table("cases").Select("cases.no AS no, persons.name AS name").
		Joins("JOIN persons ON persons.id = cases.person_id").Where("cases.no IN ?", nos).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.No] = r.Name
	}
	return out, nil
}

// CountiesUnder lists the county-level divisions whose code starts with
// prefix ("52" = the whole province), ordered by code.
func (q *Q) CountiesUnder(prefix string) ([]Division, error) {
	var out []Division
	err := q.g.Where("level = ? AND code LIKE ?", levelCounty, prefix+"%").Order("code").Find(&out).Error
	return out, translate(err)
}
