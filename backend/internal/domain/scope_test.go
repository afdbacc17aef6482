package domain

import "testing"

func TestStaffScope(t *testing.T) {
	tests := []struct {
		name string
		in   StaffOffice
		want Scope
	}{
		{"StationOfficer", StaffOffice{Role: RoleStationOfficer, OfficeID: 7, OfficeKind: OfficeStation, OfficeDivision: "520102"},
			Scope{Kind: ScopeStation, ID: 7}},
		{"StationOfficerAtBureau", StaffOffice{Role: RoleStationOfficer, OfficeID: 7, OfficeKind: OfficeCountyBureau}, Scope{}},
		{"StationOfficerWithoutOffice", StaffOffice{Role: RoleStationOfficer, OfficeKind: OfficeStation}, Scope{}},
		{"CountyReviewer", StaffOffice{Role: RoleCountyReviewer, OfficeID: 8, OfficeKind: OfficeCountyBureau, OfficeDivision: "520102"},
			Scope{Kind: ScopeHousehold, Division: "520102"}},
		{"CountyReviewerAtStation", StaffOffice{Role: RoleCountyReviewer, OfficeID: 8, OfficeKind: OfficeStation, OfficeDivision: "520102"}, Scope{}},
		{"Production", StaffOffice{Role: RoleProductionOperator, OfficeID: 9, OfficeKind: OfficeProductionCentre}, Scope{Kind: ScopeProduction}},
		{"ProductionElsewhere", StaffOffice{Role: RoleProductionOperator, OfficeID: 9, OfficeKind: OfficeStation}, Scope{}},
		{"Supervisor", StaffOffice{Role: RoleSupervisor, ScopeDivision: "5201"}, Scope{Kind: ScopeDivision, Division: "5201"}},
		{"SupervisorWithoutDivision", StaffOffice{Role: RoleSupervisor}, Scope{}},
		{"Admin", StaffOffice{Role: RoleAdmin, ScopeDivision: "52"}, Scope{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := StaffScope(tc.in); got != tc.want {
				t.Fatalf("StaffScope = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestScopeCovers(t *testing.T) {
	// A case accepted in 遵义 (5203) for a person registered in 南明区 (520102).
	c := CaseRef{ApplicantID: 3, StationID: 11, StationDivision: "520302", HouseholdDivision: "520102", Status: StatusAccepted}
	tests := []struct {
		name         string
		scope        Scope
		covers, over bool
	}{
		{"None", Scope{}, false, false},
		{"All", Scope{Kind: ScopeAll}, true, false},
		{"OwnApplicant", Scope{Kind: ScopeApplicant, ID: 3}, true, false},
		{"OtherApplicant", Scope{Kind: ScopeApplicant, ID: 4}, false, false},
		{"ApplicantZero", Scope{Kind: ScopeApplicant}, false, false},
		{"ChosenStation", Scope{Kind: ScopeStation, ID: 11}, true, false},
		{"OtherStation", Scope{Kind: ScopeStation, ID: 12}, false, false},
		{"HouseholdCounty", Scope{Kind: ScopeHousehold, Division: "520102"}, true, false},
		{"StationCountyIsNotHousehold", Scope{Kind: ScopeHousehold, Division: "520302"}, false, false},
		{"ProductionBeforeIssue", Scope{Kind: ScopeProduction}, false, false},
		{"Province", Scope{Kind: ScopeDivision, Division: "52"}, true, true},
		{"StationPrefecture", Scope{Kind: ScopeDivision, Division: "5203"}, true, true},
		{"HouseholdPrefecture", Scope{Kind: ScopeDivision, Division: "5201"}, true, false},
		{"HouseholdCountyPrefix", Scope{Kind: ScopeDivision, Division: "520102"}, true, false},
		{"OtherPrefecture", Scope{Kind: ScopeDivision, Division: "5202"}, false, false},
		{"EmptyDivision", Scope{Kind: ScopeDivision}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.scope.Covers(c); got != tc.covers {
				t.Errorf("Covers = %v, want %v", got, tc.covers)
			}
			if got := tc.scope.OverStation(c); got != tc.over {
				t.Errorf("OverStation = %v, want %v", got, tc.over)
			}
		})
	}
	for _, st := range AllStatuses() {
		issuedOrLater := st != StatusSubmitted && st != StatusAccepted && st != StatusRejected && st != StatusCancelled
		c.Status = st
		if got := (Scope{Kind: ScopeProduction}).Covers(c); got != issuedOrLater {
			t.Errorf("production covers %s = %v", st, got)
		}
	}
}
