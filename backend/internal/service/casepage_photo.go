package service

import (
	"context"
	"errors"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// PhotoFile is a stored ID photo.
type PhotoFile struct {
	Data   []byte
	Sha256 string
}

// photoCaseScan bounds the cases looked at for a photo without a case.
const photoCaseScan = 20

// StaffPhoto returns a photo that a case in the actor's jurisdiction shows:
// its uploaded application photo or the registry photo of its person. With
// caseNo set only that case is considered (the case page passes it). Returns
// FORBIDDEN for roles that see no cases and NOT_FOUND for any other photo,
// so the existence of photos outside the jurisdiction does not leak.
func (s *Service) StaffPhoto(ctx context.Context, a Actor, photoID int64, caseNo string) (PhotoFile, error) {
	if _, err := scopeFilter(a); err != nil {
		return PhotoFile{}, err
	}
	q := s.st.Q(ctx)
	allowed := false
	if caseNo != "" {
		c, err := s.ownCase(ctx, a, caseNo)
		if err != nil {
			return PhotoFile{}, err
		}
		if c.PhotoID != nil && *c.PhotoID == photoID {
			allowed = true
		} else if p, err := q.Person(c.PersonID); err != nil {
			return PhotoFile{}, s.internal(ctx, "staff photo", err)
		} else {
			allowed = p.PhotoID != nil && *p.PhotoID == photoID
		}
	} else {
		cs, err := q.CasesUsingPhoto(photoID, photoCaseScan)
		if err != nil {
			return PhotoFile{}, s.internal(ctx, "staff photo", err)
		}
		for i := range cs {
			if a.canSee(&cs[i]) {
				allowed = true
				break
			}
		}
	}
	if !allowed {
		return PhotoFile{}, domain.E(domain.CodeNotFound)
	}
	p, err := q.PhotoData(photoID)
	if errors.Is(err, store.ErrNotFound) {
		return PhotoFile{}, domain.E(domain.CodeNotFound)
	}
	if err != nil {
		return PhotoFile{}, s.internal(ctx, "staff photo", err)
	}
	return PhotoFile{Data: p.Data, Sha256: p.Sha256}, nil
}
