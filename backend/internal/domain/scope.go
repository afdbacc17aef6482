package domain

import "strings"

// OfficeKind is the kind of an office. The string values are stored in the
// offices table.
type OfficeKind string

// Office kinds that act on cases.
const (
	// OfficeStation is a police station (派出所): accepts applications and
	// hands cards over.
	OfficeStation OfficeKind = "station"
	// OfficeCountyBureau is a county-level public security bureau: reviews
	// and issues for the persons registered in its county.
	OfficeCountyBureau OfficeKind = "county_bureau"
	// OfficeProductionCentre is the provincial card production centre.
	OfficeProductionCentre OfficeKind = "production_centre"
)

// Office kinds where supervisors and the admin work; they act on no case
// themselves.
const (
	// OfficePrefectureBureau is a prefecture's bureau (市(州)公安局).
	OfficePrefectureBureau OfficeKind = "prefecture_bureau"
	// OfficeProvincialDepartment is the provincial department (省公安厅).
	OfficeProvincialDepartment OfficeKind = "provincial_department"
)

// ProvinceCode is the two-digit GB/T 2260 code of Guizhou: the division of
// the province-wide offices and of the provincial supervisor's scope. Every
// station lies in the province, so that scope holds every case.
const ProvinceCode = "52"

// ScopeKind says which rule of docs/architecture.md a Scope applies.
type ScopeKind string

// Scope kinds. The zero kind, ScopeNone, sees no case.
const (
	// ScopeNone sees nothing: roles that do not work on cases.
	ScopeNone ScopeKind = ""
	// ScopeAll sees every case: the system's own jobs.
	ScopeAll ScopeKind = "all"
	// ScopeApplicant sees the cases the applicant account ID filed.
	ScopeApplicant ScopeKind = "applicant"
	// ScopeStation sees the cases that chose the station ID.
	ScopeStation ScopeKind = "station"
	// ScopeHousehold sees the cases of persons registered in the county
	// Division (the reviewing county of docs/procedure.md).
	ScopeHousehold ScopeKind = "household"
	// ScopeProduction sees the cases in ProductionStatuses.
	ScopeProduction ScopeKind = "production"
	// ScopeDivision sees the cases under the division prefix Division: the
	// chosen station is there, or the person is registered there (so a
	// supervisor oversees both the stations and the county bureaus of its
	// area).
	ScopeDivision ScopeKind = "division"
)

// Scope is a jurisdiction: which cases an actor may list and open. It is the
// one value from which both the check on a single case (Covers) and the
// store's list filter are derived, so the two cannot disagree.
type Scope struct {
	Kind ScopeKind
	// ID is the applicant account (ScopeApplicant) or the station office
	// (ScopeStation).
	ID int64
	// Division is a county code (ScopeHousehold) or a division prefix
	// such as 52 or 5201 (ScopeDivision).
	Division string
}

// CaseRef is what jurisdiction looks at in a case.
type CaseRef struct {
	ApplicantID       int64
	StationID         int64
	StationDivision   string
	HouseholdDivision string
	Status            Status
}

// ProductionStatuses are the statuses the production centre works on or
// sees: issued and everything after it.
func ProductionStatuses() []Status {
	return []Status{StatusIssued, StatusProduced, StatusShipped, StatusReadyForPickup,
		StatusCollected, StatusDelivered, StatusUncollected}
}

// IsProductionStatus reports whether s is one of ProductionStatuses.
func IsProductionStatus(s Status) bool {
	for _, p := range ProductionStatuses() {
		if p == s {
			return true
		}
	}
	return false
}

// StaffOffice is what jurisdiction needs to know of a staff member.
type StaffOffice struct {
	Role       Role
	OfficeID   int64
	OfficeKind OfficeKind
	// OfficeDivision is the office's county code.
	OfficeDivision string
	// ScopeDivision is the division prefix a supervisor oversees.
	ScopeDivision string
}

// StaffScope returns the jurisdiction of a staff member (docs/architecture.md): a
// station officer sees its station's cases, a county reviewer those of its
// household-registration county, the production centre issued cases and
// later, a supervisor those under its division. A role without cases, or a
// member without the office the role needs, gets ScopeNone.
func StaffScope(s StaffOffice) Scope {
	switch s.Role {
	case RoleStationOfficer:
		if s.OfficeKind == OfficeStation && s.OfficeID != 0 {
			return Scope{Kind: ScopeStation, ID: s.OfficeID}
		}
	case RoleCountyReviewer:
		if s.OfficeKind == OfficeCountyBureau && s.OfficeDivision != "" {
			return Scope{Kind: ScopeHousehold, Division: s.OfficeDivision}
		}
	case RoleProductionOperator:
		if s.OfficeKind == OfficeProductionCentre {
			return Scope{Kind: ScopeProduction}
		}
	case RoleSupervisor:
		if s.ScopeDivision != "" {
			return Scope{Kind: ScopeDivision, Division: s.ScopeDivision}
		}
	}
	return Scope{}
}

// Whole reports whether the scope is the whole province's: the
// provincial supervisor's, which sees every case (every station lies in
// the province), so a list needs no jurisdiction condition at all.
func (s Scope) Whole() bool { return s.Kind == ScopeDivision && s.Division == ProvinceCode }

// SeesCases reports whether the scope can hold any case at all.
func (s Scope) SeesCases() bool { return s.Kind != ScopeNone }

// Covers reports whether the case is in the scope.
func (s Scope) Covers(c CaseRef) bool {
	switch s.Kind {
	case ScopeAll:
		return true
	case ScopeApplicant:
		return s.ID != 0 && c.ApplicantID == s.ID
	case ScopeStation:
		return s.ID != 0 && c.StationID == s.ID
	case ScopeHousehold:
		return s.Division != "" && c.HouseholdDivision == s.Division
	case ScopeProduction:
		return IsProductionStatus(c.Status)
	case ScopeDivision:
		if s.Whole() {
			return true
		}
		return s.Division != "" &&
			(strings.HasPrefix(c.StationDivision, s.Division) || strings.HasPrefix(c.HouseholdDivision, s.Division))
	}
	return false
}

// OverStation reports whether the case's station lies under a division
// scope: the jurisdiction of a supervisor's extension and re-opened pickup
// (docs/procedure.md, "supervisor over the station"), narrower than Covers, which
// also admits cases by the person's household.
func (s Scope) OverStation(c CaseRef) bool {
	return s.Kind == ScopeDivision && s.Division != "" && strings.HasPrefix(c.StationDivision, s.Division)
}
