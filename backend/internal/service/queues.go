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

// QueueNext is the number of the case a staff member works on next after
// finishing skip in its queue of cases in status st (and collection, when
// given): the first other case of the queue in the queue's order — due
// soonest first, or newest first for a status without stage due times —
// within the actor's jurisdiction; "" when the queue holds no other case.
func (s *Service) QueueNext(ctx context.Context, a Actor, st domain.Status, collection, skip string) (string, error) {
	orders := []bool{true, false} // due first; then the undated, newest first
	if st == domain.StatusShipped || st == domain.StatusUncollected || st.IsFinal() {
		orders = []bool{false}
	}
	for _, due := range orders {
		page, err := s.StaffCases(ctx, a, CaseQuery{Status: string(st), Collection: collection, DueFirst: due, Limit: 2})
		if err != nil {
			return "", err
		}
		for _, v := range page.Items {
			if v.No != skip {
				return v.No, nil
			}
		}
	}
	return "", nil
}
