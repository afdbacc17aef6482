package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// soakCase is a case filed through the service as a soak applicant files
// it, with an idempotency key.
type soakCase struct {
	no, key string
	id      int64
	person  int64
	actor   service.Actor
}

// TestCheckFindsWhatIsMissing files real cases through the service on the
// store under test (SQLite, or MariaDB with IDCARD_TEST_MYSQL_DSN), takes a
// part of one transaction's writes away from each, or tells the check an
// answer the database does not bear out, and expects each finding once in
// its category, and no finding for the cases left whole.
func TestCheckFindsWhatIsMissing(t *testing.T) {
	ctx := context.Background()
	env := webtest.Start(t)
	db := env.Store.DB().SQL()
	station := env.Staff(t, "station-520102").OfficeID
	ans := Answers{Submitted: map[string][]string{}, Cancelled: map[string]bool{}}
	n := 0
	file := func(keyed, cancel bool) soakCase {
		t.Helper()
		n++
		p := env.NewPerson(t, "520102", domain.KindDamageRenewal)
		c := soakCase{actor: env.NewApplicant(t, p), person: p.ID}
		if keyed {
			c.key = fmt.Sprintf("soak-test-%d", n)
		}
		v, err := env.Service.Submit(ctx, c.actor, service.SubmitInput{Kind: "damage_renewal", StationID: station, Collection: "window"}, c.key)
		if err != nil {
			t.Fatal(err)
		}
		c.no, c.id = v.No, env.Case(t, v.No).ID
		if keyed {
			ans.Submitted[c.key] = []string{c.no, c.no}
		}
		if cancel {
			if _, err := env.Service.Cancel(ctx, c.actor, c.no); err != nil {
				t.Fatal(err)
			}
			ans.Cancelled[c.no] = true
		}
		return c
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}

	file(true, false) // whole: open
	file(true, true)  // whole: cancelled

	type finding struct{ category, text string }
	var want []finding
	expect := func(category, text string) { want = append(want, finding{category, text}) }

	ans.Submitted["soak-test-gone"] = []string{"GZ261201999999"}
	expect("lost", "case GZ261201999999 was answered 201 (key soak-test-gone) but is not in the database")
	expect("lost", "key soak-test-gone was answered 201 but is not in the database")

	c := file(true, false)
	ans.Cancelled[c.no] = true
	expect("lost", "case "+c.no+" was answered cancelled but is submitted")

	c = file(true, false)
	other := file(true, false)
	ans.Submitted[c.key] = []string{c.no, other.no}
	expect("duplicated", "key "+c.key+" was answered with cases "+c.no+", "+other.no)

	c = file(true, false)
	second := file(true, true)
	exec("UPDATE cases SET person_id = ?, status = 'submitted', closed_at = NULL WHERE id = ?", c.person, second.id)
	expect("duplicated", fmt.Sprintf("person %d has 2 open cases: %s, %s", c.person, c.no, second.no))
	expect("half-written", "case "+second.no+" (submitted): a cancel is recorded but the case is open")
	expect("lost", "case "+second.no+" was answered cancelled but is submitted")
	expect("half-written", fmt.Sprintf("case %s (submitted): does not hold its person %d as open", second.no, c.person))

	c = file(true, false)
	exec("INSERT INTO case_events (case_id, action, from_status, to_status, actor_kind, actor_id, actor_name, office_id, note, at) "+
		"SELECT case_id, action, from_status, to_status, actor_kind, actor_id, actor_name, office_id, note, at FROM case_events WHERE case_id = ?", c.id)
	expect("duplicated", "case "+c.no+" (submitted): 2 submit events")

	// One part of a transaction's writes taken away.
	for _, m := range []struct {
		cancelled bool
		delete    string // a DELETE whose one argument is the case (id, or number with byNo)
		byNo      bool
		finding   string
	}{
		{false, "DELETE FROM case_events WHERE case_id = ?", false, "(submitted): no submit event"},
		{false, "DELETE FROM audit_log WHERE object_type = 'case' AND object_id = ?", true, "(submitted): no submit audit entry"},
		{false, "DELETE FROM outbox WHERE case_id = ?", false, "(submitted): no submit outbox message"},
		{true, "DELETE FROM case_events WHERE case_id = ? AND action = 'cancel'", false, "(cancelled): no cancel event"},
		{true, "DELETE FROM audit_log WHERE object_id = ? AND action = 'case.cancel'", true, "(cancelled): no cancel audit entry"},
		{true, "DELETE FROM outbox WHERE case_id = ? AND template = 'cancel'", false, "(cancelled): no cancel outbox message"},
	} {
		c := file(true, m.cancelled)
		var arg any = c.id
		if m.byNo {
			arg = c.no
		}
		exec(m.delete, arg)
		expect("half-written", "case "+c.no+" "+m.finding)
	}

	c = file(true, true)
	exec("UPDATE cases SET active_person_id = person_id, closed_at = NULL WHERE id = ?", c.id)
	expect("half-written", fmt.Sprintf("case %s (cancelled): still holds person %d as open", c.no, c.person))
	expect("half-written", "case "+c.no+" (cancelled): no closing time")

	c = file(false, false)
	expect("half-written", "case "+c.no+" (submitted): no idempotency key answers for it")

	c = file(true, false)
	exec("UPDATE idempotency_keys SET status_code = 0, response = '{}' WHERE idem_key = ?", c.key)
	expect("half-written", "key "+c.key+" was claimed but never answered")
	expect("half-written", "case "+c.no+" (submitted): no idempotency key answers for it")

	c = file(true, false)
	exec(`UPDATE idempotency_keys SET response = '{"no":"GZ261201888888"}' WHERE idem_key = ?`, c.key)
	expect("half-written", "key "+c.key+" is answered with case GZ261201888888, which is not in the database")
	expect("half-written", "case "+c.no+" (submitted): no idempotency key answers for it")
	expect("duplicated", "key "+c.key+" was answered with case "+c.no+" but is stored with case GZ261201888888")

	c = file(true, false)
	other = file(true, false)
	exec("UPDATE idempotency_keys SET applicant_id = ? WHERE idem_key = ?", other.actor.ID, c.key)
	expect("half-written", fmt.Sprintf("key %s of applicant %d is answered with case %s of applicant %d", c.key, other.actor.ID, c.no, c.actor.ID))
	expect("half-written", "case "+c.no+" (submitted): no idempotency key answers for it")

	r, err := Check(ctx, db, ans)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{"lost": r.Lost, "duplicated": r.Duplicated, "half-written": r.HalfWritten}
	for _, w := range want {
		lines := got[w.category]
		i := indexOf(lines, w.text)
		if i < 0 {
			t.Errorf("%s: no %q in\n  %s", w.category, w.text, strings.Join(lines, "\n  "))
			continue
		}
		got[w.category] = append(lines[:i:i], lines[i+1:]...)
	}
	for category, lines := range got {
		for _, l := range lines {
			t.Errorf("%s: unexpected finding %q", category, l)
		}
	}
	if r.Cases != n || r.Keys != n-1 {
		t.Errorf("read %d cases and %d keys, want %d and %d", r.Cases, r.Keys, n, n-1)
	}
	if r.Clean() {
		t.Error("a report with findings is clean")
	}
}

