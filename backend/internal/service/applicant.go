package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// Me is the signed-in applicant as openapi.yaml shows it.
type Me struct {
	ID          int64   `json:"id"`
	PhoneMasked *string `json:"phone_masked"`
	// Phone is the applicant's own sign-in number, so that forms asking for
	// a contact number can offer it; the applicant sees it only.
	Phone  *string   `json:"phone"`
	Bound  bool      `json:"bound"`
	Person *MePerson `json:"person"`
}

// MePerson is the bound person, masked.
type MePerson struct {
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	BirthDate      string `json:"birth_date"`
	Sex            string `json:"sex"`
}

// Me returns the applicant's account.
func (s *Service) Me(ctx context.Context, a Actor) (Me, error) {
	q := s.st.Q(ctx)
	ap, err := q.Applicant(a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Me{}, domain.E(domain.CodeUnauthenticated)
	}
	if err != nil {
		return Me{}, s.internal(ctx, "me", err)
	}
	m := Me{ID: ap.ID, Bound: ap.PersonID != nil}
	if ap.Phone != "" {
		p := pii.MaskPhone(ap.Phone)
		m.PhoneMasked = &p
		own := ap.Phone
		m.Phone = &own
	}
	if ap.PersonID != nil {
		p, err := q.Person(*ap.PersonID)
		if err != nil {
			return Me{}, s.internal(ctx, "me", err)
		}
		mp := mePerson(p)
		m.Person = &mp
	}
	return m, nil
}

// CheckIdentity reports whether the registry has a person of this name and
// ID number: nil, or IDENTITY_MISMATCH.
func (s *Service) CheckIdentity(ctx context.Context, name string, id domain.IDNumber) error {
	if _, err := registryPerson(s.st.Q(ctx), name, id); err != nil {
		return s.internal(ctx, "check identity", err)
	}
	return nil
}

// registryPerson is the registry person of this name and ID number, or
// IDENTITY_MISMATCH.
func registryPerson(q *store.Q, name string, id domain.IDNumber) (store.Person, error) {
	p, err := q.PersonByIDNumber(string(id))
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.Name != name) {
		return p, domain.E(domain.CodeIdentityMismatch)
	}
	return p, err
}

// BindIdentity binds the account to the registry person with this name and
// ID number, spending proof, the real-person verification that this
// account's user is that person (confirmed by signin). A proof binds once.
// A person is bound to one account at a time: binding moves it from
// another account, and the move is audited and told to that account
// (in-app and SMS). Returns INVALID_ID_NUMBER, IDENTITY_MISMATCH,
// REAL_PERSON_FAILED for a missing or spent proof, and CONFLICT while the
// account has an open case.
func (s *Service) BindIdentity(ctx context.Context, a Actor, name, idNumber string, proof domain.RealPersonProof) (Me, error) {
	id, err := domain.ParseIDNumber(idNumber)
	if err != nil {
		return Me{}, err
	}
	if name, err = domain.CleanText("姓名", name, 32); err != nil {
		return Me{}, err
	}
	if proof.Ref == "" {
		return Me{}, domain.E(domain.CodeRealPersonFailed)
	}
	err = s.st.Tx(ctx, func(q *store.Q) error {
		p, err := registryPerson(q, name, id)
		if err != nil {
			return err
		}
		ap, err := q.Applicant(a.ID)
		if err != nil {
			return err
		}
		if ap.PersonID != nil && *ap.PersonID == p.ID {
			return nil
		}
		if ap.PersonID != nil {
			if _, err := q.ActiveCaseOfPerson(*ap.PersonID); err == nil {
				return domain.Errorf(domain.CodeConflict, "您有正在办理的办件，暂不能更换绑定的身份")
			}
		}
		// The person's open case belongs to the account that filed it: the
		// identity cannot move while one runs.
		if _, err := q.ActiveCaseOfPerson(p.ID); err == nil {
			return domain.Errorf(domain.CodeConflict, "该身份有正在办理的办件，请在原账号办结或撤回后再绑定")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := s.now()
		err = q.SpendVerification(&store.IdentityVerification{ApplicantID: a.ID, PersonID: p.ID, Provider: proof.Provider,
			Ref: proof.Ref, VerifiedAt: store.Stored(proof.At)})
		if errors.Is(err, store.ErrDuplicate) {
			return domain.Errorf(domain.CodeRealPersonFailed, "该人脸核身结果已使用过，请重新完成人脸核身")
		}
		if err != nil {
			return err
		}
		moved := int64(0)
		if other, err := q.ApplicantBy("person_id", p.ID); err == nil {
			moved = other.ID
			other.PersonID, other.BoundAt, other.ReboundAt = nil, nil, nil
			if err := q.SaveApplicant(&other); err != nil {
				return err
			}
			if err := q.Enqueue(now, notify.IdentityMovedAway(other, now)...); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		ap.PersonID, ap.BoundAt, ap.ReboundAt = &p.ID, &now, nil
		if moved != 0 {
			ap.ReboundAt = &now
		}
		if err := q.SaveApplicant(&ap); err != nil {
			return err
		}
		d := map[string]any{"person_id": p.ID, "real_person": proof.Provider}
		if moved != 0 {
			d["moved_from_applicant"] = moved
		}
		return q.AppendAudit(&store.AuditEntry{At: now, ActorKind: ActorApplicant, ActorID: &a.ID, Role: string(domain.RoleApplicant),
			Action: "identity.bind", ObjectType: "applicant", ObjectID: fmt.Sprint(a.ID), IP: a.IP, Outcome: "ok", Detail: detail(d)})
	})
	if err != nil {
		return Me{}, s.internal(ctx, "bind", err)
	}
	return s.Me(ctx, a)
}
