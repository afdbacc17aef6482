package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
)

// TestCaseFilterScope: the list filter of every kind of jurisdiction holds
// exactly the cases domain.Scope.Covers admits, on both dialects, including
// division prefixes that end in 9 (whose upper bound must carry) and cases
// whose station and household lie under different divisions.
func TestCaseFilterScope(t *testing.T) {
	db := storetest.Open(t)
	q := store.New(db, nil).Q(context.Background())
	divs := []string{"520102", "520103", "520190", "520199", "520201", "520302", "522601", "529900"}
	statuses := domain.AllStatuses()
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	var cases []store.Case
	for i := range 3 * len(divs) * len(divs) / 2 {
		sd, hd := divs[i%len(divs)], divs[(i/len(divs)+i)%len(divs)]
		c := store.Case{No: fmt.Sprintf("GZ260302%06d", i+1), Kind: string(domain.KindDamageRenewal),
			Status: string(statuses[i%len(statuses)]), Collection: "window", PersonID: int64(i + 1),
			ApplicantID: int64(i%5 + 1), StationID: int64(i%len(divs) + 1), StationDivision: sd, HouseholdDivision: hd,
			SubmittedAt: at.Add(time.Duration(i) * time.Minute), LegalDueAt: at.AddDate(0, 2, 0)}
		if err := q.InsertCase(&c); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	scopes := []domain.Scope{{}, {Kind: domain.ScopeAll}, {Kind: domain.ScopeApplicant, ID: 2}, {Kind: domain.ScopeStation, ID: 3},
		{Kind: domain.ScopeHousehold, Division: "520190"}, {Kind: domain.ScopeProduction}, {Kind: domain.ScopeApplicant},
		{Kind: domain.ScopeDivision}}
	for _, p := range []string{"52", "5201", "52019", "520199", "5299", "5203", "520102"} {
		scopes = append(scopes, domain.Scope{Kind: domain.ScopeDivision, Division: p})
	}
	for _, sc := range scopes {
		t.Run(fmt.Sprintf("%s-%d-%s", sc.Kind, sc.ID, sc.Division), func(t *testing.T) {
			got, err := q.ListCases(store.CaseFilter{Scope: sc, Limit: len(cases) + 1})
			if err != nil {
				t.Fatal(err)
			}
			listed := map[string]bool{}
			for _, c := range got {
				listed[c.No] = true
			}
			want := 0
			for _, c := range cases {
				covers := sc.Covers(domain.CaseRef{ApplicantID: c.ApplicantID, StationID: c.StationID, StationDivision: c.StationDivision,
					HouseholdDivision: c.HouseholdDivision, Status: domain.Status(c.Status)})
				if covers != listed[c.No] {
					t.Errorf("case %s (station %s, household %s, %s): listed %v, covers %v", c.No, c.StationDivision,
						c.HouseholdDivision, c.Status, listed[c.No], covers)
				}
				if covers {
					want++
				}
			}
			if len(got) != want {
				t.Errorf("listed %d cases, want %d", len(got), want)
			}
			counts, err := q.CountCasesByStatus(store.CaseFilter{Scope: sc})
			if err != nil {
				t.Fatal(err)
			}
			n := int64(0)
			for _, v := range counts {
				n += v
			}
			if n != int64(want) {
				t.Errorf("counted %d cases, want %d", n, want)
			}
		})
	}
}
