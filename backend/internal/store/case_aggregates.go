package store

import (
	"sort"
	"strings"
	"time"
)

// The dashboard's aggregates (migration 00010): case_counts, the cases of
// each station per status, kept in step by InsertCase(s) and UpdateCase in
// the caller's transaction, and case_flows, the status changes per
// Shanghai day and station county, added to by the service (AddFlow) in the
// transaction of the change. A cold dashboard reads these rows, never the
// cases and their events.

// upsertAdd is the dialect's "insert rows, or add to the existing row"
// for the table's unique key cols and the counters add; one is the
// placeholder group of a row.
func (q *Q) upsertAdd(table string, cols, add []string, rows int, one string) string {
	all := append(append([]string{}, cols...), add...)
	head := "INSERT INTO " + table + " (" + strings.Join(all, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
	set := make([]string, len(add))
	for i, c := range add {
		if q.dialect == SQLite {
			set[i] = c + " = " + c + " + excluded." + c
		} else {
			set[i] = c + " = " + c + " + VALUES(" + c + ")"
		}
	}
	if q.dialect == SQLite {
		return head + " ON CONFLICT (" + strings.Join(cols, ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
	}
	return head + " ON DUPLICATE KEY UPDATE " + strings.Join(set, ", ")
}

// countKey is one row of case_counts.
type countKey struct {
	station int64
	status  string
}

// addCounts applies the changes d to case_counts, in key order so two
// transactions never lock the same rows in opposite orders.
func (q *Q) addCounts(d map[countKey]int64) error {
	keys := make([]countKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].station != keys[j].station {
			return keys[i].station < keys[j].station
		}
		return keys[i].status < keys[j].status
	})
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{k.station, k.status, d[k]}
	}
	return q.execUpsertAdd("case_counts", []string{"station_id", "status"}, []string{"n"}, rows)
}

// countInserted adds inserted cases to case_counts.
func (q *Q) countInserted(cs ...*Case) error {
	d := map[countKey]int64{}
	for _, c := range cs {
		d[countKey{c.StationID, c.Status}]++
	}
	return q.addCounts(d)
}

// countedAs is the key a case is counted under in case_counts: its
// station and status in the database.
func (q *Q) countedAs(id int64) (countKey, error) {
	var old struct {
		StationID int64
		Status    string
	}
	err := q.g.Raw("SELECT station_id, status FROM cases WHERE id = ?", id).Scan(&old).Error
	return countKey{old.StationID, old.Status}, translate(err)
}

// countUpdate moves a case in case_counts from the key it was counted
// under to its station and status now, when they differ.
func (q *Q) countUpdate(was countKey, c *Case) error {
	now := countKey{c.StationID, c.Status}
	if was.status == "" || was == now {
		return nil
	}
	return q.addCounts(map[countKey]int64{was: -1, now: 1})
}

// RebuildCaseCounts recounts case_counts from the cases (after a bulk load
// that wrote cases some other way).
func (q *Q) RebuildCaseCounts() error {
	if err := q.g.Exec("DELETE FROM case_counts").Error; err != nil {
		return translate(err)
	}
	return translate(q.g.Exec("INSERT INTO case_counts (station_id, status, n) SELECT station_id, status, COUNT(*) FROM cases GROUP BY station_id, status").Error)
}

// Flow is a number of status changes of one kind, on one Shanghai day, of
// the cases of the stations of one county.
type Flow struct {
	Day             string // YYYY-MM-DD, Asia/Shanghai
	StationDivision string
	From            string `gorm:"column:from_status"` // "" for a submission
	To              string `gorm:"column:to_status"`
	N               int64
	OnTime          int64 // of N, those that left their stage in time
}

// AddFlows adds status changes to case_flows.
func (q *Q) AddFlows(fs ...Flow) error {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.StationDivision != b.StationDivision {
			return a.StationDivision < b.StationDivision
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	rows := make([][]any, len(fs))
	for i, f := range fs {
		rows[i] = []any{f.Day, f.StationDivision, f.From, f.To, f.N, f.OnTime}
	}
	return q.execUpsertAdd("case_flows", []string{"day", "station_division", "from_status", "to_status"}, []string{"n", "on_time"}, rows)
}

// Flows sums case_flows over the days [fromDay, toDay] (YYYY-MM-DD) of the
// counties under prefix, per day and kind of change: one range of the
// unique index (day, station_division, ...).
func (q *Q) Flows(prefix, fromDay, toDay string) ([]Flow, error) {
	lo, hi := DivisionRange(prefix)
	var out []Flow
	err := q.g.Raw(`SELECT day, from_status, to_status, SUM(n) AS n, SUM(on_time) AS on_time
		FROM case_flows WHERE day >= ? AND day <= ? AND station_division >= ? AND station_division < ?
		GROUP BY day, from_status, to_status`, fromDay, toDay, lo, hi).Scan(&out).Error
	return out, translate(err)
}

// CasesByStationStatus counts the cases of every station whose division
// starts with prefix, per station and status, with those whose stage due
// time is before now: the counts from case_counts (a row per station and
// status), the overdue ones from the range stage_due_at < now, which holds
// only open cases past their stage's due time.
func (q *Q) CasesByStationStatus(prefix string, now time.Time) ([]StationStatusCount, error) {
	lo, hi := DivisionRange(prefix)
	stations := "SELECT id FROM offices WHERE kind = ? AND division_code >= ? AND division_code < ?"
	var counts []StationStatusCount
	if err := q.g.Raw(`SELECT station_id, status, n FROM case_counts WHERE n <> 0 AND station_id IN (`+stations+`)`,
		OfficeStation, lo, hi).Scan(&counts).Error; err != nil {
		return nil, translate(err)
	}
	var late []StationStatusCount
	if err := q.g.Raw(`SELECT station_id, status, COUNT(*) AS overdue FROM cases
		WHERE `+q.timeBefore("stage_due_at")+` AND station_id IN (`+stations+`)
		GROUP BY station_id, status`, now, OfficeStation, lo, hi).Scan(&late).Error; err != nil {
		return nil, translate(err)
	}
	at := map[countKey]int{}
	for i, c := range counts {
		at[countKey{c.StationID, c.Status}] = i
	}
	for _, l := range late {
		if i, ok := at[countKey{l.StationID, l.Status}]; ok {
			counts[i].Overdue = l.Overdue
		}
	}
	return counts, nil
}
