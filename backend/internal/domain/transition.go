package domain

// Action is something done to a case. Each action has exactly one rule in
// the transition table (see Rules).
type Action string

// Actions of the transition table (docs/procedure.md).
const (
	// ActionSubmit creates a case in StatusSubmitted.
	ActionSubmit Action = "submit"
	// ActionCancel is the applicant withdrawing before pre-check.
	ActionCancel Action = "cancel"
	// ActionPrecheckApprove is the station's pre-check passing.
	ActionPrecheckApprove Action = "precheck_approve"
	// ActionPrecheckReject is the station's pre-check failing; needs a reason.
	ActionPrecheckReject Action = "precheck_reject"
	// ActionReviewApprove is the county bureau reviewing and issuing.
	ActionReviewApprove Action = "review_approve"
	// ActionReviewReject is the county review failing; needs a reason.
	ActionReviewReject Action = "review_reject"
	// ActionProduce is the production centre finishing the card.
	ActionProduce Action = "produce"
	// ActionShip is the production centre dispatching the card.
	ActionShip Action = "ship"
	// ActionArrive is the station confirming the card arrived (window route).
	ActionArrive Action = "arrive"
	// ActionHandover is the station handing the card over (window route).
	ActionHandover Action = "handover"
	// ActionDeliver records the courier's delivery (mail route).
	ActionDeliver Action = "deliver"
	// ActionClosePickup is the system ending the pickup window.
	ActionClosePickup Action = "close_pickup"
	// ActionReopenPickup is a supervisor re-opening pickup.
	ActionReopenPickup Action = "reopen_pickup"
	// ActionExtend is a supervisor extending the legal period; the status
	// does not change. Needs a reason.
	ActionExtend Action = "extend"
	// ActionChange is the applicant changing the station, the collection
	// method or the mail address before production; the status does not
	// change.
	ActionChange Action = "change"
)

// EventCardRestored is a timeline event outside the transition table: a
// loss replacement that ended before production gave back the card its
// acceptance had declared invalid.
const EventCardRestored Action = "card_restore"

// AllActions returns every action in process order.
func AllActions() []Action {
	return []Action{
		ActionSubmit, ActionCancel, ActionPrecheckApprove, ActionPrecheckReject,
		ActionReviewApprove, ActionReviewReject, ActionProduce, ActionShip,
		ActionArrive, ActionHandover, ActionDeliver, ActionClosePickup,
		ActionReopenPickup, ActionExtend, ActionChange,
	}
}

// Label returns the Chinese name of the action, or the raw value for an
// unknown action.
func (a Action) Label() string {
	switch a {
	case ActionSubmit:
		return "提交申请"
	case ActionCancel:
		return "撤回申请"
	case ActionPrecheckApprove:
		return "核验通过"
	case ActionPrecheckReject:
		return "核验不通过"
	case ActionReviewApprove:
		return "审核签发"
	case ActionReviewReject:
		return "审核不通过"
	case ActionProduce:
		return "制作完成"
	case ActionShip:
		return "发出证件"
	case ActionArrive:
		return "证件到站"
	case ActionHandover:
		return "交付证件"
	case ActionDeliver:
		return "投递签收"
	case ActionClosePickup:
		return "逾期关闭领取"
	case ActionReopenPickup:
		return "重新开放领取"
	case ActionExtend:
		return "延长办理期限"
	case ActionChange:
		return "变更领证信息"
	case EventCardRestored:
		return "原证件恢复有效"
	default:
		return string(a)
	}
}

// Valid reports whether a is one of the defined actions.
func (a Action) Valid() bool {
	for _, v := range AllActions() {
		if a == v {
			return true
		}
	}
	return false
}

// NeedsReason reports whether the action must carry a reason that the
// applicant or the audit log sees: both rejections and the extension.
func (a Action) NeedsReason() bool {
	return a == ActionPrecheckReject || a == ActionReviewReject || a == ActionExtend
}

// Rule is one row of the transition table.
type Rule struct {
	// Action is the action the row allows.
	Action Action
	// From lists the statuses the action is allowed from; empty means the
	// case does not exist yet (submit only).
	From []Status
	// To is the resulting status; empty means unchanged (extend).
	To Status
	// Role is the only role that may perform the action.
	Role Role
	// Collection restricts the action to one collection route; empty means
	// either route.
	Collection Collection
}

// openStatuses lists the statuses that are not final.
func openStatuses() []Status {
	var out []Status
	for _, s := range AllStatuses() {
		if !s.IsFinal() {
			out = append(out, s)
		}
	}
	return out
}

