package service

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// adminOfficePage is how many offices one page of the admin's list shows.
const adminOfficePage = 50

// OfficeRow is an office as the admin sees it.
type OfficeRow struct {
	ID           int64  `json:"id"`
	Code         string `json:"code"`
	Kind         string `json:"kind"`
	KindLabel    string `json:"kind_label"`
	Name         string `json:"name"`
	DivisionCode string `json:"division_code"`
	DivisionName string `json:"division_name"`
	Address      string `json:"address"`
	Phone        string `json:"phone"`
	Hours        string `json:"hours"`
	Remote       bool   `json:"remote"`
	Active       bool   `json:"active"`
}

// OfficeListQuery filters the office list; After is the code the page
// starts after.
type OfficeListQuery struct {
	Kind, Division, Q, Remote, After string
	Before                           string // the page before this code, when After is empty
}

// OfficePage is one page of offices by code.
type OfficePage struct {
	Rows []OfficeRow `json:"rows"`
	Next string      `json:"next"` // After of the next page; "" on the last
	Prev string      `json:"prev"` // Before of the page before; "" on the first
	// Total counts the matching offices of every page.
	Total int64 `json:"total"`
}

// AdminOffices lists offices by code, 50 a page. Returns FORBIDDEN for
// anyone but an admin.
func (s *Service) AdminOffices(ctx context.Context, a Actor, lq OfficeListQuery) (OfficePage, error) {
	if err := requireAdmin(a); err != nil {
		return OfficePage{}, err
	}
	f := store.OfficeFilter{Kind: lq.Kind, Division: strings.TrimSpace(lq.Division), Q: strings.TrimSpace(lq.Q),
		AfterCode: lq.After, BeforeCode: lq.Before, Limit: adminOfficePage + 1}
	if lq.Remote == "1" || lq.Remote == "0" {
		f.Remote = ptr(lq.Remote == "1")
	}
	q := s.st.Q(ctx)
	rows, err := q.ListOffices(f)
	if err != nil {
		return OfficePage{}, s.internal(ctx, "admin offices", err)
	}
	var page OfficePage
	backward := lq.After == "" && lq.Before != ""
	more := len(rows) > adminOfficePage
	switch {
	case backward && more: // by code: the extra one is the first
		rows = rows[1:]
		page.Prev = rows[0].Code
	case more:
		rows = rows[:adminOfficePage]
	}
	if len(rows) > 0 && (backward || more) {
		page.Next = rows[len(rows)-1].Code
	}
	if !backward && lq.After != "" && len(rows) > 0 {
		page.Prev = rows[0].Code
	}
	if page.Total, err = q.CountOfficesMatching(f); err != nil {
		return OfficePage{}, s.internal(ctx, "admin offices", err)
	}
	if page.Rows, err = s.officeRows(q, rows); err != nil {
		return OfficePage{}, s.internal(ctx, "admin offices", err)
	}
	return page, nil
}

func (s *Service) officeRows(q *store.Q, rows []store.Office) ([]OfficeRow, error) {
	codes := make([]string, 0, len(rows))
	for _, o := range rows {
		codes = append(codes, o.DivisionCode, divisionCode(o.DivisionCode))
	}
	names, err := q.DivisionNames(codes)
	if err != nil {
		return nil, err
	}
	out := make([]OfficeRow, 0, len(rows))
	for _, o := range rows {
		dn := names[o.DivisionCode]
		if dn == "" {
			dn = names[divisionCode(o.DivisionCode)]
		}
		out = append(out, OfficeRow{ID: o.ID, Code: o.Code, Kind: o.Kind, KindLabel: officeKindLabel(o.Kind), Name: o.Name,
			DivisionCode: o.DivisionCode, DivisionName: dn, Address: o.Address, Phone: o.Phone, Hours: o.Hours,
			Remote: o.Remote, Active: o.Active})
	}
	return out, nil
}

// AdminOffice returns one office. Returns NOT_FOUND for an unknown id.
func (s *Service) AdminOffice(ctx context.Context, a Actor, id int64) (OfficeRow, error) {
	if err := requireAdmin(a); err != nil {
		return OfficeRow{}, err
	}
	q := s.st.Q(ctx)
	o, err := q.Office(id)
	if errors.Is(err, store.ErrNotFound) {
		return OfficeRow{}, domain.Errorf(domain.CodeNotFound, "机构不存在")
	}
	if err != nil {
		return OfficeRow{}, s.internal(ctx, "admin office", err)
	}
	rows, err := s.officeRows(q, []store.Office{o})
	if err != nil {
		return OfficeRow{}, s.internal(ctx, "admin office", err)
	}
	return rows[0], nil
}

