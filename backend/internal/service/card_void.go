package service

import (
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// The lost card of a loss replacement (丢失补领): accepting the case
// declares it invalid, so no one can use a card reported lost; a case that
// then ends without a new card being made (rejected at review, e.g. as an
// impostor's application) gives the person's card back, or the person
// would be left with no valid card and locked out of every procedure.

// voidLostCard declares the person's card invalid when c, a loss
// replacement, is accepted, and remembers on c that it did.
func voidLostCard(q *store.Q, c *store.Case, now time.Time) error {
	if c.Kind != string(domain.KindLossReplacement) {
		return nil
	}
	c.CardVoidedAt = &now
	return q.SetCardValid(c.PersonID, false)
}

// restoresCard reports whether c, having entered status to, gives back the
// card its acceptance declared invalid: it ended before production.
func restoresCard(c *store.Case, to domain.Status) bool {
	return c.CardVoidedAt != nil && to.IsFinal() && c.ProducedAt == nil
}

// restoreVoidedCard makes the person's card valid again, on the case's
// timeline and in the audit log.
func (s *Service) restoreVoidedCard(q *store.Q, a Actor, c *store.Case, now time.Time) error {
	if err := q.SetCardValid(c.PersonID, true); err != nil {
		return err
	}
	note := "本次补领未制证，受理时声明作废的原居民身份证恢复有效"
	if err := q.InsertEvents(&store.CaseEvent{CaseID: c.ID, Action: string(domain.EventCardRestored), ToStatus: c.Status,
		ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, OfficeID: a.officePtr(), Note: &note, At: now}); err != nil {
		return err
	}
	return q.AppendAudit(&store.AuditEntry{At: now, ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name,
		Role: string(a.Role), Action: "card.restore", ObjectType: "case", ObjectID: c.No, IP: a.IP, Outcome: "ok",
		Detail: detail(map[string]any{"person_id": c.PersonID, "voided_at": fmtTime(*c.CardVoidedAt)})})
}
