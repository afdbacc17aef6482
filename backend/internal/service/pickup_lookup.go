package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// PickupPage is what the window officer checks before handing a card over:
// the case, the masked registry record and, besides the registry photo, the
// photo the new card carries when the application brought one.
type PickupPage struct {
	PickupCheck
	CardPhotoID *int64
}

// PickupChecks are the boxes the officer ticks at the window.
type PickupChecks struct {
	FaceMatch       bool // the person in front of the window is the card's holder
	OldCardReturned bool // a renewal's old card came back
}

// Audit actions of the fallback look-up.
const (
	auditPickupLookup     = "pickup.lookup"
	auditHandoverByLookup = "pickup.handover_by_lookup"
)

// allowLookup spends one of the officer's 60 fallback look-ups an hour:
// the last 6 digits of an ID number are a weak secret, so guessing them
// must stay slow.
func (s *Service) allowLookup(ctx context.Context, a Actor) error {
	if s.limiter == nil {
		return nil
	}
	return s.limiter.Allow(ctx, "pickup-lookup:staff", 60, time.Hour, strconv.FormatInt(a.ID, 10))
}

// errLookupNoMatch is the one answer for an unknown case, a case of another
// station and digits that do not match, so a look-up tells nothing about
// cases the officer may not see.
// ErrFaceMatchRequired refuses a handover whose officer has not confirmed
// that the applicant matches the photo and the card's data.
var ErrFaceMatchRequired = domain.Errorf(domain.CodeValidationFailed, "请先核对：申请人本人与相片、证件信息一致后勾选“人证一致”，再确认发证")

var errLookupNoMatch = domain.Errorf(domain.CodeNotFound,
	"未找到相符的待领取办件：请核对办件编号和身份证号码后6位；只能查询在本派出所领取的办件")

// VerifyPickupPage is VerifyPickup with the photo of the new card, for the
// staff pickup page. It returns the errors of VerifyPickup.
func (s *Service) VerifyPickupPage(ctx context.Context, a Actor, token string) (PickupPage, error) {
	chk, err := s.VerifyPickup(ctx, a, strings.TrimSpace(token))
	if err != nil {
		return PickupPage{}, err
	}
	c, err := s.st.Q(ctx).CaseByNo(chk.Case.No)
	if err != nil {
		return PickupPage{}, s.internal(ctx, "pickup page", err)
	}
	return PickupPage{PickupCheck: chk, CardPhotoID: c.PhotoID}, nil
}

// lookupInput checks the officer and the typed look-up, and spends one try
// of the officer's look-up budget. Returns FORBIDDEN for anyone but a
// station officer, VALIDATION_FAILED for a malformed case number or digits,
// RATE_LIMITED when the officer looked up too often.
func (s *Service) lookupInput(ctx context.Context, a Actor, no, idTail string) (string, string, error) {
	if a.Role != domain.RoleStationOfficer || a.OfficeKind != store.OfficeStation || a.OfficeID == 0 {
		return "", "", domain.E(domain.CodeForbidden)
	}
	no, idTail = strings.ToUpper(strings.TrimSpace(no)), strings.ToUpper(strings.TrimSpace(idTail))
	if !domain.ValidCaseNo(no) {
		return "", "", domain.Errorf(domain.CodeValidationFailed, "办件编号格式不正确：应为GZ加12位数字，如GZ260305000123")
	}
	if !validIDTail(idTail) {
		return "", "", domain.Errorf(domain.CodeValidationFailed, "请填写身份证号码的最后6位（前5位为数字，末位为数字或X）")
	}
	if err := s.allowLookup(ctx, a); err != nil {
		return "", "", err
	}
	return no, idTail, nil
}

func validIDTail(t string) bool {
	if len(t) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		if (t[i] < '0' || t[i] > '9') && !(i == 5 && t[i] == 'X') {
			return false
		}
	}
	return true
}

// lookupMatch decides whether the case answers the look-up: the officer's
// own station, the person's ID number ending in idTail, ready for pickup.
// It returns why a look-up is refused (for the audit) with the error.
func (s *Service) lookupMatch(q *store.Q, a Actor, c *store.Case, idTail string) (string, error) {
	if c.StationID != a.OfficeID {
		return "station", errLookupNoMatch
	}
	p, err := q.Person(c.PersonID)
	if err != nil {
		return "", err
	}
	if !strings.HasSuffix(strings.ToUpper(p.IDNumber), idTail) {
		return "id_tail", errLookupNoMatch
	}
	if err := tokenState(c); err != nil {
		return "status", err
	}
	return "", nil
}

// auditLookup records one fallback look-up or handover in its own
// transaction.
func (s *Service) auditLookup(ctx context.Context, a Actor, action, no, outcome, why string) {
	d := map[string]any{}
	if why != "" {
		d["reason"] = why
	}
	err := s.st.Audit(ctx, &store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: action, ObjectType: "case", ObjectID: no, IP: a.IP, Outcome: outcome, Detail: detail(d)})
	if err != nil {
		s.log.ErrorContext(ctx, "audit of a pickup look-up failed", "error", err)
	}
}

