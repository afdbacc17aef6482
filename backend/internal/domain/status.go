package domain

// Status is the state of a case. The string values are part of the API
// contract and are stored in the database.
type Status string

// Case statuses, in the order a case normally passes through them.
const (
	// StatusSubmitted means the applicant applied; the station pre-checks next.
	StatusSubmitted Status = "submitted"
	// StatusAccepted means the station's pre-check passed (the acceptance date).
	StatusAccepted Status = "accepted"
	// StatusIssued means the household county bureau reviewed and issued.
	StatusIssued Status = "issued"
	// StatusProduced means the production centre made the card.
	StatusProduced Status = "produced"
	// StatusShipped means the card left the production centre.
	StatusShipped Status = "shipped"
	// StatusReadyForPickup means the card is at the station window.
	StatusReadyForPickup Status = "ready_for_pickup"
	// StatusCollected means the applicant collected the card (final).
	StatusCollected Status = "collected"
	// StatusDelivered means EMS delivered the card to the address (final).
	StatusDelivered Status = "delivered"
	// StatusRejected means the pre-check or the review failed (final).
	StatusRejected Status = "rejected"
	// StatusCancelled means the applicant withdrew before pre-check (final).
	StatusCancelled Status = "cancelled"
	// StatusUncollected means the pickup window ended without collection;
	// a supervisor may re-open pickup.
	StatusUncollected Status = "uncollected"
)

// AllStatuses returns every status in process order.
func AllStatuses() []Status {
	return []Status{
		StatusSubmitted, StatusAccepted, StatusIssued, StatusProduced,
		StatusShipped, StatusReadyForPickup, StatusCollected, StatusDelivered,
		StatusRejected, StatusCancelled, StatusUncollected,
	}
}

// Label returns the Chinese name of the status shown to users, or the raw
// value for an unknown status.
func (s Status) Label() string {
	switch s {
	case StatusSubmitted:
		return "已提交待核验"
	case StatusAccepted:
		return "已受理待签发"
	case StatusIssued:
		return "已签发待制作"
	case StatusProduced:
		return "已制作待发出"
	case StatusShipped:
		return "已寄出"
	case StatusReadyForPickup:
		return "待领取"
	case StatusCollected:
		return "已领取"
	case StatusDelivered:
		return "已送达"
	case StatusRejected:
		return "未通过"
	case StatusCancelled:
		return "已撤回"
	case StatusUncollected:
		return "逾期未领取"
	default:
		return string(s)
	}
}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool {
	for _, v := range AllStatuses() {
		if s == v {
			return true
		}
	}
	return false
}

// IsFinal reports whether the case is closed: collected, delivered, rejected
// or cancelled. A closed case never changes again.
func (s Status) IsFinal() bool {
	switch s {
	case StatusCollected, StatusDelivered, StatusRejected, StatusCancelled:
		return true
	}
	return false
}

// IsOpen reports whether s is a valid status that is not final. A person has
// at most one case in an open status.
func (s Status) IsOpen() bool {
	return s.Valid() && !s.IsFinal()
}

// Collection is how the applicant receives the card.
type Collection string

// Collection methods.
const (
	// CollectionWindow means pickup at the acceptance station's window.
	CollectionWindow Collection = "window"
	// CollectionMail means EMS delivery to the applicant's address.
	CollectionMail Collection = "mail"
)

// AllCollections returns both collection methods.
func AllCollections() []Collection {
	return []Collection{CollectionWindow, CollectionMail}
}

// Label returns the Chinese name of the collection method, or the raw value
// for an unknown one.
func (c Collection) Label() string {
	switch c {
	case CollectionWindow:
		return "窗口领取"
	case CollectionMail:
		return "邮寄到家"
	default:
		return string(c)
	}
}

// Valid reports whether c is window or mail.
func (c Collection) Valid() bool {
	return c == CollectionWindow || c == CollectionMail
}

// Role is what a user may do. Staff roles come with an office that sets
// their jurisdiction; that check lives in the service layer.
type Role string

// Roles.
const (
	// RoleApplicant is a citizen applying for their own card.
	RoleApplicant Role = "applicant"
	// RoleStationOfficer works at a police station's household window.
	RoleStationOfficer Role = "station_officer"
	// RoleCountyReviewer reviews and issues at a county bureau.
	RoleCountyReviewer Role = "county_reviewer"
	// RoleProductionOperator works at the provincial production centre.
	RoleProductionOperator Role = "production_operator"
	// RoleSupervisor oversees a station, county, prefecture or the province.
	RoleSupervisor Role = "supervisor"
	// RoleAdmin is the system administrator: offices and the calendar.
	RoleAdmin Role = "admin"
	// RoleSecurityAdmin manages staff accounts and roles (separation of
	// duties, 三权分立: not the system admin, not the auditor).
	RoleSecurityAdmin Role = "security_admin"
	// RoleAuditAdmin reads the audit log and verifies its chain.
	RoleAuditAdmin Role = "audit_admin"
	// RoleSystem is the service itself, acting on timers.
	RoleSystem Role = "system"
)

// AllRoles returns every role.
func AllRoles() []Role {
	return []Role{
		RoleApplicant, RoleStationOfficer, RoleCountyReviewer,
		RoleProductionOperator, RoleSupervisor, RoleAdmin, RoleSecurityAdmin, RoleAuditAdmin, RoleSystem,
	}
}

// Label returns the Chinese name of the role, or the raw value for an
// unknown role.
func (r Role) Label() string {
	switch r {
	case RoleApplicant:
		return "申领人"
	case RoleStationOfficer:
		return "派出所户籍民警"
	case RoleCountyReviewer:
		return "县级公安机关审核签发民警"
	case RoleProductionOperator:
		return "制证中心操作员"
	case RoleSupervisor:
		return "监督管理人员"
	case RoleAdmin:
		return "系统管理员"
	case RoleSecurityAdmin:
		return "安全管理员"
	case RoleAuditAdmin:
		return "审计管理员"
	case RoleSystem:
		return "系统"
	default:
		return string(r)
	}
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	for _, v := range AllRoles() {
		if r == v {
			return true
		}
	}
	return false
}

// NeedsSecondFactor reports whether accounts of role r must enrol a second
// factor at their first sign-in (outside demo mode): the administrators and
// the supervisors, who see or manage the most.
func (r Role) NeedsSecondFactor() bool {
	switch r {
	case RoleAdmin, RoleSecurityAdmin, RoleAuditAdmin, RoleSupervisor:
		return true
	}
	return false
}

// IsAdministrator reports whether r is one of the three administrators,
// none of whom acts on cases.
func (r Role) IsAdministrator() bool {
	return r == RoleAdmin || r == RoleSecurityAdmin || r == RoleAuditAdmin
}

// IsStaff reports whether r is a role held by a staff account (everything
// but applicant and system).
func (r Role) IsStaff() bool {
	return r.Valid() && r != RoleApplicant && r != RoleSystem
}
