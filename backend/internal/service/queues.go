package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Queue is one work queue on a staff member's home page.
type Queue struct {
	Label string `json:"label"`
	// Hint says what the count counts, in a sentence under it.
	Hint    string `json:"hint"`
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
	mk := func(label string, st domain.Status, link, hint string) Queue {
		return Queue{Label: label, Hint: hint, Count: counts[string(st)], Overdue: overdue[string(st)], Link: link}
	}
	switch a.Role {
	case domain.RoleStationOfficer:
		return []Queue{
			mk("待核验预受理", domain.StatusSubmitted, "/staff/cases?status=submitted&order=due", "申请人已提交、等待本所核验照片和材料的办件"),
			mk("待确认到证", domain.StatusShipped, "/staff/cases?status=shipped&collection=window", "制证中心已寄往本所、尚未确认收到证件的窗口领取办件"),
			mk("待领取", domain.StatusReadyForPickup, "/staff/cases?status=ready_for_pickup&order=due", "证件已到本所、等待申请人来领的办件"),
			mk("逾期未领取", domain.StatusUncollected, "/staff/cases?status=uncollected", "超过领取期限仍未领取、已关闭领取的办件"),
		}, nil
	case domain.RoleCountyReviewer:
		return []Queue{mk("待审核签发", domain.StatusAccepted, "/staff/cases?status=accepted&order=due", "派出所已受理、户籍在本县、等待审核签发的办件")}, nil
	case domain.RoleProductionOperator:
		return []Queue{
			mk("待制作", domain.StatusIssued, "/staff/cases?status=issued&order=due", "已审核签发、等待制作证件的办件"),
			mk("待发出", domain.StatusProduced, "/staff/cases?status=produced&order=due", "证件已制作、尚未寄往派出所或申请人的办件"),
			mk("邮寄在途（登记投递）", domain.StatusShipped, "/staff/deliveries", "已发出、包括寄往派出所和邮寄到家的办件；邮寄到家的待登记投递签收"),
		}, nil
	}
	var total, late int64
	for st, n := range counts {
		if !domain.Status(st).IsFinal() {
			total += n
			late += overdue[st]
		}
	}
	return []Queue{{Label: "在办办件", Count: total, Overdue: late, Link: "/staff/cases",
		Hint: "辖区内（受理派出所或户籍地在辖区）尚未办结的办件，含逾期未领取；不含已领取、已签收、已退回和已撤回的办件"},
		{Label: "超期办件", Count: late, Overdue: late, Link: "/staff/cases?overdue=1",
			Hint: "在办办件中已过本阶段期限（按工作日计）仍未办完当前环节的办件"}}, nil
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