// OfficeChange is what the admin may change of an office.
type OfficeChange struct {
	Phone, Hours string
	Remote       bool
}

var phoneRe = regexp.MustCompile(`^[0-9][0-9 ()+\-/、，,转]{4,31}$`)

// AdminUpdateOffice sets an office's phone, opening hours and remote flag
// (which allows the legal extension for the cases submitted there after
// the change). Audited as office.update with the old values. Returns
// VALIDATION_FAILED for a bad field and NOT_FOUND for an unknown id.
func (s *Service) AdminUpdateOffice(ctx context.Context, a Actor, id int64, ch OfficeChange) (OfficeRow, error) {
	if err := requireAdmin(a); err != nil {
		return OfficeRow{}, err
	}
	ch.Phone = strings.TrimSpace(ch.Phone)
	hours, err := domain.CleanText("办公时间", ch.Hours, 128)
	if err != nil {
		return OfficeRow{}, err
	}
	ch.Hours = hours
	if !phoneRe.MatchString(ch.Phone) {
		return OfficeRow{}, domain.Errorf(domain.CodeValidationFailed, "电话应为数字和“-”，如 0851-87995979（最多32个字符）")
	}
	if ch.Hours == "" {
		return OfficeRow{}, domain.Errorf(domain.CodeValidationFailed, "请填写办公时间（最多128个字）")
	}
	var out OfficeRow
	err = s.st.Tx(ctx, func(q *store.Q) error {
		o, err := q.LockOffice(id)
		if errors.Is(err, store.ErrNotFound) {
			return domain.Errorf(domain.CodeNotFound, "机构不存在")
		}
		if err != nil {
			return err
		}
		before := map[string]any{"phone": o.Phone, "hours": o.Hours, "remote": o.Remote}
		o.Phone, o.Hours, o.Remote = ch.Phone, ch.Hours, ch.Remote
		if err := q.UpdateOfficeContact(&o); err != nil {
			return err
		}
		rows, err := s.officeRows(q, []store.Office{o})
		if err != nil {
			return err
		}
		out = rows[0]
		return q.AppendAudit(&store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
			Action: "office.update", ObjectType: "office", ObjectID: o.Code, IP: a.IP, Outcome: "ok",
			Detail: detail(map[string]any{"from": before, "phone": o.Phone, "hours": o.Hours, "remote": o.Remote})})
	})
	if err != nil {
		return OfficeRow{}, s.internal(ctx, "update office", err)
	}
	s.officesChanged(ctx)
	return out, nil
}

// DivisionOption is a division for a select: the province, a prefecture or
// a county, with its code prefix.
type DivisionOption struct {
	Prefix string `json:"prefix"`
	Name   string `json:"name"`
	Level  int    `json:"level"`
}

// DivisionOptions lists the province, its prefectures and counties as code
// prefixes (52, 5201, 520102), in code order, for the admin's selects.
func (s *Service) DivisionOptions(ctx context.Context) ([]DivisionOption, error) {
	ds, err := s.st.Q(ctx).AllDivisions()
	if err != nil {
		return nil, s.internal(ctx, "divisions", err)
	}
	out := make([]DivisionOption, 0, len(ds))
	for _, d := range ds {
		p := d.Code
		switch d.Level {
		case 1:
			p = d.Code[:2]
		case 2:
			p = d.Code[:4]
		}
		out = append(out, DivisionOption{Prefix: p, Name: d.Name, Level: d.Level})
	}
	return out, nil
}

// OfficeOptions lists the active offices of the kinds staff work at, for
// the security administrator's office picker on the account pages.
func (s *Service) OfficeOptions(ctx context.Context, a Actor) ([]OfficeRow, error) {
	if err := requireSecurityAdmin(a); err != nil {
		return nil, err
	}
	q := s.st.Q(ctx)
	var out []OfficeRow
	for _, k := range []string{store.OfficeProductionCentre, store.OfficeCountyBureau, store.OfficeStation} {
		os, err := q.OfficesByKind(k, "")
		if err != nil {
			return nil, s.internal(ctx, "office options", err)
		}
		for _, o := range os {
			out = append(out, OfficeRow{ID: o.ID, Code: o.Code, Kind: o.Kind, KindLabel: officeKindLabel(o.Kind), Name: o.Name})
		}
	}
	return out, nil
}
