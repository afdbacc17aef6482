package service

import (
	"context"

	"github.com/gzga/idcard/backend/internal/domain"
)

// BatchItem is one case of a batch action with the version its row showed.
type BatchItem struct {
	No      string
	Version *int
}

// BatchFailure is a case a batch action could not move, with the reason in
// plain Chinese.
type BatchFailure struct {
	No     string
	Reason string
}

// BatchResult counts what a batch action did.
type BatchResult struct {
	Done   []string
	Failed []BatchFailure
}

// MaxBatch bounds one batch action (one page of the list).
const MaxBatch = 100

// BatchActions are the actions a list page may run on many cases at once:
// the station's arrivals, and the production centre's produce and ship
// (window route only: the mail route needs a tracking number per case).
var BatchActions = map[domain.Action]bool{domain.ActionArrive: true, domain.ActionProduce: true, domain.ActionShip: true}

// errBatchShipNeedsTrackingNo refuses a mail-route case in a batch ship: a
// batch carries no tracking numbers.
var errBatchShipNeedsTrackingNo = domain.Errorf(domain.CodeInvalidTrackingNo, "邮寄到家的办件须在办件页逐件填写EMS运单号后发出")

// BatchAct runs action on each case on its own, so one stale or refused case
// does not hold back the others. Returns FORBIDDEN for a role that may not
// run the action and VALIDATION_FAILED for an empty, oversized or unknown
// batch; the per-case failures are in the result.
func (s *Service) BatchAct(ctx context.Context, a Actor, action domain.Action, items []BatchItem) (BatchResult, error) {
	if !BatchActions[action] {
		return BatchResult{}, domain.Errorf(domain.CodeValidationFailed, "不支持批量执行该操作")
	}
	if err := domain.CheckRole(action, a.Role); err != nil {
		s.auditDenied(ctx, a, action, "batch", "role")
		return BatchResult{}, err
	}
	if len(items) == 0 {
		return BatchResult{}, domain.Errorf(domain.CodeValidationFailed, "请先勾选要处理的办件")
	}
	if len(items) > MaxBatch {
		return BatchResult{}, domain.Errorf(domain.CodeValidationFailed, "一次最多处理%d件", MaxBatch)
	}
	var res BatchResult
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.No] {
			continue
		}
		seen[it.No] = true
		var err error
		switch action {
		case domain.ActionArrive:
			_, err = s.Arrive(ctx, a, it.No, it.Version)
		case domain.ActionProduce:
			_, err = s.Produce(ctx, a, it.No, it.Version)
		case domain.ActionShip:
			_, err = s.Ship(ctx, a, it.No, "", it.Version)
			if domain.ErrorCode(err) == domain.CodeInvalidTrackingNo {
				err = errBatchShipNeedsTrackingNo
			}
		}
		if err != nil {
			res.Failed = append(res.Failed, BatchFailure{No: it.No, Reason: domain.ErrorMessage(err)})
			continue
		}
		res.Done = append(res.Done, it.No)
	}
	return res, nil
}
