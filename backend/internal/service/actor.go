package service

import (
	"context"
	"errors"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// Actor is who acts: an applicant, a staff member, or the system's jobs.
type Actor struct {
	Kind          string // applicant, staff, system
	ID            int64
	Name          string
	Role          domain.Role
	OfficeID      int64  // staff of an office
	OfficeKind    string // station, county_bureau, production_centre
	OfficeDiv     string // the office's division (a county code)
	ScopeDivision string // supervisors: prefix of the divisions they oversee
	IP            string
}

// Actor kinds.
const (
	ActorApplicant = "applicant"
	ActorStaff     = "staff"
	ActorSystem    = "system"
)

// SystemActor is the background jobs.
func SystemActor() Actor {
	return Actor{Kind: ActorSystem, Name: "系统", Role: domain.RoleSystem}
}

// ApplicantActor is an applicant account.
func ApplicantActor(id int64, ip string) Actor {
	return Actor{Kind: ActorApplicant, ID: id, Role: domain.RoleApplicant, IP: ip}
}

// StaffActor loads a staff account with its office. Returns UNAUTHENTICATED
// for an unknown or disabled account.
func (s *Service) StaffActor(ctx context.Context, staffID int64, ip string) (Actor, error) {
	a, _, err := s.StaffSession(ctx, staffID, ip)
	return a, err
}

// StaffSession loads a signed-in staff member once per request: the actor
// the use cases check, and the description the pages show. Returns
// UNAUTHENTICATED for an unknown or disabled account.
func (s *Service) StaffSession(ctx context.Context, staffID int64, ip string) (Actor, StaffMe, error) {
	q := s.st.Q(ctx)
	st, err := q.StaffByID(staffID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !st.Active) {
		return Actor{}, StaffMe{}, domain.E(domain.CodeUnauthenticated)
	}
	if err != nil {
		return Actor{}, StaffMe{}, s.internal(ctx, "staff actor", err)
	}
	a := Actor{Kind: ActorStaff, ID: st.ID, Name: st.Name, Role: domain.Role(st.Role), ScopeDivision: st.ScopeDivision, IP: ip}
	m := StaffMe{Username: st.Username, Name: st.Name, Role: st.Role, RoleName: domain.Role(st.Role).Label(), Scope: st.ScopeDivision}
	if st.OfficeID != nil {
		off, err := q.Office(*st.OfficeID)
		if err != nil {
			return Actor{}, StaffMe{}, s.internal(ctx, "staff office", err)
		}
		a.OfficeID, a.OfficeKind, a.OfficeDiv = off.ID, off.Kind, off.DivisionCode
		m.Office = &OfficeBrief{ID: off.ID, Code: off.Code, Name: off.Name, Kind: off.Kind, DivisionCode: off.DivisionCode}
	}
	return a, m, nil
}

func (a Actor) idPtr() *int64 {
	if a.ID == 0 {
		return nil
	}
	return &a.ID
}

func (a Actor) officePtr() *int64 {
	if a.OfficeID == 0 {
		return nil
	}
	return &a.OfficeID
}

// productionStatuses are the statuses the production centre works on or sees.
var productionStatuses = map[string]bool{
	string(domain.StatusIssued): true, string(domain.StatusProduced): true, string(domain.StatusShipped): true,
	string(domain.StatusReadyForPickup): true, string(domain.StatusCollected): true,
	string(domain.StatusDelivered): true, string(domain.StatusUncollected): true,
}

// canSee is the jurisdiction rule of DESIGN §5: a station sees the cases that
// chose it, a county reviewer those of its household-registration county,
// the production centre issued cases and later, a supervisor those under its
// division, an applicant only its own.
func (a Actor) canSee(c *store.Case) bool {
	switch a.Role {
	case domain.RoleApplicant:
		return c.ApplicantID == a.ID
	case domain.RoleStationOfficer:
		return a.OfficeKind == store.OfficeStation && c.StationID == a.OfficeID
	case domain.RoleCountyReviewer:
		return a.OfficeKind == store.OfficeCountyBureau && c.HouseholdDivision == a.OfficeDiv
	case domain.RoleProductionOperator:
		return a.OfficeKind == store.OfficeProductionCentre && productionStatuses[c.Status]
	case domain.RoleSupervisor:
		return a.ScopeDivision != "" && (strings.HasPrefix(c.StationDivision, a.ScopeDivision) || strings.HasPrefix(c.HouseholdDivision, a.ScopeDivision))
	case domain.RoleSystem:
		return true
	}
	return false
}
