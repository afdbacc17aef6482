package service

import (
	"context"
	"errors"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// ApplicationView is what the applicant asked for, beyond the CaseView, as
// the staff case page shows it.
type ApplicationView struct {
	PhotoID         *int64
	PhotoReceiptNo  *string
	StationCounty   string // 贵阳市南明区
	HouseholdCounty string
	MailCounty      string
	SignedBy        *string
	ExtensionReason *string
	Remote          bool
}

// CaseActions says which action forms the actor may use on the case in its
// current status; the service checks everything again when a form is sent.
type CaseActions struct {
	Precheck, Review, Produce, Ship, Deliver, Arrive, Reopen bool
	// TrackingRequired: the mail route ships only with an S10 number.
	TrackingRequired bool
	// Extend is the extension form; ExtendBlocked explains to a supervisor
	// why an open case cannot be extended.
	Extend         bool
	ExtendDaysLeft int
	ExtendBlocked  string
	IssueTemporary bool
}

// Any reports whether any form is open to the actor.
func (ca CaseActions) Any() bool {
	return ca.Precheck || ca.Review || ca.Produce || ca.Ship || ca.Deliver || ca.Arrive || ca.Reopen ||
		ca.Extend || ca.ExtendBlocked != "" || ca.IssueTemporary
}

// CasePageView is everything the staff case page shows.
type CasePageView struct {
	Case        CaseView
	Person      PersonView
	Full        bool // Person is unmasked (and the view was audited)
	Application ApplicationView
	Actions     CaseActions
	Fraud       *FraudPanel // county reviewers only
	Temporary   *TemporaryCardView
	Guardian    *GuardianView // 监护人代办: the guardian who applied for the child
}

// StaffCasePage loads the case page of a case in the actor's jurisdiction:
// the case with its timeline, the registry record (masked, or in full when
// full is set, which is audited as person.view_full), the action forms open
// to the actor and, for a county reviewer, the anti-fraud panel. Every view
// is audited as case.view. Returns FORBIDDEN for roles that see no cases and
// NOT_FOUND outside the jurisdiction.
func (s *Service) StaffCasePage(ctx context.Context, a Actor, no string, full bool) (CasePageView, error) {
	if _, err := scopeFilter(a); err != nil {
		return CasePageView{}, err
	}
	c, err := s.ownCase(ctx, a, no)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound {
			s.auditDenied(ctx, a, "view", no, "jurisdiction")
		}
		return CasePageView{}, err
	}
	q := s.st.Q(ctx)
	v, err := s.loadView(q, &c, true)
	if err != nil {
		return CasePageView{}, s.internal(ctx, "case page", err)
	}
	p, err := q.Person(c.PersonID)
	if err != nil {
		return CasePageView{}, s.internal(ctx, "case page", err)
	}
	page := CasePageView{Case: v, Person: personView(p), Full: full}
	if page.Guardian, err = guardianOf(q, &c); err != nil {
		return CasePageView{}, s.internal(ctx, "case page", err)
	}
	if page.Application, err = s.applicationView(q, &c); err != nil {
		return CasePageView{}, s.internal(ctx, "case page", err)
	}
	if t, err := q.TemporaryCardOfCase(c.ID); err == nil {
		tv := temporaryView(c.No, t)
		page.Temporary = &tv
	} else if !errors.Is(err, store.ErrNotFound) {
		return CasePageView{}, s.internal(ctx, "case page", err)
	}
	page.Actions = s.caseActions(a, &c, page.Temporary)
	if seesFraudPanel(a.Role) {
		fp, err := s.fraudPanel(q, &c, p, page.Application)
		if err != nil {
			return CasePageView{}, s.internal(ctx, "fraud panel", err)
		}
		page.Fraud = &fp
	}
	if err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "case.view", ObjectType: "case", ObjectID: no, IP: a.IP, Outcome: "ok", Detail: "{}"}); err != nil {
		return CasePageView{}, s.internal(ctx, "case page audit", err)
	}
	if full {
		if page.Person, err = s.StaffPersonFull(ctx, a, no); err != nil {
			return CasePageView{}, err
		}
	}
	return page, nil
}

