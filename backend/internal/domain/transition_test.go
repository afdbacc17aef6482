package domain

import (
	"fmt"
	"strings"
	"testing"
)

// allowed is the transition table of docs/procedure.md written out by hand,
// independently of Rules: key "action from collection" ("*" = both routes,
// "-" = no case yet), value the resulting status.
var allowed = map[string]Status{
	"submit - *":                           StatusSubmitted,
	"cancel submitted *":                   StatusCancelled,
	"precheck_approve submitted *":         StatusAccepted,
	"precheck_reject submitted *":          StatusRejected,
	"review_approve accepted *":            StatusIssued,
	"review_reject accepted *":             StatusRejected,
	"produce issued *":                     StatusProduced,
	"ship produced *":                      StatusShipped,
	"arrive shipped window":                StatusReadyForPickup,
	"handover ready_for_pickup window":     StatusCollected,
	"deliver shipped mail":                 StatusDelivered,
	"close_pickup ready_for_pickup window": StatusUncollected,
	"reopen_pickup uncollected window":     StatusReadyForPickup,
	"extend submitted *":                   StatusSubmitted,
	"extend accepted *":                    StatusAccepted,
	"extend issued *":                      StatusIssued,
	"extend produced *":                    StatusProduced,
	"extend shipped *":                     StatusShipped,
	"extend ready_for_pickup *":            StatusReadyForPickup,
	"extend uncollected *":                 StatusUncollected,
	"change submitted *":                   StatusSubmitted,
	"change accepted *":                    StatusAccepted,
	"change issued *":                      StatusIssued,
}

func expected(a Action, from Status, c Collection) (Status, bool) {
	f := string(from)
	if f == "" {
		f = "-"
	}
	if to, ok := allowed[fmt.Sprintf("%s %s *", a, f)]; ok {
		return to, true
	}
	to, ok := allowed[fmt.Sprintf("%s %s %s", a, f, c)]
	return to, ok
}

func TestNextEveryCell(t *testing.T) {
	froms := append([]Status{""}, AllStatuses()...)
	cells, ok := 0, 0
	for _, a := range AllActions() {
		for _, from := range froms {
			for _, c := range AllCollections() {
				cells++
				name := fmt.Sprintf("%s/%s/%s", a, from, c)
				if from == "" {
					name = fmt.Sprintf("%s/none/%s", a, c)
				}
				want, allow := expected(a, from, c)
				t.Run(name, func(t *testing.T) {
					got, err := Next(a, from, c)
					if allow {
						if err != nil || got != want {
							t.Fatalf("Next = %q, %v; want %q", got, err, want)
						}
						return
					}
					if a == ActionChange {
						// A change refused gives its own code, naming the status.
						if ErrorCode(err) != CodeChangeNotAllowed || got != "" || (from != "" && !strings.Contains(ErrorMessage(err), from.Label())) {
							t.Fatalf("Next = %q, %v; want CHANGE_NOT_ALLOWED", got, err)
						}
						return
					}
					if ErrorCode(err) != CodeInvalidTransition || got != "" {
						t.Fatalf("Next = %q, %v; want INVALID_TRANSITION", got, err)
					}
					msg := ErrorMessage(err)
					if !strings.Contains(msg, a.Label()) {
						t.Errorf("message %q does not name the action", msg)
					}
					if from != "" && !strings.Contains(msg, from.Label()) && !strings.Contains(msg, c.Label()) {
						t.Errorf("message %q names neither the status nor the route", msg)
					}
				})
				if allow {
					ok++
				}
			}
		}
	}
	if cells != 15*12*2 || ok != 41 /* 18 either-route rows × 2 + 5 one-route rows */ {
		t.Errorf("covered %d cells, %d allowed", cells, ok)
	}
}

