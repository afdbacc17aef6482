package store

// timeBefore compares the time column col with a bound parameter: before it.
// SQLite keeps times as text in the zone they were written in (the stage
// due times are +08:00, event times UTC), so text comparison across them is
// wrong by up to eight hours there; julianday() compares instants.
func (q *Q) timeBefore(col string) string {
	if q.dialect == SQLite {
		return "julianday(" + col + ") < julianday(?)"
	}
	return col + " < ?"
}

// StationStatusCount is how many cases of one station are in one status,
// and how many of them are past their stage due time.
type StationStatusCount struct {
	StationID int64
	Status    string
	N         int64
	Overdue   int64
}
