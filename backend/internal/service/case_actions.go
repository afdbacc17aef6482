package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// Decision is a pre-check or review outcome.
type Decision struct {
	Approve bool
	Reason  string
	Version *int
}

// maxReason bounds free-text reasons (the column holds 500 characters).
const maxReason = 200

// cleanReason is a reason as domain.CleanText keeps it; "" when none was
// given (the action says whether one is required).
func cleanReason(r string) (string, error) { return domain.CleanText("原因", r, maxReason) }

// decide runs a pre-check or review decision.
func (s *Service) decide(ctx context.Context, a Actor, no string, d Decision, approve, reject domain.Action) (CaseView, error) {
	reason, err := cleanReason(d.Reason)
	if err != nil {
		return CaseView{}, err
	}
	st := step{action: approve, version: d.Version}
	if !d.Approve {
		if reason == "" {
			return CaseView{}, domain.E(domain.CodeReasonRequired)
		}
		st = step{action: reject, version: d.Version, note: reason, audit: map[string]any{"reason": reason},
			apply: func(_ *store.Q, c *store.Case, _ time.Time) error { c.RejectReason = &reason; return nil }}
	}
	return s.act(ctx, a, no, st)
}

// Precheck is the station's pre-check (核验预受理) of a submitted case.
// Acceptance of a loss replacement declares the lost card invalid
// (card_void.go). Returns REASON_REQUIRED for a rejection without a reason.
func (s *Service) Precheck(ctx context.Context, a Actor, no string, d Decision) (CaseView, error) {
	if d.Approve {
		return s.act(ctx, a, no, step{action: domain.ActionPrecheckApprove, version: d.Version,
			apply: func(q *store.Q, c *store.Case, now time.Time) error { return voidLostCard(q, c, now) }})
	}
	return s.decide(ctx, a, no, d, domain.ActionPrecheckApprove, domain.ActionPrecheckReject)
}

// Review is the household county's review and issue (审核签发) of an accepted
// case; issuing fixes the new card's validity by the person's age.
func (s *Service) Review(ctx context.Context, a Actor, no string, d Decision) (CaseView, error) {
	if d.Approve {
		return s.act(ctx, a, no, step{action: domain.ActionReviewApprove, version: d.Version,
			apply: func(q *store.Q, c *store.Case, now time.Time) error {
				p, err := q.Person(c.PersonID)
				if err != nil {
					return err
				}
				if exp := domain.CardExpiry(p.BirthDate, now.In(calendar.Location())); exp != nil {
					d := store.DateOf(*exp, calendar.Location())
					c.NewCardExpiresOn = &d
				}
				return nil
			}})
	}
	return s.decide(ctx, a, no, d, domain.ActionReviewApprove, domain.ActionReviewReject)
}

// Produce records that the production centre made the card.
func (s *Service) Produce(ctx context.Context, a Actor, no string, version *int) (CaseView, error) {
	return s.act(ctx, a, no, step{action: domain.ActionProduce, version: version})
}

// Ship records dispatch. The mail route needs a valid UPU S10 tracking
// number; the window route may carry one. Returns INVALID_TRACKING_NO.
func (s *Service) Ship(ctx context.Context, a Actor, no, trackingNo string, version *int) (CaseView, error) {
	trackingNo = strings.TrimSpace(trackingNo)
	var tn string
	if trackingNo != "" {
		var err error
		if tn, err = domain.ParseTrackingNo(trackingNo); err != nil {
			return CaseView{}, err
		}
	}
	return s.act(ctx, a, no, step{action: domain.ActionShip, version: version, note: tn,
		audit: map[string]any{"tracking_no": tn},
		check: func(_ *store.Q, c *store.Case) error {
			if c.Collection == string(domain.CollectionMail) && tn == "" {
				return domain.Errorf(domain.CodeInvalidTrackingNo, "邮寄到家的办件必须填写EMS运单号")
			}
			return nil
		},
		apply: func(_ *store.Q, c *store.Case, _ time.Time) error {
			if tn != "" {
				c.TrackingNo = &tn
			}
			return nil
		}})
}

// Arrive is the station's confirmation that a card shipped to it arrived.
func (s *Service) Arrive(ctx context.Context, a Actor, no string, version *int) (CaseView, error) {
	return s.act(ctx, a, no, step{action: domain.ActionArrive, version: version})
}

