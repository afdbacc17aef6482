package domain

import "time"

// WardMaxAge is the age from which a person applies for themself: a
// guardian applies for a child under 16 (Resident Identity Card Law art. 8
// and 20: a minor under 16 applies through the guardian).
const WardMaxAge = 16

// Relation is how a registered guardian is related to the child. The
// string values are part of the API contract.
type Relation string

// Relations the registry records.
const (
	RelationFather   Relation = "father"
	RelationMother   Relation = "mother"
	RelationGuardian Relation = "guardian"
)

// Label returns the Chinese name of the relation.
func (r Relation) Label() string {
	switch r {
	case RelationFather:
		return "父亲"
	case RelationMother:
		return "母亲"
	default:
		return "监护人"
	}
}

// CheckWardAge returns nil when a person born on birth is under 16 on day,
// and WARD_TOO_OLD otherwise.
func CheckWardAge(birth, day time.Time) error {
	if AgeOn(birth, day) >= WardMaxAge {
		return E(CodeWardTooOld)
	}
	return nil
}
