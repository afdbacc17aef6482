package service

import (
	"context"
	"errors"

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
	OfficeLabel   string // the office's code and name, as audit entries name it
	IP            string
	// MustEnrolOTP is set for an account that must enrol its second factor
	// before anything else (service.Options.Production and the role's rule).
	MustEnrolOTP bool
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
	a := Actor{Kind: ActorStaff, ID: st.ID, Name: st.Name, Role: domain.Role(st.Role), ScopeDivision: st.ScopeDivision, IP: ip,
		MustEnrolOTP: s.production && domain.Role(st.Role).NeedsSecondFactor() && st.OTPEnabledAt == nil}
	m := StaffMe{OTPEnabled: st.OTPEnabledAt != nil, PasswordDue: passwordDue(st), Username: st.Username, Name: st.Name, Role: st.Role, RoleName: domain.Role(st.Role).Label(), Scope: st.ScopeDivision}
	if st.OfficeID != nil {
		off, err := s.office(ctx, q, *st.OfficeID)
		if err != nil {
			return Actor{}, StaffMe{}, s.internal(ctx, "staff office", err)
		}
		a.OfficeID, a.OfficeKind, a.OfficeDiv = off.ID, off.Kind, off.DivisionCode
		a.OfficeLabel = off.Code + " " + off.Name
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

// Scope is the actor's jurisdiction (docs/architecture.md), the one value behind both
// canSee and the staff lists' filter.
func (a Actor) Scope() domain.Scope {
	switch a.Role {
	case domain.RoleApplicant:
		return domain.Scope{Kind: domain.ScopeApplicant, ID: a.ID}
	case domain.RoleSystem:
		return domain.Scope{Kind: domain.ScopeAll}
	}
	return domain.StaffScope(domain.StaffOffice{Role: a.Role, OfficeID: a.OfficeID, OfficeKind: domain.OfficeKind(a.OfficeKind),
		OfficeDivision: a.OfficeDiv, ScopeDivision: a.ScopeDivision})
}

// caseRef is what jurisdiction looks at in a case.
func caseRef(c *store.Case) domain.CaseRef {
	return domain.CaseRef{ApplicantID: c.ApplicantID, StationID: c.StationID, StationDivision: c.StationDivision,
		HouseholdDivision: c.HouseholdDivision, Status: domain.Status(c.Status)}
}

// canSee reports whether the case is in the actor's jurisdiction.
func (a Actor) canSee(c *store.Case) bool {
	return a.Scope().Covers(caseRef(c))
}
