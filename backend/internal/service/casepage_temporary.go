package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// TemporaryCardRow is a temporary card request of the county's list.
type TemporaryCardRow struct {
	CaseNo          string
	CaseStatus      string
	CaseStatusLabel string
	CaseOpen        bool
	KindLabel       string
	HolderMasked    string
	Status          string
	CardNo          *string
	FeeYuan         int
	RequestedAt     string
	IssuedAt        *string
	ValidUntil      *string
}

// maxTemporaryRows bounds the temporary card list.
const maxTemporaryRows = 200

// CountyTemporaryCards lists the temporary card requests ("requested") or
// issued cards ("issued") of cases whose person is registered in the county
// reviewer's county. Returns FORBIDDEN for any other role and
// VALIDATION_FAILED for another status.
func (s *Service) CountyTemporaryCards(ctx context.Context, a Actor, status string) ([]TemporaryCardRow, error) {
	if a.Role != domain.RoleCountyReviewer || a.OfficeKind != store.OfficeCountyBureau || a.OfficeDiv == "" {
		return nil, domain.Errorf(domain.CodeForbidden, "临时身份证由户籍地县级公安机关签发，您的岗位无权办理")
	}
	if status == "" {
		status = "requested"
	}
	if status != "requested" && status != "issued" {
		return nil, domain.Errorf(domain.CodeValidationFailed, "未知的临时身份证状态：%s", status)
	}
	rows, err := s.st.Q(ctx).TemporaryCardsOfHousehold(a.OfficeDiv, status, maxTemporaryRows)
	if err != nil {
		return nil, s.internal(ctx, "temporary cards", err)
	}
	out := make([]TemporaryCardRow, 0, len(rows))
	for _, r := range rows {
		st := domain.Status(r.CaseStatus)
		out = append(out, TemporaryCardRow{CaseNo: r.CaseNo, CaseStatus: r.CaseStatus, CaseStatusLabel: st.Label(),
			CaseOpen: !st.IsFinal(), KindLabel: domain.Kind(r.CaseKind).Label(), HolderMasked: pii.MaskName(r.PersonName),
			Status: r.Status, CardNo: r.CardNo, FeeYuan: r.FeeYuan, RequestedAt: fmtTime(r.RequestedAt),
			IssuedAt: fmtTimePtr(r.IssuedAt), ValidUntil: datePtr(r.ValidUntil)})
	}
	return out, nil
}
