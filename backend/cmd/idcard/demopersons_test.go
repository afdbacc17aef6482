package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// demoPersonLines reads demo-persons' output: one JSON object a line, with
// exactly the fields name and id_number.
func demoPersonLines(t *testing.T, out string) []demoPerson {
	t.Helper()
	var ps []demoPerson
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]string
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if len(m) != 2 || m["name"] == "" || m["id_number"] == "" {
			t.Fatalf("line %q: want exactly name and id_number", sc.Text())
		}
		ps = append(ps, demoPerson{Name: m["name"], IDNumber: m["id_number"]})
	}
	return ps
}

// TestDemoPersonsListsFreePersons checks on both storage modes that
// demo-persons leaves out a person with an open case, a person bound to an
// account and a person who cannot apply online, keeps a person whose case
// is closed, prints registry records as they are, and stops at --count.
func TestDemoPersonsListsFreePersons(t *testing.T) {
	ctx := context.Background()
	env, out := auditTestEnv(t)
	env.cfg.Demo = true
	a, st, err := openStore(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.close() })
	if _, err := loadSeed(ctx, env, st, 20); err != nil {
		t.Fatal(err)
	}
	svc, err := newService(ctx, env, a, st)
	if err != nil {
		t.Fatal(err)
	}
	q := st.Q(ctx)
	person := func(id string) store.Person {
		p, err := q.PersonByIDNumber(id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	station, err := q.StaffByUsername("station-520102")
	if err != nil {
		t.Fatal(err)
	}
	// apply binds a new account to p and submits a case; the account is
	// then unbound, so only the case keeps p out of the list.
	apply := func(p store.Person) (service.Actor, string) {
		now := time.Now().UTC()
		ap := store.Applicant{PersonID: &p.ID, BoundAt: &now}
		if err := q.InsertApplicant(&ap); err != nil {
			t.Fatal(err)
		}
		actor := service.ApplicantActor(ap.ID, "127.0.0.1")
		v, err := svc.Submit(ctx, actor, service.SubmitInput{Kind: "damage_renewal", StationID: *station.OfficeID, Collection: "window"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.SQL().Exec("UPDATE applicants SET person_id = NULL WHERE id = ?", ap.ID); err != nil {
			t.Fatal(err)
		}
		return actor, v.No
	}
	openCase, bound, closedCase, cannot := person("52010219900101123X"), person("520103198506150026"),
		person("520402200302110049"), person("522601201207050034")
	apply(openCase)
	actor, no := apply(closedCase)
	if _, err := svc.Cancel(ctx, actor, no); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := q.InsertApplicant(&store.Applicant{PersonID: &bound.ID, BoundAt: &now}); err != nil {
		t.Fatal(err)
	}
	// 杨小明's card is recent; without fingerprints no kind is open online.
	if _, err := a.db.SQL().Exec("UPDATE persons SET card_fingerprints = ? WHERE id = ?", false, cannot.ID); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	if err := runDemoPersons(ctx, env, []string{"--count", "1000"}); err != nil {
		t.Fatal(err)
	}
	all := demoPersonLines(t, out.String())
	listed := map[string]bool{}
	for _, p := range all {
		if listed[p.IDNumber] {
			t.Fatalf("%s listed twice", p.IDNumber)
		}
		listed[p.IDNumber] = true
		if got := person(p.IDNumber); got.Name != p.Name {
			t.Fatalf("listed %s as %s, registry says %s", p.IDNumber, p.Name, got.Name)
		}
	}
	for _, p := range []store.Person{openCase, bound, cannot} {
		if listed[p.IDNumber] {
			t.Errorf("%s %s is listed", p.Name, p.IDNumber)
		}
	}
	for _, p := range []store.Person{closedCase, person("520302195803200019")} {
		if !listed[p.IDNumber] {
			t.Errorf("%s %s is not listed", p.Name, p.IDNumber)
		}
	}

	out.Reset()
	if err := runDemoPersons(ctx, env, []string{"--count", "3"}); err != nil {
		t.Fatal(err)
	}
	if got := demoPersonLines(t, out.String()); len(got) != 3 || got[0] != all[0] || got[2] != all[2] {
		t.Fatalf("--count 3 printed %v, want the first three of %v", got, all[:3])
	}
	for _, args := range [][]string{{"--count", "0"}, {"extra"}} {
		if err := runDemoPersons(ctx, env, args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// TestDemoPersonsRefusesOutsideDemoMode runs the command through the
// command table: it lists nothing unless demo mode is on, and then the
// seeded registry.
func TestDemoPersonsRefusesOutsideDemoMode(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{"IDCARD_DATA_DIR": t.TempDir(), "IDCARD_DEMO": "false"}
	var out bytes.Buffer
	err := run(ctx, []string{"demo-persons", "--count", "5"}, envOf(vars), &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "IDCARD_DEMO=true") {
		t.Fatalf("outside demo mode: %v", err)
	}
	if out.Len() != 0 {
		t.Fatalf("printed %q", out.String())
	}
	vars["IDCARD_DEMO"] = "true"
	if err := run(ctx, []string{"seed", "--persons", "3"}, envOf(vars), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"demo-persons", "--count", "5"}, envOf(vars), &out, io.Discard); err != nil {
		t.Fatalf("demo mode: %v", err)
	}
	// The five persons of openapi.yaml come first and can all apply online.
	got := demoPersonLines(t, out.String())
	if len(got) != 5 || got[0] != (demoPerson{Name: "张三", IDNumber: "52010219900101123X"}) {
		t.Fatalf("printed %v", got)
	}
}
