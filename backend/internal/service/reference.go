package service

import (
	"context"
	"errors"
	"regexp"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// OfficeView is an office as the applicant picks it.
type OfficeView struct {
	ID           int64  `json:"id"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	DivisionCode string `json:"division_code"`
	Address      string `json:"address"`
	Phone        string `json:"phone"`
	Hours        string `json:"hours"`
	Remote       bool   `json:"remote"`
}

var divisionPrefixRe = regexp.MustCompile(`^52([0-9]{2}){0,2}$`)

// Offices lists active offices of a kind whose division starts with prefix
// (52, 5201, 520102). Returns VALIDATION_FAILED for another kind or prefix.
func (s *Service) Offices(ctx context.Context, kind, prefix string) ([]OfficeView, error) {
	if kind == "" {
		kind = store.OfficeStation
	}
	switch kind {
	case store.OfficeStation, store.OfficeCountyBureau, store.OfficeProductionCentre:
	default:
		return nil, domain.Errorf(domain.CodeValidationFailed, "kind 只能是 station、county_bureau 或 production_centre")
	}
	if prefix != "" && !divisionPrefixRe.MatchString(prefix) {
		return nil, domain.Errorf(domain.CodeValidationFailed, "division 应为贵州省行政区划代码（如 52、5201、520102）")
	}
	if len(prefix) == 6 && prefix[4:] == "00" { // 520100 means the prefecture 5201
		prefix = prefix[:4]
	}
	os, err := s.st.Q(ctx).OfficesByKind(kind, prefix)
	if err != nil {
		return nil, s.internal(ctx, "offices", err)
	}
	out := make([]OfficeView, 0, len(os))
	for _, o := range os {
		out = append(out, OfficeView{ID: o.ID, Code: o.Code, Name: o.Name, DivisionCode: o.DivisionCode,
			Address: o.Address, Phone: o.Phone, Hours: o.Hours, Remote: o.Remote})
	}
	return out, nil
}

// DivisionView is one division of the prefecture → county cascade.
type DivisionView struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// Divisions lists the children of parent (default 520000, the province:
// its prefectures; a prefecture's code gives its counties).
func (s *Service) Divisions(ctx context.Context, parent string) ([]DivisionView, error) {
	if parent == "" || parent == domain.ProvinceCode {
		parent = "520000"
	}
	if len(parent) == 4 {
		parent += "00"
	}
	if !divisionPrefixRe.MatchString(parent) || len(parent) != 6 {
		return nil, domain.Errorf(domain.CodeValidationFailed, "parent 应为6位行政区划代码")
	}
	ds, err := s.st.Q(ctx).Divisions(parent)
	if err != nil {
		return nil, s.internal(ctx, "divisions", err)
	}
	out := make([]DivisionView, 0, len(ds))
	for _, d := range ds {
		out = append(out, DivisionView{Code: d.Code, Name: d.Name, Level: d.Level})
	}
	return out, nil
}

// KindOption is one application kind with its fee and whether the person may
// apply online now.
type KindOption struct {
	Kind       string  `json:"kind"`
	Label      string  `json:"label"`
	FeeYuan    int     `json:"fee_yuan"`
	Eligible   bool    `json:"eligible"`
	Reason     *string `json:"reason"`
	NeedsPhoto bool    `json:"needs_photo"`
}

// Eligibility answers which kinds the bound person may apply for.
type Eligibility struct {
	Kinds         []KindOption `json:"kinds"`
	CardExpiresOn *string      `json:"card_expires_on"`
	CardLongTerm  bool         `json:"card_long_term"`
}

// Eligibility checks every kind against the current card of the person an
// application would be for: the bound person, or the ward of the binding
// wardID. Returns NOT_BOUND before identity binding, VALIDATION_FAILED for
// a binding that is not the account's and WARD_TOO_OLD.
func (s *Service) Eligibility(ctx context.Context, a Actor, wardID *int64) (Eligibility, error) {
	q := s.st.Q(ctx)
	ap, err := q.Applicant(a.ID)
	if err != nil {
		return Eligibility{}, s.internal(ctx, "eligibility", err)
	}
	if ap.PersonID == nil {
		return Eligibility{}, domain.E(domain.CodeNotBound)
	}
	p, _, err := s.wardPerson(q, a, *ap.PersonID, wardID)
	if err != nil {
		return Eligibility{}, s.internal(ctx, "eligibility", err)
	}
	card := p.Card()
	out := Eligibility{CardExpiresOn: datePtr(p.CardExpiresOn), CardLongTerm: p.CardIssuedOn != nil && p.CardExpiresOn == nil}
	today := s.now().In(calendar.Location())
	for _, k := range domain.AllKinds() {
		o := KindOption{Kind: string(k), Label: k.Label(), FeeYuan: k.FeeYuan(), Eligible: true, NeedsPhoto: k.NeedsPhoto()}
		if err := domain.CheckEligible(k, card, today); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				return Eligibility{}, s.internal(ctx, "eligibility", err)
			}
			o.Eligible, o.Reason = false, &de.Message
		}
		out.Kinds = append(out.Kinds, o)
	}
	return out, nil
}

// NotificationView is an in-app message.
type NotificationView struct {
	ID        int64  `json:"id"`
	CaseNo    string `json:"case_no"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	Read      bool   `json:"read"`
}

// Notifications lists the actor's messages, newest first.
func (s *Service) Notifications(ctx context.Context, a Actor) ([]NotificationView, error) {
	ns, err := s.st.Q(ctx).Notifications(a.Kind, a.ID, 100)
	if err != nil {
		return nil, s.internal(ctx, "notifications", err)
	}
	out := make([]NotificationView, 0, len(ns))
	for _, n := range ns {
		out = append(out, NotificationView{ID: n.ID, CaseNo: n.CaseNo, Title: n.Title, Body: n.Body,
			CreatedAt: fmtTime(n.CreatedAt), Read: n.ReadAt != nil})
	}
	return out, nil
}

// MarkNotificationsRead marks the actor's messages read (all when ids is empty).
func (s *Service) MarkNotificationsRead(ctx context.Context, a Actor, ids []int64) error {
	if err := s.st.Q(ctx).MarkNotificationsRead(a.Kind, a.ID, ids); err != nil {
		return s.internal(ctx, "notifications read", err)
	}
	return nil
}
