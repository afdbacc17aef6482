package service

import (
	"context"
	"errors"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// ownCase loads an applicant's case; anyone else's answers NOT_FOUND, never
// FORBIDDEN, so existence does not leak.
func (s *Service) ownCase(ctx context.Context, a Actor, no string) (store.Case, error) {
	if !domain.ValidCaseNo(no) {
		return store.Case{}, domain.E(domain.CodeNotFound)
	}
	c, err := s.st.Q(ctx).CaseByNo(no)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.canSee(&c)) {
		return store.Case{}, domain.E(domain.CodeNotFound)
	}
	if err != nil {
		return store.Case{}, s.internal(ctx, "case", err)
	}
	return c, nil
}

// Case returns one case with its timeline, if the actor may see it.
func (s *Service) Case(ctx context.Context, a Actor, no string) (CaseView, error) {
	c, err := s.ownCase(ctx, a, no)
	if err != nil {
		if a.Kind == ActorStaff && domain.ErrorCode(err) == domain.CodeNotFound {
			s.auditDenied(ctx, a, "view", no, "jurisdiction")
		}
		return CaseView{}, err
	}
	v, err := s.loadView(s.st.Q(ctx), &c, true)
	if err != nil {
		return CaseView{}, s.internal(ctx, "case", err)
	}
	return v, nil
}

// MyCases lists the applicant's cases, newest first.
func (s *Service) MyCases(ctx context.Context, a Actor) ([]CaseView, error) {
	q := s.st.Q(ctx)
	cs, temps, err := q.CasesOfApplicantWithTemporary(a.ID, 100)
	if err != nil {
		return nil, s.internal(ctx, "my cases", err)
	}
	out, err := s.viewsWith(q, cs, temps)
	if err != nil {
		return nil, s.internal(ctx, "my cases", err)
	}
	return out, nil
}
