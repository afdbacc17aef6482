package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Queue is one work queue on a staff member's home page.
type Queue struct {
	Label   string `json:"label"`
	Count   int64  `json:"count"`
	Overdue int64  `json:"overdue"`
	Link    string `json:"link"`
}

// StaffQueues counts the actor's work queues.
func (s *Service) StaffQueues(ctx context.Context, a Actor) ([]Queue, error) {
	f, err := scopeFilter(a)
	if err != nil {
		return nil, err
	}
	q := s.st.Q(ctx)
	f.Now = s.now()
	counts, err := q.CountCasesByStatus(f)
	if err != nil {
		return nil, s.internal(ctx, "queues", err)
	}
	f.Overdue = true
	overdue, err := q.CountCasesByStatus(f)
	if err != nil {
		return nil, s.internal(ctx, "queues", err)
	}
	mk := func(label string, st domain.Status, link string) Queue {
		return Queue{Label: label, Count: counts[string(st)], Overdue: overdue[string(st)], Link: link}
	}
	switch a.Role {
	case domain.RoleStationOfficer:
		return []Queue{
			mk("待核验预受理", domain.StatusSubmitted, "/staff/cases?status=submitted&order=due"),
			mk("待确认到证", domain.StatusShipped, "/staff/cases?status=shipped&collection=window"),
			mk("待领取", domain.StatusReadyForPickup, "/staff/cases?status=ready_for_pickup&order=due"),
			mk("逾期未领取", domain.StatusUncollected, "/staff/cases?status=uncollected"),
		}, nil
	case domain.RoleCountyReviewer:
		return []Queue{mk("待审核签发", domain.StatusAccepted, "/staff/cases?status=accepted&order=due")}, nil
	case domain.RoleProductionOperator:
		return []Queue{
			mk("待制作", domain.StatusIssued, "/staff/cases?status=issued&order=due"),
			mk("待发出", domain.StatusProduced, "/staff/cases?status=produced&order=due"),
			mk("邮寄在途（登记投递）", domain.StatusShipped, "/staff/deliveries"),
		}, nil
	}
	var total, late int64
	for st, n := range counts {
		if !domain.Status(st).IsFinal() {
			total += n
			late += overdue[st]
		}
	}
	return []Queue{{Label: "在办办件", Count: total, Overdue: late, Link: "/staff/cases"},
		{Label: "超期办件", Count: late, Overdue: late, Link: "/staff/cases?overdue=1"}}, nil
}
