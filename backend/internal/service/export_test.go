package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// ClosePickupAs runs the close-pickup action as actor a. The service only
// ever closes a pickup window as the system (ClosePickup takes no actor); the
// table tests use this to show that any other role is refused.
func (s *Service) ClosePickupAs(ctx context.Context, a Actor, no string) (CaseView, error) {
	return s.act(ctx, a, no, step{action: domain.ActionClosePickup})
}

// CanSee exposes the per-case jurisdiction check to the property test of
// jurisdiction_test.go.
func CanSee(a Actor, c *store.Case) bool { return a.canSee(c) }
