package service

import (
	"context"
	"errors"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// PickupToken is a signed, expiring, single-use pickup token.
type PickupToken struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// IssuePickupToken gives the applicant a token for the QR code of a case
// that is ready for pickup. Returns NOT_FOUND for another's case and
// NOT_READY_FOR_PICKUP otherwise.
func (s *Service) IssuePickupToken(ctx context.Context, a Actor, no string) (PickupToken, error) {
	c, err := s.ownCase(ctx, a, no)
	if err != nil {
		return PickupToken{}, err
	}
	if c.Status != string(domain.StatusReadyForPickup) {
		return PickupToken{}, domain.E(domain.CodeNotReadyForPickup)
	}
	tok, exp, err := s.tokens.Issue(c.ID, c.StationID, s.clock())
	if err != nil {
		return PickupToken{}, s.internal(ctx, "pickup token", err)
	}
	return PickupToken{Token: tok, ExpiresAt: fmtTime(exp)}, nil
}

// PersonView is the registry record as staff see it: masked unless a full
// view was asked for (and audited).
type PersonView struct {
	Name              string  `json:"name"`
	Sex               string  `json:"sex"`
	Ethnicity         string  `json:"ethnicity"`
	BirthDate         string  `json:"birth_date"`
	IDNumber          string  `json:"id_number_masked"`
	Address           string  `json:"address_masked"`
	HouseholdDivision string  `json:"household_division"`
	CardIssuedOn      *string `json:"card_issued_on"`
	CardExpiresOn     *string `json:"card_expires_on"`
	CardValid         bool    `json:"card_valid"`
	Fingerprints      bool    `json:"fingerprints"`
	PhotoID           *int64  `json:"photo_id"`
}

func datePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(calendar.DateLayout)
	return &s
}

func personView(p store.Person) PersonView {
	return PersonView{Name: p.Name, Sex: p.Sex, Ethnicity: p.Ethnicity, BirthDate: p.BirthDate.UTC().Format(calendar.DateLayout),
		IDNumber: pii.MaskIDNumber(p.IDNumber), Address: pii.MaskAddress(p.Address), HouseholdDivision: p.HouseholdDivision,
		CardIssuedOn: datePtr(p.CardIssuedOn), CardExpiresOn: datePtr(p.CardExpiresOn), CardValid: p.CardValid,
		Fingerprints: p.CardFingerprints, PhotoID: p.PhotoID}
}

// PickupCheck is what the window officer sees after scanning a QR code.
type PickupCheck struct {
	Case           CaseView   `json:"case"`
	Person         PersonView `json:"person"`
	ReturnsOldCard bool       `json:"returns_old_card"`
	// Guardian, for a case a guardian filed for a child: the guardian
	// collects the card with the child.
	Guardian *GuardianView `json:"guardian,omitempty"`
}

// checkToken verifies a token for a station officer and returns the case id.
// Returns TOKEN_INVALID, TOKEN_EXPIRED, WRONG_STATION, and TOKEN_USED for a
// case already handed over.
func (s *Service) checkToken(a Actor, token string) (int64, error) {
	if a.Role != domain.RoleStationOfficer || a.OfficeKind != store.OfficeStation {
		return 0, domain.E(domain.CodeForbidden)
	}
	claims, err := s.tokens.Verify(token, s.clock())
	switch {
	case errors.Is(err, pickup.ErrExpired):
		return 0, domain.E(domain.CodeTokenExpired)
	case err != nil:
		return 0, domain.E(domain.CodeTokenInvalid)
	}
	if claims.StationID != a.OfficeID {
		return 0, domain.E(domain.CodeWrongStation)
	}
	return claims.CaseID, nil
}

// tokenState refuses a handover by the case's status: TOKEN_USED for a card
// already handed over, NOT_READY_FOR_PICKUP naming the status otherwise.
func tokenState(c *store.Case) error {
	st := domain.Status(c.Status)
	switch st {
	case domain.StatusReadyForPickup:
		return nil
	case domain.StatusCollected:
		return domain.E(domain.CodeTokenUsed)
	}
	return domain.Errorf(domain.CodeNotReadyForPickup,
		"该办件当前状态为“%s”，不是待领取，暂不能发证：证件到所后须先在“办件”中确认到证；超过领取期限的，须由上级监督部门重新开放领取", st.Label())
}

