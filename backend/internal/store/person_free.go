package store

// FreePersons returns up to limit registry persons with an id above
// afterID, in id order, that have no open case and are bound to no account:
// people a load test can sign in as without taking over anyone's account or
// running into an open case.
func (q *Q) FreePersons(afterID int64, limit int) ([]Person, error) {
	var ps []Person
	err := q.g.Where("id > ?", afterID).
		Where("NOT EXISTS (SELECT 1 FROM cases c WHERE c.active_person_id = persons.id)").
		Where("NOT EXISTS (SELECT 1 FROM applicants a WHERE a.person_id = persons.id)").
		Order("id").Limit(limit).Find(&ps).Error
	if err != nil {
		return nil, translate(err)
	}
	for i := range ps {
		if err := q.openPerson(&ps[i]); err != nil {
			return nil, err
		}
	}
	return ps, nil
}
