package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
)

// ClosePickupAs runs the close-pickup action as actor a. The service only
// ever closes a pickup window as the system (ClosePickup takes no actor); the
// table tests use this to show that any other role is refused.
func (s *Service) ClosePickupAs(ctx context.Context, a Actor, no string) (CaseView, error) {
	return s.act(ctx, a, no, step{action: domain.ActionClosePickup})
}
