package service

import (
	"context"
	"errors"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/store"
)

// step describes one action on an existing case.
type step struct {
	action  domain.Action
	version *int   // the version the client saw; nil = no check
	note    string // goes on the timeline (a reason, a tracking number)
	audit   map[string]any
	// check runs after the status is known to allow the action, before any
	// write; apply changes the case's fields. Both may be nil.
	check func(q *store.Q, c *store.Case) error
	apply func(q *store.Q, c *store.Case, now time.Time) error
	// access overrides the jurisdiction rule (nil = Actor.canSee).
	access func(c *store.Case) bool
	// done reports that the action already happened to c, so a retry of
	// it answers the case as it is and writes nothing (nil = never).
	done func(c *store.Case) bool
	// annotate, when set, gives the note and audit detail once check and
	// apply have run (what they say depends on the case).
	annotate func() (string, map[string]any)
}

// act runs one action on the case numbered no: role, jurisdiction, version,
// transition, then the case, event, audit and outbox rows in one transaction.
// Returns FORBIDDEN for a role that may not act, NOT_FOUND for a case outside
// the actor's jurisdiction, VERSION_CONFLICT for a stale version and
// INVALID_TRANSITION for an action its status does not allow.
func (s *Service) act(ctx context.Context, a Actor, no string, st step) (CaseView, error) {
	if err := domain.CheckRole(st.action, a.Role); err != nil {
		s.auditDenied(ctx, a, st.action, no, "role")
		return CaseView{}, err
	}
	var view CaseView
	denied := false
	err := s.st.Tx(ctx, func(q *store.Q) error {
		c, err := q.LockCaseByNo(no)
		if errors.Is(err, store.ErrNotFound) {
			return domain.E(domain.CodeNotFound)
		}
		if err != nil {
			return err
		}
		visible := a.canSee(&c)
		if st.access != nil {
			visible = st.access(&c)
		}
		if !visible {
			denied = true
			return domain.E(domain.CodeNotFound)
		}
		if st.done == nil || !st.done(&c) {
			if err := s.apply(q, a, &c, st); err != nil {
				return err
			}
		}
		view, err = s.loadView(q, &c, true)
		return err
	})
	if denied {
		s.auditDenied(ctx, a, st.action, no, "jurisdiction")
	}
	if err != nil {
		return CaseView{}, s.internal(ctx, string(st.action), err)
	}
	if view.PaymentStatus == string(domain.PaymentRefunded) && view.Final {
		s.sendRefunds(ctx) // the refund the transition decided
	}
	return view, nil
}

// apply does the checks and writes of one step on a locked case, inside the
// caller's transaction.
func (s *Service) apply(q *store.Q, a Actor, c *store.Case, st step) error {
	if st.version != nil && *st.version != c.Version {
		return domain.E(domain.CodeVersionConflict)
	}
	from := domain.Status(c.Status)
	to, err := domain.Next(st.action, from, domain.Collection(c.Collection))
	if err != nil {
		return err
	}
	if err := domain.CheckPaidFor(st.action, domain.Collection(c.Collection), domain.PaymentStatus(c.PaymentStatus)); err != nil {
		return err
	}
	if st.check != nil {
		if err := st.check(q, c); err != nil {
			return err
		}
	}
	now := s.now()
	due := c.StageDueAt
	if st.apply != nil {
		if err := st.apply(q, c, now); err != nil {
			return err
		}
	}
	if to != "" && to != from {
		c.Status = string(to)
		enterStatus(s.calendar(), c, to, now)
		if to == domain.StatusRejected || to == domain.StatusCancelled {
			if err := s.beginRefund(q, c); err != nil {
				return err
			}
		}
	}
	if st.annotate != nil {
		st.note, st.audit = st.annotate()
	}
	if err := q.UpdateCase(c); err != nil {
		if errors.Is(err, store.ErrStale) {
			return domain.E(domain.CodeVersionConflict)
		}
		return err
	}
	if err := s.addFlow(q, c, string(from), due, now); err != nil {
		return err
	}
	if err := s.record(q, a, c, st.action, string(from), st.note, st.audit, now); err != nil {
		return err
	}
	if to != from && restoresCard(c, to) {
		return s.restoreVoidedCard(q, a, c, now)
	}
	return nil
}

// record writes the timeline event, the audit entry and the notifications of
// an action that changed c.
func (s *Service) record(q *store.Q, a Actor, c *store.Case, action domain.Action, from, note string, audit map[string]any, now time.Time) error {
	ev := &store.CaseEvent{CaseID: c.ID, Action: string(action), ToStatus: c.Status, ActorKind: a.Kind,
		ActorID: a.idPtr(), ActorName: a.Name, OfficeID: a.officePtr(), At: now}
	if from != "" {
		ev.FromStatus = &from
	}
	if note != "" {
		ev.Note = &note
	}
	if err := q.InsertEvents(ev); err != nil {
		return err
	}
	if audit == nil {
		audit = map[string]any{}
	}
	audit["from"], audit["to"], audit["version"] = from, c.Status, c.Version
	if err := q.AppendAudit(&store.AuditEntry{At: now, ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name,
		Role: string(a.Role), Action: "case." + string(action), ObjectType: "case", ObjectID: c.No, IP: a.IP,
		Outcome: "ok", Detail: detail(audit)}); err != nil {
		return err
	}
	msgs, err := notify.Messages(q, c, action, notify.Detail{Note: note})
	if err != nil {
		return err
	}
	return q.Enqueue(now, msgs...)
}

// enterStatus sets the timestamps of the stage the case enters, then its
// due times (setDues); final statuses free the person for a new case.
func enterStatus(cal *calendar.Calendar, c *store.Case, to domain.Status, now time.Time) {
	switch to {
	case domain.StatusAccepted:
		c.AcceptedAt = ptr(now)
	case domain.StatusIssued:
		c.IssuedAt = ptr(now)
	case domain.StatusProduced:
		c.ProducedAt = ptr(now) // dispatch is bound by the production due time
	case domain.StatusShipped:
		c.ShippedAt = ptr(now)
	case domain.StatusReadyForPickup:
		// The window runs from acceptance; a card that arrives after it,
		// or a window a supervisor re-opens (it ended before the case became
		// uncollected), gets a whole new window from now (setDues).
		c.ReadyAt, c.PickupRemindedAt = ptr(now), nil
	}
	if to.IsFinal() {
		c.ActivePersonID = nil
		c.ClosedAt = ptr(now)
	}
	SetDues(cal, c)
}

// AdvanceCase applies action to c's fields at time at, as the service
// does, without writing anything (bulk seeding uses it).
func AdvanceCase(cal *calendar.Calendar, c *store.Case, action domain.Action, at time.Time) error {
	from := domain.Status(c.Status)
	to, err := domain.Next(action, from, domain.Collection(c.Collection))
	if err != nil {
		return err
	}
	if to != "" && to != from {
		c.Status = string(to)
		enterStatus(cal, c, to, at)
	}
	return nil
}

// auditDenied records a refused access in its own transaction.
func (s *Service) auditDenied(ctx context.Context, a Actor, action domain.Action, object, why string) {
	err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: "case." + string(action), ObjectType: "case", ObjectID: object, IP: a.IP, Outcome: "denied",
		Detail: detail(map[string]any{"reason": why})})
	if err != nil {
		s.log.ErrorContext(ctx, "audit of a refused access failed", "error", err)
	}
}