func TestNextMessage(t *testing.T) {
	_, err := Next(ActionProduce, StatusSubmitted, CollectionWindow)
	if got := ErrorMessage(err); got != "办件当前状态为“已提交待核验”，不能执行“制作完成”操作" {
		t.Errorf("message = %q", got)
	}
	_, err = Next(ActionDeliver, StatusShipped, CollectionWindow)
	if got := ErrorMessage(err); got != "该办件的领证方式为“窗口领取”，不能执行“投递签收”操作" {
		t.Errorf("message = %q", got)
	}
}

func TestNextBadInput(t *testing.T) {
	if _, err := Next("fly", StatusSubmitted, CollectionWindow); ErrorCode(err) != CodeBadRequest {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := Next(ActionCancel, StatusSubmitted, "ems"); ErrorCode(err) != CodeValidationFailed {
		t.Errorf("unknown collection: %v", err)
	}
	if _, err := Next(ActionCancel, "bogus", CollectionMail); ErrorCode(err) != CodeInvalidTransition {
		t.Errorf("unknown status: %v", err)
	}
}

func TestRules(t *testing.T) {
	seen := map[Action]bool{}
	for _, r := range Rules() {
		if seen[r.Action] {
			t.Errorf("action %s has more than one rule", r.Action)
		}
		seen[r.Action] = true
		if !r.Role.Valid() {
			t.Errorf("%s: invalid role %q", r.Action, r.Role)
		}
	}
	for _, a := range AllActions() {
		if !seen[a] {
			t.Errorf("action %s has no rule", a)
		}
	}
	rs := Rules()
	rs[1].From[0] = StatusIssued
	if Rules()[1].From[0] != StatusSubmitted {
		t.Error("Rules must return a fresh table")
	}
}

func TestRoles_CheckRole(t *testing.T) {
	want := map[Action]Role{
		ActionSubmit: RoleApplicant, ActionCancel: RoleApplicant,
		ActionPrecheckApprove: RoleStationOfficer, ActionPrecheckReject: RoleStationOfficer,
		ActionReviewApprove: RoleCountyReviewer, ActionReviewReject: RoleCountyReviewer,
		ActionProduce: RoleProductionOperator, ActionShip: RoleProductionOperator,
		ActionArrive: RoleStationOfficer, ActionHandover: RoleStationOfficer,
		ActionDeliver: RoleProductionOperator, ActionClosePickup: RoleSystem,
		ActionReopenPickup: RoleSupervisor, ActionExtend: RoleSupervisor,
		ActionChange: RoleApplicant,
	}
	for _, a := range AllActions() {
		if RoleFor(a) != want[a] {
			t.Errorf("RoleFor(%s) = %s, want %s", a, RoleFor(a), want[a])
		}
		for _, r := range append(AllRoles(), "") {
			err := CheckRole(a, r)
			if r == want[a] {
				if err != nil {
					t.Errorf("CheckRole(%s, %s) = %v", a, r, err)
				}
				continue
			}
			if ErrorCode(err) != CodeForbidden || !strings.Contains(ErrorMessage(err), a.Label()) {
				t.Errorf("CheckRole(%s, %q) = %v, want FORBIDDEN naming the action", a, r, err)
			}
		}
	}
	if RoleFor("fly") != "" || ErrorCode(CheckRole("fly", RoleAdmin)) != CodeForbidden {
		t.Error("unknown action must have no role")
	}
}

func TestActions(t *testing.T) {
	labels := map[string]bool{}
	for _, a := range AllActions() {
		if !a.Valid() || labels[a.Label()] || !containsHan(a.Label()) {
			t.Errorf("%s: bad or duplicate label %q", a, a.Label())
		}
		labels[a.Label()] = true
	}
	reason := map[Action]bool{ActionPrecheckReject: true, ActionReviewReject: true, ActionExtend: true}
	for _, a := range AllActions() {
		if a.NeedsReason() != reason[a] {
			t.Errorf("%s.NeedsReason() = %v", a, a.NeedsReason())
		}
	}
}
