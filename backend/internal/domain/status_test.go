package domain

import "testing"

func TestStatuses(t *testing.T) {
	final := map[Status]bool{StatusCollected: true, StatusDelivered: true, StatusRejected: true, StatusCancelled: true}
	labels := map[string]bool{}
	if len(AllStatuses()) != 11 {
		t.Fatalf("got %d statuses, want 11", len(AllStatuses()))
	}
	for _, s := range AllStatuses() {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
		if s.IsFinal() != final[s] || s.IsOpen() == final[s] {
			t.Errorf("%s: IsFinal=%v IsOpen=%v", s, s.IsFinal(), s.IsOpen())
		}
		l := s.Label()
		if l == string(s) || labels[l] || !containsHan(l) {
			t.Errorf("%s: bad or duplicate label %q", s, l)
		}
		labels[l] = true
	}
	for _, s := range []Status{"", "SUBMITTED", "done"} {
		if s.Valid() || s.IsOpen() || s.IsFinal() {
			t.Errorf("%q should be invalid, neither open nor final", s)
		}
	}
	if StatusReadyForPickup.Label() != "待领取" || StatusUncollected.Label() != "逾期未领取" {
		t.Error("unexpected labels")
	}
}

func TestCollections(t *testing.T) {
	for _, c := range AllCollections() {
		if !c.Valid() || !containsHan(c.Label()) {
			t.Errorf("%s: valid=%v label=%q", c, c.Valid(), c.Label())
		}
	}
	if Collection("ems").Valid() || Collection("").Valid() {
		t.Error("unknown collections must be invalid")
	}
}

func TestRoles(t *testing.T) {
	staff := map[Role]bool{RoleStationOfficer: true, RoleCountyReviewer: true, RoleProductionOperator: true, RoleSupervisor: true, RoleAdmin: true, RoleSecurityAdmin: true, RoleAuditAdmin: true}
	labels := map[string]bool{}
	if len(AllRoles()) != 9 {
		t.Fatalf("got %d roles", len(AllRoles()))
	}
	for _, r := range AllRoles() {
		if !r.Valid() || r.IsStaff() != staff[r] {
			t.Errorf("%s: valid=%v staff=%v", r, r.Valid(), r.IsStaff())
		}
		if l := r.Label(); labels[l] || !containsHan(l) {
			t.Errorf("%s: bad or duplicate label %q", r, l)
		}
		labels[r.Label()] = true
	}
	if Role("root").Valid() || Role("").IsStaff() {
		t.Error("unknown roles must be invalid")
	}
}