// LookupPickup is the fallback when a pickup QR code cannot be scanned: the
// officer types the case number and the last 6 digits of the holder's ID
// number. Every look-up is audited as pickup.lookup, ok or denied. Returns
// FORBIDDEN, VALIDATION_FAILED and RATE_LIMITED as lookupInput does;
// NOT_FOUND for no matching case at the officer's station; TOKEN_USED for a
// card already handed over and NOT_READY_FOR_PICKUP for another status.
func (s *Service) LookupPickup(ctx context.Context, a Actor, no, idTail string) (PickupPage, error) {
	no, idTail, err := s.lookupInput(ctx, a, no, idTail)
	if err != nil {
		return PickupPage{}, err
	}
	q := s.st.Q(ctx)
	c, err := q.CaseByNo(no)
	if errors.Is(err, store.ErrNotFound) {
		s.auditLookup(ctx, a, auditPickupLookup, no, "denied", "no_case")
		return PickupPage{}, errLookupNoMatch
	}
	if err != nil {
		return PickupPage{}, s.internal(ctx, "pickup lookup", err)
	}
	why, err := s.lookupMatch(q, a, &c, idTail)
	if err != nil {
		if why != "" {
			s.auditLookup(ctx, a, auditPickupLookup, no, "denied", why)
		}
		return PickupPage{}, s.internal(ctx, "pickup lookup", err)
	}
	p, err := q.Person(c.PersonID)
	if err != nil {
		return PickupPage{}, s.internal(ctx, "pickup lookup", err)
	}
	v, err := s.loadView(q, &c, false)
	if err != nil {
		return PickupPage{}, s.internal(ctx, "pickup lookup", err)
	}
	chk, err := pickupCheck(q, &c, p, v)
	if err != nil {
		return PickupPage{}, s.internal(ctx, "pickup lookup", err)
	}
	s.auditLookup(ctx, a, auditPickupLookup, no, "ok", "")
	return PickupPage{PickupCheck: chk, CardPhotoID: c.PhotoID}, nil
}

// HandoverByLookup hands a card over without a token, after a fallback
// look-up: the same transition as Handover, on the same checks as
// LookupPickup, and only with the face-match box ticked. Besides the
// case.handover entry it audits pickup.handover_by_lookup (a refusal is
// audited as denied). Returns the errors of LookupPickup, VALIDATION_FAILED
// without the face match and VERSION_CONFLICT when two windows race.
func (s *Service) HandoverByLookup(ctx context.Context, a Actor, no, idTail string, chk PickupChecks) (CaseView, error) {
	no, idTail, err := s.lookupInput(ctx, a, no, idTail)
	if err != nil {
		return CaseView{}, err
	}
	if !chk.FaceMatch {
		return CaseView{}, ErrFaceMatchRequired
	}
	if err := domain.CheckRole(domain.ActionHandover, a.Role); err != nil {
		return CaseView{}, err
	}
	var view CaseView
	why := ""
	err = s.st.Tx(ctx, func(q *store.Q) error {
		c, err := q.LockCaseByNo(no)
		if errors.Is(err, store.ErrNotFound) {
			why = "no_case"
			return errLookupNoMatch
		}
		if err != nil {
			return err
		}
		if why, err = s.lookupMatch(q, a, &c, idTail); err != nil {
			return err
		}
		st := handoverStep(s, c.Kind, chk.OldCardReturned, map[string]any{"token": "none", "via": "lookup", "face_match": true})
		st.note = strings.TrimPrefix(st.note+"；按办件编号和身份证号码后6位核验（未扫领证码）", "；")
		if err := s.apply(q, a, &c, st); err != nil {
			return err
		}
		if err := q.AppendAudit(&store.AuditEntry{ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
			Action: auditHandoverByLookup, ObjectType: "case", ObjectID: no, IP: a.IP, Outcome: "ok",
			Detail: detail(map[string]any{"face_match": true, "version": c.Version})}); err != nil {
			return err
		}
		view, err = s.loadView(q, &c, true)
		return err
	})
	if err != nil && why != "" {
		s.auditLookup(ctx, a, auditHandoverByLookup, no, "denied", why)
	}
	if err != nil {
		return CaseView{}, s.internal(ctx, "handover by lookup", err)
	}
	return view, nil
}

// handoverStep is the handover transition of Handover for a case of the
// kind: a renewal needs its old card back (OLD_CARD_REQUIRED), which is
// recorded on the case and its timeline, and the new card becomes the
// person's current one.
func handoverStep(s *Service, kind string, oldCardReturned bool, audit map[string]any) step {
	st := step{action: domain.ActionHandover, audit: audit,
		check: func(_ *store.Q, c *store.Case) error { return domain.Kind(c.Kind).CheckOldCard(oldCardReturned) },
		apply: func(q *store.Q, c *store.Case, now time.Time) error {
			if domain.Kind(c.Kind).ReturnsOldCard() {
				c.OldCardReturned = &oldCardReturned
				audit["old_card_returned"] = oldCardReturned
			}
			return s.newCardInHand(q, c, now)
		}}
	if domain.Kind(kind).ReturnsOldCard() {
		st.note = "旧证已收回"
	}
	return st
}
