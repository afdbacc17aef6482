package seed

import (
	"fmt"
	"math/rand/v2"

	"github.com/gzga/idcard/backend/internal/domain"
)

// StaffAccount is a demo staff account (password from IDCARD_DEMO_PASSWORD).
// OfficeCode is the code of the office the account works at: every account
// has one (a prefecture supervisor its prefecture's bureau, the province's
// supervisor and the admin the provincial department); ScopeDivision is the division the account
// oversees or serves: a six-digit county code for station and county staff,
// a four-digit prefecture code for a prefecture supervisor, and
// domain.ProvinceCode ("52") for the production centre, the provincial supervisor
// and the admin.
type StaffAccount struct {
	Username      string
	Name          string
	Role          string
	OfficeCode    string
	ScopeDivision string
}

// Fixed seed of the staff names.
const (
	staffSeed1 = 0x475a_4944_4341_5244 // "GZIDCARD"
	staffSeed2 = 0x5354_4146_4630_3031 // "STAFF001"
)

// DemoStaff returns the demo staff accounts of openapi.yaml ("Demo data"), in this
// order: admin; supervisor (whole province); supervisor-<prefecture code> for
// each of the nine prefectures (e.g. supervisor-5201); production (the
// production centre); then for each county in code order
// station-<county code>, the station officer of the county's first station
// by code, and county-<county code>, the county reviewer of its bureau.
// Names are realistic, distinct and always the same.
func DemoStaff() ([]StaffAccount, error) {
	divs, err := Divisions()
	if err != nil {
		return nil, err
	}
	offices, err := Offices()
	if err != nil {
		return nil, err
	}
	firstStation := map[string]string{}
	for _, o := range offices { // stations of a county come in code order
		if _, ok := firstStation[o.DivisionCode]; o.Kind == KindStation && !ok {
			firstStation[o.DivisionCode] = o.Code
		}
	}

	names := newStaffNamer()
	out := []StaffAccount{
		{"admin", names.next(), string(domain.RoleAdmin), ProvincialDepartmentCode, domain.ProvinceCode},
		{"security-admin", names.next(), string(domain.RoleSecurityAdmin), ProvincialDepartmentCode, domain.ProvinceCode},
		{"audit-admin", names.next(), string(domain.RoleAuditAdmin), ProvincialDepartmentCode, domain.ProvinceCode},
		{"supervisor", names.next(), string(domain.RoleSupervisor), ProvincialDepartmentCode, domain.ProvinceCode},
	}
	for _, d := range divs {
		if d.Level == LevelPrefecture {
			pref := d.Code[:4]
			out = append(out, StaffAccount{"supervisor-" + pref, names.next(), string(domain.RoleSupervisor), BureauCode(d.Code), pref})
		}
	}
	out = append(out, StaffAccount{"production", names.next(), string(domain.RoleProductionOperator), ProductionCentreCode, domain.ProvinceCode})
	for _, d := range divs {
		if d.Level != LevelCounty {
			continue
		}
		st, ok := firstStation[d.Code]
		if !ok {
			return nil, fmt.Errorf("seed: county %s %s has no station", d.Code, d.Name)
		}
		out = append(out,
			StaffAccount{"station-" + d.Code, names.next(), string(domain.RoleStationOfficer), st, d.Code},
			StaffAccount{"county-" + d.Code, names.next(), string(domain.RoleCountyReviewer), BureauCode(d.Code), d.Code},
		)
	}
	return out, nil
}

// staffNamer draws distinct names for staff from a fixed seed.
type staffNamer struct {
	r        *rand.Rand
	surnames picker[string]
	seen     map[string]bool
}

// newStaffNamer starts the fixed sequence of staff names.
func newStaffNamer() *staffNamer {
	return &staffNamer{
		r:        rand.New(rand.NewPCG(staffSeed1, staffSeed2)),
		surnames: newPicker(surnames),
		seen:     map[string]bool{},
	}
}

// next returns a name not returned before; staff were born 1965–1999.
func (s *staffNamer) next() string {
	for {
		name := s.surnames.pick(s.r) + givenName(s.r, s.r.IntN(5) < 3, 1965+s.r.IntN(35))
		if !s.seen[name] {
			s.seen[name] = true
			return name
		}
	}
}
