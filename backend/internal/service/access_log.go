package service

import (
	"context"
	"errors"
	"strings"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// AccessLogMax is the most views the access log lists.
const AccessLogMax = 200

// accessPurposes are the audited actions that showed staff a person's full
// personal data, with the purpose the citizen reads.
var accessPurposes = map[string]string{
	"person.view_full":          "办理身份证业务时查看完整身份信息",
	auditPickupVerify:           "领取证件时核验身份",
	"pickup.lookup":             "领取证件时按办件编号查询",
	"pickup.handover_by_lookup": "按办件编号查询后发放证件",
}

// AccessView is one time staff looked at the person's full personal data:
// the office and role, never the officer's name.
type AccessView struct {
	At      string `json:"at"`
	Office  string `json:"office"`
	Role    string `json:"role"`
	Purpose string `json:"purpose"`
}

// AccessLog is the answer of GET /api/v1/me/access-log.
type AccessLog struct {
	Items []AccessView `json:"items"`
}

// MyAccessLog lists, newest first, every time staff opened the full
// personal data of the person the applicant is bound to (谁查看了我的信息),
// read from the audit log. An account bound to no person gets an empty
// list. Returns UNAUTHENTICATED for an account that is gone.
func (s *Service) MyAccessLog(ctx context.Context, a Actor) (AccessLog, error) {
	q := s.st.Q(ctx)
	out := AccessLog{Items: []AccessView{}}
	ap, err := q.Applicant(a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return out, domain.E(domain.CodeUnauthenticated)
	}
	if err != nil {
		return out, s.internal(ctx, "access log", err)
	}
	if ap.PersonID == nil {
		return out, nil
	}
	actions := make([]string, 0, len(accessPurposes))
	for k := range accessPurposes {
		actions = append(actions, k)
	}
	es, err := q.PersonViews(*ap.PersonID, actions, AccessLogMax)
	if err != nil {
		return out, s.internal(ctx, "access log", err)
	}
	for _, e := range es {
		office := e.Office
		if _, name, ok := strings.Cut(office, " "); ok {
			office = name // the office's name, without its code
		}
		if office == "" {
			office = "（未记录）"
		}
		out.Items = append(out.Items, AccessView{At: calendar.FormatTime(e.At), Office: office,
			Role: domain.Role(e.Role).Label(), Purpose: accessPurposes[e.Action]})
	}
	return out, nil
}
