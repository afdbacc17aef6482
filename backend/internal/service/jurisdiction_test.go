package service_test

import (
	"fmt"
	"testing"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/demo"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/seed"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// jurisdictionCases is the size of the seeded set of the property test.
const jurisdictionCases = 2000

// TestJurisdictionListMatchesDetail is the property of docs/architecture.md that one
// jurisdiction gives: over a seeded set of cases in every status, with a
// share accepted far from the person's household, for every demo staff
// account and every case, "appears in my list" holds exactly when "opens
// for me" does, both for the per-case check and for the case detail.
func TestJurisdictionListMatchesDetail(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a few thousand cases")
	}
	f := newFixture(t)
	if _, err := demo.Load(f.ctx, f.st, demo.Options{Demo: true, DemoPassword: "x", Persons: 1500, Today: baseTime,
		Location: calendar.Location()}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Cases(f.ctx, f.st, f.cal, jurisdictionCases, baseTime); err != nil {
		t.Fatal(err)
	}
	// The generator files every case at a station of the person's county;
	// move some to another county of the province so that station and
	// household fall under different supervisors.
	for _, mv := range []struct {
		county string
		where  string
	}{{"520302", "id % 5 = 0"}, {"522601", "id % 7 = 3"}, {"520103", "id % 11 = 1"}} {
		st := f.stationOf(mv.county)
		if _, err := f.db.SQL().Exec("UPDATE cases SET station_id = ?, station_division = ? WHERE "+mv.where, st, mv.county); err != nil {
			t.Fatal(err)
		}
	}
	all, err := f.st.Q(f.ctx).ListCases(store.CaseFilter{Scope: domain.Scope{Kind: domain.ScopeAll}, Limit: 10 * jurisdictionCases})
	if err != nil {
		t.Fatal(err)
	}
	far, known := 0, map[string]bool{}
	for _, c := range all {
		known[c.No] = true
		if c.StationDivision[:4] != c.HouseholdDivision[:4] {
			far++
		}
	}
	if len(all) < jurisdictionCases/2 || far < len(all)/10 {
		t.Fatalf("seeded set too thin: %d cases, %d far from home", len(all), far)
	}
	accounts, err := seed.DemoStaff()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, acc := range accounts {
		a := f.staff(acc.Username)
		listed := listAll(t, f, a)
		var in, out []string
		for i := range all {
			c := &all[i]
			opens := service.CanSee(a, c)
			if listed[c.No] != opens {
				t.Fatalf("%s: case %s (station %s, household %s, %s): listed %v, opens %v", acc.Username, c.No,
					c.StationDivision, c.HouseholdDivision, c.Status, listed[c.No], opens)
			}
			// Cases far from home are where station and household disagree:
			// try those through the detail use case first.
			if c.StationDivision[:4] != c.HouseholdDivision[:4] || len(in)+len(out) < 2 {
				if opens && len(in) < 3 {
					in = append(in, c.No)
				} else if !opens && len(out) < 3 {
					out = append(out, c.No)
				}
			}
		}
		for no := range listed {
			if !known[no] {
				t.Fatalf("%s: list holds case %s, which is not in the seeded set", acc.Username, no)
			}
		}
		seen[acc.Role] += len(listed)
		for _, no := range in {
			if _, err := f.svc.StaffCase(f.ctx, a, no); err != nil {
				t.Fatalf("%s: listed case %s does not open: %v", acc.Username, no, err)
			}
		}
		want := domain.CodeNotFound
		if !a.Scope().SeesCases() {
			want = domain.CodeForbidden
		}
		for _, no := range out {
			if _, err := f.svc.StaffCase(f.ctx, a, no); domain.ErrorCode(err) != want {
				t.Fatalf("%s: unlisted case %s: %v, want %s", acc.Username, no, err, want)
			}
		}
	}
	for _, role := range []domain.Role{domain.RoleStationOfficer, domain.RoleCountyReviewer, domain.RoleProductionOperator, domain.RoleSupervisor} {
		if seen[string(role)] == 0 {
			t.Errorf("no %s listed any case: the property was not exercised", role)
		}
	}
}

// listAll walks every page of the actor's staff list and returns the case
// numbers on it; an actor without cases (FORBIDDEN) has an empty list.
func listAll(t *testing.T, f *fixture, a service.Actor) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	cq := service.CaseQuery{Limit: 100}
	for range 10 * jurisdictionCases / 100 {
		page, err := f.svc.StaffCases(f.ctx, a, cq)
		if domain.ErrorCode(err) == domain.CodeForbidden {
			return out
		}
		if err != nil {
			t.Fatalf("%s list: %v", a.Name, err)
		}
		for _, v := range page.Items {
			if out[v.No] {
				t.Fatalf("%s list: case %s twice", a.Name, v.No)
			}
			out[v.No] = true
		}
		if page.NextCursor == nil {
			return out
		}
		cq.Cursor = *page.NextCursor
	}
	t.Fatal(fmt.Sprintf("%s list: too many pages", a.Name))
	return nil
}
