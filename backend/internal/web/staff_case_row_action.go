package web

import (
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseRowAction is the action column of a case list row: the next thing
// the actor's role does to the case, linked to the case page's action
// forms, or 查看 when the role has nothing to do on it.
type caseRowAction struct {
	Label, Link string
	Work        bool // the role acts on the case (not just 查看)
}

// caseRowActionFor is the action column of a row for a role.
func caseRowActionFor(role domain.Role, v service.CaseView) caseRowAction {
	window := v.Collection == string(domain.CollectionWindow)
	label := ""
	switch st := domain.Status(v.Status); {
	case role == domain.RoleStationOfficer && st == domain.StatusSubmitted:
		label = "核验"
	case role == domain.RoleStationOfficer && st == domain.StatusShipped && window:
		label = "确认到证"
	case role == domain.RoleStationOfficer && st == domain.StatusReadyForPickup:
		label = "发证"
	case role == domain.RoleCountyReviewer && st == domain.StatusAccepted:
		label = "审核"
	case role == domain.RoleProductionOperator && st == domain.StatusIssued:
		label = "制作"
	case role == domain.RoleProductionOperator && st == domain.StatusProduced:
		label = "发出"
	case role == domain.RoleProductionOperator && st == domain.StatusShipped && !window:
		label = "登记签收"
	}
	if label == "" {
		return caseRowAction{Label: "查看", Link: casePath(v.No)}
	}
	return caseRowAction{Label: label, Link: casePath(v.No) + "#actions", Work: true}
}
