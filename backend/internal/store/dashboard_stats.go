package store

import (
	"time"
)

// DivisionRange turns a division prefix ("52", "5201", "520102") into the
// half-open range [lo, hi) of the codes that start with it. A range, unlike
// LIKE 'prefix%', uses an index in both dialects (SQLite's LIKE is case
// insensitive and skips the index). Division codes are digits, so the upper
// bound is the prefix with its last digit raised by one.
func DivisionRange(prefix string) (lo, hi string) {
	if prefix == "" {
		return "", "\U0010FFFF"
	}
	last := prefix[len(prefix)-1]
	return prefix, prefix[:len(prefix)-1] + string(rune(last+1))
}

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

// shanghaiDay is the SQL for the Asia/Shanghai date (2006-01-02) of the time
// column col. China has kept UTC+8 all year since 1991.
func (q *Q) shanghaiDay(col string) string {
	if q.dialect == SQLite {
		return "date((" + col + "), '+8 hours')"
	}
	return "DATE_FORMAT((" + col + ") + INTERVAL 8 HOUR, '%Y-%m-%d')"
}

// StationStatusCount is how many cases of one station are in one status,
// and how many of them are past their stage due time.
type StationStatusCount struct {
	StationID int64
	Status    string
	N         int64
	Overdue   int64
}

// CasesByStationStatus counts the cases of every station whose division
// starts with prefix, per station and status, with those whose stage due
// time is before now. The station list comes from offices, so the count
// reads only the index (station_id, status, stage_due_at) of cases: one pass
// gives the totals by status, the overdue cases by stage and by station.
func (q *Q) CasesByStationStatus(prefix string, now time.Time) ([]StationStatusCount, error) {
	lo, hi := DivisionRange(prefix)
	var out []StationStatusCount
	err := q.g.Raw(`SELECT station_id, status, COUNT(*) AS n,
		SUM(CASE WHEN stage_due_at IS NOT NULL AND `+q.timeBefore("stage_due_at")+` THEN 1 ELSE 0 END) AS overdue
		FROM cases
		WHERE station_id IN (SELECT id FROM offices WHERE kind = ? AND division_code >= ? AND division_code < ?)
		GROUP BY station_id, status`, now, OfficeStation, lo, hi).Scan(&out).Error
	return out, translate(err)
}

// Transition counts the status changes of one kind on one day.
type Transition struct {
	From     string // "" for a submission
	To       string
	StartDay string // the day the stage that ended began; "" when it has no due
	Day      string // the Shanghai day of the change
	N        int64
}

// CaseTransitions groups the status changes in [from, to) of the cases of
// the stations whose division starts with prefix by kind, day and the day the
// stage that ended began: submitted_at for pre-check, accepted_at for review,
// issued_at for production and dispatch (dispatch is bound by the production
// due time). A pickup window has its own rule and no start day here. Changes
// that keep the status (a legal extension) are left out.
func (q *Q) CaseTransitions(prefix string, from, to time.Time) ([]Transition, error) {
	lo, hi := DivisionRange(prefix)
	start := `CASE e.from_status WHEN 'submitted' THEN c.submitted_at WHEN 'accepted' THEN c.accepted_at
		WHEN 'issued' THEN c.issued_at WHEN 'produced' THEN c.issued_at END`
	// For a day or two, start from the events' time index: few events, each
	// with its case. For a longer window start from the cases of the
	// division, each with its events: SQLite keeps the left table of a CROSS
	// JOIN as the outer loop, and without table statistics its planner
	// would otherwise read the case row of every event at random (seconds
	// over 100,000 events). MySQL reads CROSS JOIN as JOIN and plans itself.
	tables := "case_events e JOIN cases c ON c.id = e.case_id"
	if to.Sub(from) > 48*time.Hour {
		tables = "cases c CROSS JOIN case_events e ON e.case_id = c.id"
	}
	rows, err := q.g.Raw(`SELECT COALESCE(e.from_status, '') AS f, e.to_status AS t,
		COALESCE(`+q.shanghaiDay(start)+`, '') AS sd, `+q.shanghaiDay("e.at")+` AS d, COUNT(*) AS n
		FROM `+tables+`
		WHERE e.at >= ? AND e.at < ? AND c.station_division >= ? AND c.station_division < ?
		AND (e.from_status IS NULL OR e.from_status <> e.to_status)
		GROUP BY f, t, sd, d`, from, to, lo, hi).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []Transition
	for rows.Next() {
		var t Transition
		if err := rows.Scan(&t.From, &t.To, &t.StartDay, &t.Day, &t.N); err != nil {
			return nil, translate(err)
		}
		out = append(out, t)
	}
	return out, translate(rows.Err())
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