// auditPickupVerify is the audit action of a successful token check: the
// officer then sees the holder's (masked) registry record.
const auditPickupVerify = "pickup.verify"

// VerifyPickup shows the officer the case and the registry record behind a
// scanned token, changing nothing: a read of the token's check and one
// indexed statement (the case with its person and temporary card). The
// check shows personal data (masked), so it is audited as pickup.verify
// before the answer, through auditGrouped: the checks of a moment share one
// transaction (a group commit), and nothing is shown that is not audited.
// A refused check is audited at once.
func (s *Service) VerifyPickup(ctx context.Context, a Actor, token string) (PickupCheck, error) {
	id, err := s.checkToken(a, token)
	if err != nil {
		s.auditDenied(ctx, a, domain.ActionHandover, "token", string(domain.ErrorCode(err)))
		return PickupCheck{}, err
	}
	q := s.st.Q(ctx)
	c, p, temp, err := q.PickupCase(id)
	if err != nil {
		return PickupCheck{}, s.internal(ctx, "pickup verify", err)
	}
	if c.StationID != a.OfficeID {
		return PickupCheck{}, domain.E(domain.CodeWrongStation)
	}
	if err := tokenState(&c); err != nil {
		return PickupCheck{}, err
	}
	station, err := s.office(ctx, q, c.StationID)
	if err != nil {
		return PickupCheck{}, s.internal(ctx, "pickup verify", err)
	}
	v := s.view(&c, station, nil, nil)
	if temp != nil {
		v.TemporaryCard = caseTemporary(*temp, true)
	}
	if err := s.auditGrouped(ctx, store.AuditEntry{At: s.now(), ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name, Role: string(a.Role),
		Action: auditPickupVerify, ObjectType: "case", ObjectID: c.No, IP: a.IP, Outcome: "ok",
		Detail: detail(map[string]any{"person_id": p.ID})}); err != nil {
		return PickupCheck{}, s.internal(ctx, "pickup verify audit", err)
	}
	chk, err := pickupCheck(q, &c, p, v)
	if err != nil {
		return PickupCheck{}, s.internal(ctx, "pickup verify", err)
	}
	return chk, nil
}

// pickupCheck is what the window officer checks for case c of person p.
func pickupCheck(q *store.Q, c *store.Case, p store.Person, v CaseView) (PickupCheck, error) {
	g, err := guardianOf(q, c)
	return PickupCheck{Case: v, Person: personView(p), ReturnsOldCard: domain.Kind(c.Kind).ReturnsOldCard(), Guardian: g}, err
}

// Handover hands the card over against a valid token at the case's own
// station; a renewal's old card must come back (OLD_CARD_REQUIRED
// otherwise). The token is spent: the case is collected, so the same token
// then answers TOKEN_USED.
func (s *Service) Handover(ctx context.Context, a Actor, token string, oldCardReturned bool) (CaseView, error) {
	id, err := s.checkToken(a, token)
	if err != nil {
		s.auditDenied(ctx, a, domain.ActionHandover, "token", string(domain.ErrorCode(err)))
		return CaseView{}, err
	}
	var view CaseView
	err = s.st.Tx(ctx, func(q *store.Q) error {
		c, err := q.LockCaseByID(id)
		if err != nil {
			return err
		}
		if c.StationID != a.OfficeID {
			return domain.E(domain.CodeWrongStation)
		}
		if err := tokenState(&c); err != nil {
			return err
		}
		st := handoverStep(s, c.Kind, oldCardReturned, map[string]any{"token": "verified"})
		if err := s.apply(q, a, &c, st); err != nil {
			return err
		}
		view, err = s.loadView(q, &c, true)
		return err
	})
	if err != nil {
		return CaseView{}, s.internal(ctx, "handover", err)
	}
	return view, nil
}
