package service

import (
	"context"
	"sort"
	"strconv"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// CaseListRow is one row of the staff case list page: the case and the
// masked name of its person.
type CaseListRow struct {
	CaseView
	HolderMasked string
}

// CaseListPage is one page of the staff case list.
type CaseListPage struct {
	Rows                   []CaseListRow
	NextCursor, PrevCursor *string
	Total                  int64 // the cases of every page
}

// StaffCaseList is StaffCases with the masked name of each case's person
// and the count of every page.
// Returns FORBIDDEN for roles that see no cases and VALIDATION_FAILED for a
// bad filter or cursor.
func (s *Service) StaffCaseList(ctx context.Context, a Actor, cq CaseQuery) (CaseListPage, error) {
	page, err := s.StaffCases(ctx, a, cq)
	if err != nil {
		return CaseListPage{}, err
	}
	nos := make([]string, 0, len(page.Items))
	for _, v := range page.Items {
		nos = append(nos, v.No)
	}
	names, err := s.st.Q(ctx).CaseHolderNames(nos)
	if err != nil {
		return CaseListPage{}, s.internal(ctx, "case list names", err)
	}
	total, err := s.StaffCaseCount(ctx, a, cq)
	if err != nil {
		return CaseListPage{}, err
	}
	out := CaseListPage{Rows: make([]CaseListRow, 0, len(page.Items)), NextCursor: page.NextCursor, PrevCursor: page.PrevCursor, Total: total}
	for _, v := range page.Items {
		out.Rows = append(out.Rows, CaseListRow{CaseView: v, HolderMasked: pii.MaskName(names[v.No])})
	}
	return out, nil
}

// DivisionRef names a division.
type DivisionRef struct {
	Code string
	Name string
}

// StationGroup is the stations of one county, for a filter.
type StationGroup struct {
	County   DivisionRef
	Stations []DivisionRef // Code holds the office id
}

// CaseListOptions are the choices of the list filters that depend on the
// actor: a supervisor filters by county and by station within its division.
type CaseListOptions struct {
	Counties []DivisionRef
	Stations []StationGroup
	// StationsNeedCounty says the division has too many stations to list
	// them all: a county must be chosen first.
	StationsNeedCounty bool
	Statuses           []domain.Status
	// ScopeName names a supervisor's division (贵阳市, 贵州省).
	ScopeName string
}

// maxStationOptions bounds the stations a filter lists without a county.
const maxStationOptions = 200

// StaffCaseListOptions returns the filter choices of the actor; county, when
// set, narrows the stations offered to that county.
func (s *Service) StaffCaseListOptions(ctx context.Context, a Actor, county string) (CaseListOptions, error) {
	if _, err := scopeFilter(a); err != nil {
		return CaseListOptions{}, err
	}
	var o CaseListOptions
	for _, st := range domain.AllStatuses() {
		if a.Role != domain.RoleProductionOperator || domain.IsProductionStatus(st) {
			o.Statuses = append(o.Statuses, st)
		}
	}
	if a.Role != domain.RoleSupervisor {
		return o, nil
	}
	q := s.st.Q(ctx)
	code := a.ScopeDivision
	for len(code) < 6 {
		code += "0"
	}
	if d, err := q.Division(code); err == nil {
		o.ScopeName = d.Name
	}
	divs, err := q.CountiesUnder(a.ScopeDivision)
	if err != nil {
		return o, s.internal(ctx, "list options", err)
	}
	names := map[string]string{}
	for _, d := range divs {
		o.Counties = append(o.Counties, DivisionRef{Code: d.Code, Name: d.Name})
		names[d.Code] = d.Name
	}
	prefix := a.ScopeDivision
	if county != "" && names[county] != "" {
		prefix = county
	}
	stations, err := q.OfficesByKind(store.OfficeStation, prefix)
	if err != nil {
		return o, s.internal(ctx, "list options", err)
	}
	sort.SliceStable(stations, func(i, j int) bool { return stations[i].DivisionCode < stations[j].DivisionCode })
	if len(stations) > maxStationOptions {
		o.StationsNeedCounty = true
		return o, nil
	}
	for _, st := range stations {
		if n := len(o.Stations); n == 0 || o.Stations[n-1].County.Code != st.DivisionCode {
			o.Stations = append(o.Stations, StationGroup{County: DivisionRef{Code: st.DivisionCode, Name: names[st.DivisionCode]}})
		}
		g := &o.Stations[len(o.Stations)-1]
		g.Stations = append(g.Stations, DivisionRef{Code: strconv.FormatInt(st.ID, 10), Name: st.Name})
	}
	return o, nil
}