// TestCheckCleanAfterRealWrites: cases filed, replayed and cancelled
// through the service give no finding.
func TestCheckCleanAfterRealWrites(t *testing.T) {
	ctx := context.Background()
	env := webtest.Start(t)
	station := env.Staff(t, "station-520102").OfficeID
	ans := Answers{Submitted: map[string][]string{}, Cancelled: map[string]bool{}}
	in := service.SubmitInput{Kind: "damage_renewal", StationID: station, Collection: "window"}
	for i := range 3 {
		p := env.NewPerson(t, "520102", domain.KindDamageRenewal)
		a := env.NewApplicant(t, p)
		key := fmt.Sprintf("soak-clean-%d", i)
		for range 2 {
			v, err := env.Service.Submit(ctx, a, in, key)
			if err != nil {
				t.Fatal(err)
			}
			ans.Submitted[key] = append(ans.Submitted[key], v.No)
		}
		if i > 0 {
			no := ans.Submitted[key][0]
			if _, err := env.Service.Cancel(ctx, a, no); err != nil {
				t.Fatal(err)
			}
			ans.Cancelled[no] = true
		}
	}
	r, err := Check(ctx, env.Store.DB().SQL(), ans)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Clean() || r.Cases != 3 || r.Keys != 3 {
		t.Fatalf("report %+v", r)
	}
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}
