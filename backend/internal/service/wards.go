package service

import (
	"context"
	"errors"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// Ward is a child bound to the guardian's account (openapi.yaml, Ward).
type Ward struct {
	ID            int64    `json:"id"`
	Relation      string   `json:"relation"`
	RelationLabel string   `json:"relation_label"`
	Person        MePerson `json:"person"`
}

// ForPerson is the case object's for_person: the child a guardian applied
// for, masked.
type ForPerson struct {
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
}

func wardOf(w store.ApplicantWard, p store.Person) Ward {
	return Ward{ID: w.ID, Relation: w.Relation, RelationLabel: domain.Relation(w.Relation).Label(), Person: mePerson(p)}
}

// mePerson presents a registry person as the account pages show one, masked.
func mePerson(p store.Person) MePerson {
	return MePerson{Name: p.Name, IDNumberMasked: pii.MaskIDNumber(p.IDNumber), BirthDate: p.BirthDate.UTC().Format("2006-01-02"), Sex: p.Sex}
}

// Wards lists the children under 16 bound to the applicant's account; a
// child who has turned 16 since applies for themself and is left out.
func (s *Service) Wards(ctx context.Context, a Actor) ([]Ward, error) {
	q := s.st.Q(ctx)
	ws, err := q.WardsOfApplicant(a.ID)
	if err != nil {
		return nil, s.internal(ctx, "wards", err)
	}
	out := []Ward{}
	today := s.now().In(calendar.Location())
	for _, w := range ws {
		p, err := q.Person(w.WardPersonID)
		if err != nil {
			return nil, s.internal(ctx, "wards", err)
		}
		if domain.CheckWardAge(p.BirthDate, today) == nil {
			out = append(out, wardOf(w, p))
		}
	}
	return out, nil
}

// AddWard binds the child of this name and ID number to the account, after
// the registry confirms that the account's bound person (verified as a real
// person when binding) is the child's guardian. Binding the same child
// again answers the binding there is. Returns NOT_BOUND, INVALID_ID_NUMBER,
// IDENTITY_MISMATCH, NOT_GUARDIAN and WARD_TOO_OLD.
func (s *Service) AddWard(ctx context.Context, a Actor, name, idNumber string) (Ward, error) {
	id, err := domain.ParseIDNumber(idNumber)
	if err != nil {
		return Ward{}, err
	}
	if name, err = domain.CleanText("姓名", name, 32); err != nil {
		return Ward{}, err
	}
	var out Ward
	err = s.st.Tx(ctx, func(q *store.Q) error {
		ap, err := q.Applicant(a.ID)
		if err != nil {
			return err
		}
		if ap.PersonID == nil {
			return domain.E(domain.CodeNotBound)
		}
		child, err := registryPerson(q, name, id)
		if err != nil {
			return err
		}
		g, err := q.GuardianshipOf(*ap.PersonID, child.ID)
		if errors.Is(err, store.ErrNotFound) {
			return domain.E(domain.CodeNotGuardian)
		}
		if err != nil {
			return err
		}
		if err := domain.CheckWardAge(child.BirthDate, s.now().In(calendar.Location())); err != nil {
			return err
		}
		w := store.ApplicantWard{ApplicantID: a.ID, WardPersonID: child.ID, Relation: g.Relation}
		if err := q.InsertApplicantWard(&w); errors.Is(err, store.ErrDuplicate) {
			ws, err := q.WardsOfApplicant(a.ID)
			if err != nil {
				return err
			}
			for _, x := range ws {
				if x.WardPersonID == child.ID {
					w = x
				}
			}
		} else if err != nil {
			return err
		}
		out = wardOf(w, child)
		return q.AppendAudit(&store.AuditEntry{At: s.now(), ActorKind: a.Kind, ActorID: a.idPtr(), Role: string(a.Role),
			Action: "ward.bind", ObjectType: "person", ObjectID: pii.MaskIDNumber(child.IDNumber), IP: a.IP, Outcome: "ok",
			Detail: detail(map[string]any{"relation": g.Relation, "ward": w.ID})})
	})
	if err != nil {
		return Ward{}, s.internal(ctx, "add ward", err)
	}
	return out, nil
}

// wardPerson is the registry person an application is for: the bound
// person, or the ward of the binding wardID (VALIDATION_FAILED for
// another account's or an unknown binding, WARD_TOO_OLD for a child who turned 16);
// guardian is the bound person when applying for a ward.
func (s *Service) wardPerson(q *store.Q, a Actor, bound int64, wardID *int64) (store.Person, *int64, error) {
	if wardID == nil {
		p, err := q.Person(bound)
		return p, nil, err
	}
	w, err := q.ApplicantWardOf(a.ID, *wardID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Person{}, nil, domain.Errorf(domain.CodeValidationFailed, "未找到该被监护人，请先在“我的”中添加")
	}
	if err != nil {
		return store.Person{}, nil, err
	}
	p, err := q.Person(w.WardPersonID)
	if err != nil {
		return store.Person{}, nil, err
	}
	if err := domain.CheckWardAge(p.BirthDate, s.now().In(calendar.Location())); err != nil {
		return store.Person{}, nil, err
	}
	return p, &bound, nil
}

// forPerson is the case's for_person: the child, masked, when a guardian
// applied; nil otherwise (guardian cases are few, so one read each).
func forPerson(q *store.Q, c *store.Case) (*ForPerson, error) {
	if c.GuardianPersonID == nil {
		return nil, nil
	}
	p, err := q.Person(c.PersonID)
	if err != nil {
		return nil, err
	}
	return &ForPerson{Name: p.Name, IDNumberMasked: pii.MaskIDNumber(p.IDNumber)}, nil
}

// GuardianView is the guardian of a case filed for a child, as the staff
// pages show it: "监护人代办", who the guardian is and how related.
type GuardianView struct {
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	RelationLabel  string `json:"relation_label"`
}

// guardianOf is the guardian of the case, or nil when the person applied
// themself.
func guardianOf(q *store.Q, c *store.Case) (*GuardianView, error) {
	if c.GuardianPersonID == nil {
		return nil, nil
	}
	g, err := q.Person(*c.GuardianPersonID)
	if err != nil {
		return nil, err
	}
	rel := domain.RelationGuardian
	if gs, err := q.GuardianshipOf(g.ID, c.PersonID); err == nil {
		rel = domain.Relation(gs.Relation)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return &GuardianView{Name: g.Name, IDNumberMasked: pii.MaskIDNumber(g.IDNumber), RelationLabel: rel.Label()}, nil
}