// Rules returns the transition table of docs/procedure.md, one rule per action.
// Anything the table does not allow is INVALID_TRANSITION. The slice is
// freshly built on each call, so callers may not change the table.
func Rules() []Rule {
	one := func(s Status) []Status { return []Status{s} }
	return []Rule{
		{Action: ActionSubmit, From: nil, To: StatusSubmitted, Role: RoleApplicant},
		{Action: ActionCancel, From: one(StatusSubmitted), To: StatusCancelled, Role: RoleApplicant},
		{Action: ActionPrecheckApprove, From: one(StatusSubmitted), To: StatusAccepted, Role: RoleStationOfficer},
		{Action: ActionPrecheckReject, From: one(StatusSubmitted), To: StatusRejected, Role: RoleStationOfficer},
		{Action: ActionReviewApprove, From: one(StatusAccepted), To: StatusIssued, Role: RoleCountyReviewer},
		{Action: ActionReviewReject, From: one(StatusAccepted), To: StatusRejected, Role: RoleCountyReviewer},
		{Action: ActionProduce, From: one(StatusIssued), To: StatusProduced, Role: RoleProductionOperator},
		{Action: ActionShip, From: one(StatusProduced), To: StatusShipped, Role: RoleProductionOperator},
		{Action: ActionArrive, From: one(StatusShipped), To: StatusReadyForPickup, Role: RoleStationOfficer, Collection: CollectionWindow},
		{Action: ActionHandover, From: one(StatusReadyForPickup), To: StatusCollected, Role: RoleStationOfficer, Collection: CollectionWindow},
		{Action: ActionDeliver, From: one(StatusShipped), To: StatusDelivered, Role: RoleProductionOperator, Collection: CollectionMail},
		{Action: ActionClosePickup, From: one(StatusReadyForPickup), To: StatusUncollected, Role: RoleSystem, Collection: CollectionWindow},
		{Action: ActionReopenPickup, From: one(StatusUncollected), To: StatusReadyForPickup, Role: RoleSupervisor, Collection: CollectionWindow},
		{Action: ActionExtend, From: openStatuses(), To: "", Role: RoleSupervisor},
		{Action: ActionChange, From: ChangeableStatuses(), To: "", Role: RoleApplicant},
	}
}

// ChangeableStatuses are the statuses from which the applicant may change
// the station, collection method or mail address: until production starts.
// Before pre-check (submitted) a new station also takes over the pre-check.
func ChangeableStatuses() []Status {
	return []Status{StatusSubmitted, StatusAccepted, StatusIssued}
}

// ruleFor returns the rule of action a.
func ruleFor(a Action) (Rule, bool) {
	for _, r := range Rules() {
		if r.Action == a {
			return r, true
		}
	}
	return Rule{}, false
}

// Next returns the status a case reaches when action a is performed from
// status from on collection route c. Pass from == "" for a case that does
// not exist yet (submit). It returns an *Error with CodeInvalidTransition
// when the table does not allow the action, with a Chinese message naming
// the current status; CodeBadRequest for an unknown action; and
// CodeValidationFailed for an unknown collection route.
func Next(a Action, from Status, c Collection) (Status, error) {
	r, ok := ruleFor(a)
	if !ok {
		return "", Errorf(CodeBadRequest, "未知的办件操作“%s”", a)
	}
	if !c.Valid() {
		return "", Errorf(CodeValidationFailed, "领证方式“%s”无效，应为窗口领取或邮寄到家", c)
	}
	if !allowedFrom(r, from) {
		if a == ActionChange {
			return "", Errorf(CodeChangeNotAllowed, "办件当前状态为“%s”，%s", from.Label(), CodeChangeNotAllowed.Message())
		}
		if from == "" {
			return "", Errorf(CodeInvalidTransition, "办件尚未提交，不能执行“%s”操作", a.Label())
		}
		return "", Errorf(CodeInvalidTransition, "办件当前状态为“%s”，不能执行“%s”操作", from.Label(), a.Label())
	}
	if r.Collection != "" && r.Collection != c {
		return "", Errorf(CodeInvalidTransition, "该办件的领证方式为“%s”，不能执行“%s”操作", c.Label(), a.Label())
	}
	if r.To == "" {
		return from, nil
	}
	return r.To, nil
}

// allowedFrom reports whether rule r may start from status from.
func allowedFrom(r Rule, from Status) bool {
	if len(r.From) == 0 {
		return from == ""
	}
	for _, s := range r.From {
		if s == from {
			return true
		}
	}
	return false
}

// RoleFor returns the role that may perform action a, or "" for an unknown
// action.
func RoleFor(a Action) Role {
	r, _ := ruleFor(a)
	return r.Role
}

// CheckRole returns nil when role r may perform action a, and otherwise an
// *Error with CodeForbidden. Jurisdiction (which station, county or
// division) is checked by the service layer, not here.
func CheckRole(a Action, r Role) error {
	want := RoleFor(a)
	if want == "" {
		return Errorf(CodeForbidden, "未知的办件操作“%s”", a)
	}
	if r != want {
		who := r.Label()
		if !r.Valid() {
			who = "当前用户"
		}
		return Errorf(CodeForbidden, "%s无权执行“%s”操作，该操作由%s办理", who, a.Label(), want.Label())
	}
	return nil
}