// StaffPersonFull returns the registry record of a case's person with the
// full ID number and address, and writes the audit entry person.view_full
// (docs/architecture.md: each unmasked view is audited). Returns FORBIDDEN for roles
// that see no cases and NOT_FOUND outside the jurisdiction.
func (s *Service) StaffPersonFull(ctx context.Context, a Actor, no string) (PersonView, error) {
	if _, err := scopeFilter(a); err != nil {
		return PersonView{}, err
	}
	c, err := s.ownCase(ctx, a, no)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound {
			s.auditDenied(ctx, a, "view_full", no, "jurisdiction")
		}
		return PersonView{}, err
	}
	p, err := s.st.Q(ctx).Person(c.PersonID)
	if err != nil {
		return PersonView{}, s.internal(ctx, "person full", err)
	}
	if err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "person.view_full", ObjectType: "case", ObjectID: no, IP: a.IP, Outcome: "ok",
		Detail: detail(map[string]any{"person_id": p.ID, "fields": []string{"id_number", "address"}})}); err != nil {
		return PersonView{}, s.internal(ctx, "person full audit", err)
	}
	v := personView(p)
	v.IDNumber, v.Address = p.IDNumber, p.Address
	return v, nil
}

// applicationView reads the application's extras: photo, places by name.
func (s *Service) applicationView(q *store.Q, c *store.Case) (ApplicationView, error) {
	names := divisionNamer{q: q, cache: map[string]string{}}
	av := ApplicationView{PhotoID: c.PhotoID, PhotoReceiptNo: c.PhotoReceiptNo, SignedBy: c.SignedBy,
		ExtensionReason: c.ExtensionReason, Remote: c.Remote}
	var err error
	if av.StationCounty, err = names.county(c.StationDivision); err != nil {
		return av, err
	}
	if av.HouseholdCounty, err = names.county(c.HouseholdDivision); err != nil {
		return av, err
	}
	if c.MailDivisionCode != nil {
		if av.MailCounty, err = names.county(*c.MailDivisionCode); err != nil {
			return av, err
		}
	}
	return av, nil
}

// caseActions decides the forms: the role of the transition table, the
// status and route, and the jurisdiction the service will check.
func (s *Service) caseActions(a Actor, c *store.Case, temp *TemporaryCardView) CaseActions {
	seen, over := a.canSee(c), supervisorOverStation(a)(c)
	can := func(act domain.Action, access bool) bool {
		if !access || domain.CheckRole(act, a.Role) != nil {
			return false
		}
		_, err := domain.Next(act, domain.Status(c.Status), domain.Collection(c.Collection))
		return err == nil
	}
	ca := CaseActions{
		Precheck: can(domain.ActionPrecheckApprove, seen), Review: can(domain.ActionReviewApprove, seen),
		Produce: can(domain.ActionProduce, seen), Ship: can(domain.ActionShip, seen),
		Deliver: can(domain.ActionDeliver, seen), Arrive: can(domain.ActionArrive, seen),
		Reopen:           can(domain.ActionReopenPickup, over),
		TrackingRequired: c.Collection == string(domain.CollectionMail),
		IssueTemporary:   a.Role == domain.RoleCountyReviewer && seen && temp != nil && temp.Status == "requested",
	}
	left := calendar.MaxExtensionDays - c.ExtensionDays
	switch {
	case !can(domain.ActionExtend, seen):
	case !over:
		ca.ExtendBlocked = "受理派出所不在您的辖区内，延长办理期限须由受理派出所所属辖区的监督人员办理。"
	case !c.Remote:
		ca.ExtendBlocked = "受理派出所不属于边远、交通不便地区。依《居民身份证法》第十一条，仅此类地区可延长办理期限，本办件不能延长。"
	case left <= 0:
		ca.ExtendBlocked = "本办件已延长30日，达到法定上限，不能再延长。"
	default:
		ca.Extend, ca.ExtendDaysLeft = true, left
	}
	return ca
}

// divisionNamer names county-level divisions with their prefecture.
type divisionNamer struct {
	q     *store.Q
	cache map[string]string
}

// county returns e.g. 贵阳市南明区 for 520102; an unknown code is itself.
func (n divisionNamer) county(code string) (string, error) {
	if v, ok := n.cache[code]; ok {
		return v, nil
	}
	d, err := n.q.Division(code)
	if errors.Is(err, store.ErrNotFound) {
		n.cache[code] = code
		return code, nil
	}
	if err != nil {
		return "", err
	}
	name := d.Name
	if d.ParentCode != nil && len(code) == 6 && d.Level == 3 {
		if pd, err := n.q.Division(*d.ParentCode); err == nil && pd.Level == 2 {
			name = pd.Name + d.Name
		}
	}
	n.cache[code] = name
	return name, nil
}