// Deliver records the courier's delivery of a mailed card.
func (s *Service) Deliver(ctx context.Context, a Actor, no, signedBy string, version *int) (CaseView, error) {
	signedBy, err := domain.CleanText("签收人", signedBy, 32)
	if err != nil {
		return CaseView{}, err
	}
	if signedBy == "" {
		return CaseView{}, domain.Errorf(domain.CodeValidationFailed, "请填写签收人（不超过32个字）")
	}
	return s.act(ctx, a, no, step{action: domain.ActionDeliver, version: version, note: "签收人：" + signedBy,
		apply: func(q *store.Q, c *store.Case, now time.Time) error {
			c.SignedBy = &signedBy
			return s.newCardInHand(q, c, now)
		}})
}

// newCardInHand records the new card as the person's current one.
func (s *Service) newCardInHand(q *store.Q, c *store.Case, now time.Time) error {
	issued := store.DateOf(now, calendar.Location())
	if c.IssuedAt != nil {
		issued = store.DateOf(*c.IssuedAt, calendar.Location())
	}
	return q.SetCurrentCard(c.PersonID, issued, c.NewCardExpiresOn)
}

// Cancel is the applicant's withdrawal before the pre-check. Cancelling a
// cancelled case answers it as it is, so a retry is harmless (openapi.yaml).
// Returns INVALID_TRANSITION once the station has acted.
func (s *Service) Cancel(ctx context.Context, a Actor, no string) (CaseView, error) {
	return s.act(ctx, a, no, step{action: domain.ActionCancel,
		done: func(c *store.Case) bool { return c.Status == string(domain.StatusCancelled) }})
}

// supervisorOverStation is the jurisdiction of extend and reopen: the
// supervisor's division contains the case's station.
func supervisorOverStation(a Actor) func(c *store.Case) bool {
	return func(c *store.Case) bool {
		return a.Scope().OverStation(caseRef(c))
	}
}

// ReopenPickup lets a supervisor re-open the pickup window of an uncollected
// card; the case gets a new window of 30 working days.
func (s *Service) ReopenPickup(ctx context.Context, a Actor, no, reason string, version *int) (CaseView, error) {
	reason, err := cleanReason(reason)
	if err != nil {
		return CaseView{}, err
	}
	return s.act(ctx, a, no, step{action: domain.ActionReopenPickup, version: version, note: reason,
		audit: map[string]any{"reason": reason}, access: supervisorOverStation(a)})
}

// Extend moves the legal due date of a case at a remote station by days
// (at most 30 in total), with a reason. Returns EXTENSION_NOT_ALLOWED for a
// station that is not remote or beyond the limit, REASON_REQUIRED without a
// reason.
func (s *Service) Extend(ctx context.Context, a Actor, no string, days int, reason string, version *int) (CaseView, error) {
	reason, err := cleanReason(reason)
	if err != nil {
		return CaseView{}, err
	}
	if reason == "" {
		return CaseView{}, domain.E(domain.CodeReasonRequired)
	}
	if days < 1 || days > calendar.MaxExtensionDays {
		return CaseView{}, domain.Errorf(domain.CodeExtensionNotAllowed, "延长天数须为1至%d天", calendar.MaxExtensionDays)
	}
	note := fmt.Sprintf("延长%d天：%s", days, reason)
	return s.act(ctx, a, no, step{action: domain.ActionExtend, version: version, note: note,
		audit: map[string]any{"days": days, "reason": reason}, access: supervisorOverStation(a),
		check: func(_ *store.Q, c *store.Case) error {
			if !c.Remote {
				return domain.Errorf(domain.CodeExtensionNotAllowed, "仅边远、交通不便地区的派出所受理的办件可以延长期限")
			}
			if c.ExtensionDays+days > calendar.MaxExtensionDays {
				return domain.Errorf(domain.CodeExtensionNotAllowed, "延长期限合计不得超过%d天（已延长%d天）", calendar.MaxExtensionDays, c.ExtensionDays)
			}
			return nil
		},
		apply: func(_ *store.Q, c *store.Case, _ time.Time) error {
			c.ExtensionDays += days
			c.ExtensionReason = &reason
			SetDues(s.calendar(), c)
			return nil
		}})
}

// ClosePickup is the system's closing of a pickup window that ended.
func (s *Service) ClosePickup(ctx context.Context, no string) (CaseView, error) {
	return s.act(ctx, SystemActor(), no, step{action: domain.ActionClosePickup,
		check: func(_ *store.Q, c *store.Case) error {
			if c.PickupDueAt == nil || !s.now().After(*c.PickupDueAt) {
				return domain.Errorf(domain.CodeInvalidTransition, "领取期限尚未届满")
			}
			return nil
		}})
}
