package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Report is what the database shows after a soak, against the answers the
// applicants got. Each finding is one line naming the case or key.
//
//   - Lost: a case answered 201 that is not in the database, a key answered
//     201 that the database does not hold (a replay would file a new case),
//     a cancel answered 200 whose case is not cancelled.
//   - Duplicated: one key answered with two case numbers, or stored for a
//     case other than the one it was answered with; one case named by two
//     keys; two open cases of one person; a second submit or cancel event
//     or audit entry of one case.
//   - HalfWritten: what one transaction writes, found in part. A case
//     without its submit event, its case.submit audit entry or its outbox
//     message; a cancelled case without its cancel event, audit entry or
//     outbox message, still holding its person or without a closing time;
//     a submitted case with a cancel recorded, or that does not hold its
//     person; a case no idempotency key answers for (every soak submission
//     sends one); a key claimed but never answered, or answered with a case
//     that is not in the database or belongs to another applicant.
type Report struct {
	Cases, Keys                   int
	Lost, Duplicated, HalfWritten []string
}

// Clean reports whether nothing was lost, duplicated or half-written.
func (r Report) Clean() bool {
	return len(r.Lost) == 0 && len(r.Duplicated) == 0 && len(r.HalfWritten) == 0
}

// caseRow is what the check reads of a case.
type caseRow struct {
	id, person, applicant int64
	no, status            string
	active                sql.NullInt64
	closed                bool
	events, audits, sent  map[string]int // per action: case events, audit entries, outbox messages
	keys                  []string       // idempotency keys answered with this case
}

// keyRow is what the check reads of an idempotency key.
type keyRow struct {
	applicant int64
	key       string
	answered  bool
	no        string // the case number of the stored answer
}

// Check reads cases, their events, audit entries and outbox messages and
// the idempotency keys of db, and reports what was lost, duplicated or
// half-written against the answers ans. It reads every case in the
// database: the soak runs on a database of its own.
func Check(ctx context.Context, db *sql.DB, ans Answers) (Report, error) {
	return CheckSince(ctx, db, ans, Since{})
}

// Since is where a run's rows begin: the cases and idempotency keys with a
// larger id are the run's, the rest were there before (a cluster's demo
// data, an earlier run).
type Since struct{ Case, Key int64 }

