package store

import (
	"slices"
	"strings"

	"gorm.io/gorm"
)

// AuditSearch selects audit entries for the supervisors' audit page: the
// fields of AuditFilter, and more.
type AuditSearch struct {
	AuditFilter
	// ActorName keeps entries whose actor name starts with it.
	ActorName string
	// ActionPrefix makes Action match as a prefix ("case." for every
	// action on a case).
	ActionPrefix bool
	// CaseDivision, when set, keeps only entries about cases whose station
	// lies in that division (a code prefix), and entries made by SelfID.
	CaseDivision string
	SelfID       int64
	// Role, Outcome keep entries with exactly that role or result; Office
	// and IP those whose office (code and name) or client IP start with it.
	Role, Outcome, Office, IP string
	// AfterSeq, when set (and BeforeSeq not), asks for the page before
	// (newer than) the entry with that seq: the entries just above it,
	// still returned newest first.
	AfterSeq int64
}

// likePrefix escapes s for LIKE ... ESCAPE '!' and appends the wildcard.
// The escape character is not a backslash, which MySQL string literals
// would swallow and SQLite would not.
func likePrefix(s string) string {
	r := strings.NewReplacer(`!`, `!!`, `%`, `!%`, `_`, `!_`)
	return r.Replace(s) + "%"
}

// SearchAudit lists the entries that match f, newest first, with the keyset
// pagination of AuditEntries (BeforeSeq, at most AuditPageMax a page).
func (q *Q) SearchAudit(f AuditSearch) ([]AuditEntry, error) {
	g := q.auditSearchWhere(f)
	limit := f.Limit
	if limit <= 0 {
		limit = AuditPageDefault
	}
	limit = min(limit, AuditPageMax)
	var out []AuditEntry
	if f.BeforeSeq <= 0 && f.AfterSeq > 0 {
		err := g.Where("seq > ?", f.AfterSeq).Order("seq").Limit(limit).Find(&out).Error
		slices.Reverse(out)
		return out, translate(err)
	}
	if f.BeforeSeq > 0 {
		g = g.Where("seq < ?", f.BeforeSeq)
	}
	err := g.Order("seq DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// CountAudit counts the entries that match f over every page (the keyset
// is not applied).
func (q *Q) CountAudit(f AuditSearch) (int64, error) {
	var n int64
	err := q.auditSearchWhere(f).Count(&n).Error
	return n, translate(err)
}

// auditSearchWhere is the query of f's filters, without keyset or order.
func (q *Q) auditSearchWhere(f AuditSearch) *gorm.DB {
	// Sealed entries only: a pending one has no place in the chain yet.
	g := q.g.Model(&AuditEntry{}).Where("seq > 0")
	if f.ActorKind != "" {
		g = g.Where("actor_kind = ?", f.ActorKind)
	}
	if f.ActorID != nil {
		g = g.Where("actor_id = ?", *f.ActorID)
	}
	if f.ActorName != "" {
		g = g.Where(`actor_name LIKE ? ESCAPE '!'`, likePrefix(f.ActorName))
	}
	if f.Action != "" {
		if f.ActionPrefix {
			g = g.Where(`action LIKE ? ESCAPE '!'`, likePrefix(f.Action))
		} else {
			g = g.Where("action = ?", f.Action)
		}
	}
	if f.ObjectType != "" {
		g = g.Where("object_type = ?", f.ObjectType)
	}
	if f.Role != "" {
		g = g.Where("role = ?", f.Role)
	}
	if f.Outcome != "" {
		g = g.Where("outcome = ?", f.Outcome)
	}
	if f.Office != "" {
		g = g.Where(`office LIKE ? ESCAPE '!'`, likePrefix(f.Office))
	}
	if f.IP != "" {
		g = g.Where(`ip LIKE ? ESCAPE '!'`, likePrefix(f.IP))
	}
	if f.ObjectID != "" {
		g = g.Where("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		g = g.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		g = g.Where("at < ?", f.To)
	}
	if f.CaseDivision != "" {
		lo, hi := DivisionRange(f.CaseDivision)
		cases := q.g.Model(&Case{}).Select("no").Where("station_division >= ? AND station_division < ?", lo, hi)
		g = g.Where("((object_type = ? AND object_id IN (?)) OR (actor_kind = ? AND actor_id = ?))", "case", cases, ActorStaff, f.SelfID)
	}
	return g
}