// ReadSince reads where the next rows of db will begin.
func ReadSince(ctx context.Context, db *sql.DB) (Since, error) {
	var s Since
	err := db.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM cases), (SELECT COALESCE(MAX(id), 0) FROM idempotency_keys)`).Scan(&s.Case, &s.Key)
	return s, err
}

// CheckSince is Check on the cases and keys after since only.
func CheckSince(ctx context.Context, db *sql.DB, ans Answers, since Since) (Report, error) {
	cases, byNo, err := readCases(ctx, db, since.Case)
	if err != nil {
		return Report{}, err
	}
	keys, err := readKeys(ctx, db, since.Key)
	if err != nil {
		return Report{}, err
	}
	r := Report{Cases: len(cases), Keys: len(keys)}
	storedKey := map[string]keyRow{}
	for _, k := range keys {
		storedKey[k.key] = k
		r.checkKey(k, byNo)
	}
	open := map[int64][]string{}
	for _, c := range cases {
		r.checkCase(c)
		if !domain.Status(c.status).IsFinal() {
			open[c.person] = append(open[c.person], c.no)
		}
	}
	for person, nos := range open {
		if len(nos) > 1 {
			r.Duplicated = append(r.Duplicated, fmt.Sprintf("person %d has %d open cases: %s", person, len(nos), strings.Join(nos, ", ")))
		}
	}
	r.checkAnswers(ans, byNo, storedKey)
	sort.Strings(r.Lost)
	sort.Strings(r.Duplicated)
	sort.Strings(r.HalfWritten)
	return r, nil
}

func (r *Report) checkKey(k keyRow, byNo map[string]*caseRow) {
	if !k.answered {
		r.HalfWritten = append(r.HalfWritten, fmt.Sprintf("key %s was claimed but never answered", k.key))
		return
	}
	c := byNo[k.no]
	switch {
	case k.no == "":
		r.HalfWritten = append(r.HalfWritten, fmt.Sprintf("key %s is answered without a case", k.key))
	case c == nil:
		r.HalfWritten = append(r.HalfWritten, fmt.Sprintf("key %s is answered with case %s, which is not in the database", k.key, k.no))
	case c.applicant != k.applicant:
		r.HalfWritten = append(r.HalfWritten, fmt.Sprintf("key %s of applicant %d is answered with case %s of applicant %d", k.key, k.applicant, k.no, c.applicant))
	default:
		c.keys = append(c.keys, k.key)
	}
}

func (r *Report) checkCase(c *caseRow) {
	half := func(format string, args ...any) {
		r.HalfWritten = append(r.HalfWritten, fmt.Sprintf("case "+c.no+" ("+c.status+"): "+format, args...))
	}
	dup := func(format string, args ...any) {
		r.Duplicated = append(r.Duplicated, fmt.Sprintf("case "+c.no+" ("+c.status+"): "+format, args...))
	}
	// written checks that action left one event, one audit entry and at
	// least one outbox message.
	written := func(action domain.Action) {
		a := string(action)
		for _, part := range []struct {
			what string
			n    int
		}{{"event", c.events[a]}, {"audit entry", c.audits[a]}} {
			if part.n == 0 {
				half("no %s %s", a, part.what)
			} else if part.n > 1 {
				dup("%d %s %ss", part.n, a, part.what)
			}
		}
		if c.sent[a] == 0 {
			half("no %s outbox message", a)
		}
	}
	written(domain.ActionSubmit)
	switch domain.Status(c.status) {
	case domain.StatusCancelled:
		written(domain.ActionCancel)
		if c.active.Valid {
			half("still holds person %d as open", c.active.Int64)
		}
		if !c.closed {
			half("no closing time")
		}
	case domain.StatusSubmitted:
		if n := c.events[string(domain.ActionCancel)] + c.audits[string(domain.ActionCancel)]; n > 0 {
			half("a cancel is recorded but the case is open")
		}
		if !c.active.Valid || c.active.Int64 != c.person {
			half("does not hold its person %d as open", c.person)
		}
	}
	switch len(c.keys) {
	case 0:
		half("no idempotency key answers for it")
	case 1:
	default:
		sort.Strings(c.keys)
		dup("answered for %d idempotency keys: %s", len(c.keys), strings.Join(c.keys, ", "))
	}
}

func (r *Report) checkAnswers(ans Answers, byNo map[string]*caseRow, stored map[string]keyRow) {
	keys := make([]string, 0, len(ans.Submitted))
	for k := range ans.Submitted {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		nos := distinct(ans.Submitted[key])
		if len(nos) > 1 {
			r.Duplicated = append(r.Duplicated, fmt.Sprintf("key %s was answered with cases %s", key, strings.Join(nos, ", ")))
		}
		for _, no := range nos {
			if byNo[no] == nil {
				r.Lost = append(r.Lost, fmt.Sprintf("case %s was answered 201 (key %s) but is not in the database", no, key))
			}
		}
		k, ok := stored[key]
		switch {
		case !ok:
			r.Lost = append(r.Lost, fmt.Sprintf("key %s was answered 201 but is not in the database", key))
		case k.answered && len(nos) == 1 && k.no != nos[0]:
			r.Duplicated = append(r.Duplicated, fmt.Sprintf("key %s was answered with case %s but is stored with case %s", key, nos[0], k.no))
		}
	}
	for no := range ans.Cancelled {
		if c := byNo[no]; c != nil && c.status != string(domain.StatusCancelled) {
			r.Lost = append(r.Lost, fmt.Sprintf("case %s was answered cancelled but is %s", no, c.status))
		}
	}
}

func distinct(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// readCases reads every case after id after with the counts of its events, audit entries
// and outbox messages per action.
func readCases(ctx context.Context, db *sql.DB, after int64) ([]*caseRow, map[string]*caseRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, no, status, person_id, active_person_id, applicant_id,
		CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END FROM cases WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return nil, nil, fmt.Errorf("read cases: %w", err)
	}
	defer rows.Close()
	var cases []*caseRow
	byID, byNo := map[int64]*caseRow{}, map[string]*caseRow{}
	for rows.Next() {
		c := &caseRow{events: map[string]int{}, audits: map[string]int{}, sent: map[string]int{}}
		var closed int
		if err := rows.Scan(&c.id, &c.no, &c.status, &c.person, &c.active, &c.applicant, &closed); err != nil {
			return nil, nil, fmt.Errorf("read cases: %w", err)
		}
		c.closed = closed == 1
		cases = append(cases, c)
		byID[c.id], byNo[c.no] = c, c
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read cases: %w", err)
	}
	counts := []struct {
		query string
		byNo  bool // the reference is the case number, not its id
		pick  func(c *caseRow) map[string]int
	}{
		{`SELECT case_id, action, COUNT(*) FROM case_events GROUP BY case_id, action`, false, func(c *caseRow) map[string]int { return c.events }},
		{`SELECT object_id, action, COUNT(*) FROM audit_log WHERE object_type = 'case' GROUP BY object_id, action`, true, func(c *caseRow) map[string]int { return c.audits }},
		{`SELECT case_id, template, COUNT(*) FROM outbox WHERE case_id IS NOT NULL GROUP BY case_id, template`, false, func(c *caseRow) map[string]int { return c.sent }},
	}
	for _, q := range counts {
		err := countPer(ctx, db, q.query, func(ref, action string, n int) {
			c := byNo[ref]
			if !q.byNo {
				id, _ := strconv.ParseInt(ref, 10, 64)
				c = byID[id]
			}
			if c != nil {
				// Audit actions are named "case.<action>".
				q.pick(c)[strings.TrimPrefix(action, "case.")] += n
			}
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return cases, byNo, nil
}

// countPer runs a query of rows (reference, action, count) and hands each
// to add.
func countPer(ctx context.Context, db *sql.DB, query string, add func(ref, action string, n int)) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref, action string
		var n int
		if err := rows.Scan(&ref, &action, &n); err != nil {
			return fmt.Errorf("%s: %w", query, err)
		}
		add(ref, action, n)
	}
	return rows.Err()
}

// readKeys reads every idempotency key after id after with the case number of its answer.
func readKeys(ctx context.Context, db *sql.DB, after int64) ([]keyRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT applicant_id, idem_key, status_code, response FROM idempotency_keys WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return nil, fmt.Errorf("read idempotency keys: %w", err)
	}
	defer rows.Close()
	var out []keyRow
	for rows.Next() {
		var k keyRow
		var status int
		var response string
		if err := rows.Scan(&k.applicant, &k.key, &status, &response); err != nil {
			return nil, fmt.Errorf("read idempotency keys: %w", err)
		}
		k.answered = status != 0
		var v struct {
			No string `json:"no"`
		}
		_ = json.Unmarshal([]byte(response), &v)
		k.no = v.No
		out = append(out, k)
	}
	return out, rows.Err()
}
