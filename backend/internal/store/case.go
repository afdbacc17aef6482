package store

import (
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Purposes of sealed case fields.
const (
	purposeMailRecipient = "case.mail_recipient"
	purposeMailPhone     = "case.mail_phone"
	purposeMailAddress   = "case.mail_address"
)

// Case is one application. The Mail* plain fields are sealed in the database.
type Case struct {
	ID                int64 `gorm:"primaryKey"`
	No                string
	Kind              string
	Status            string
	Collection        string
	PersonID          int64
	ActivePersonID    *int64
	ApplicantID       int64
	StationID         int64
	StationDivision   string
	HouseholdDivision string
	Remote            bool
	MailRecipient     string `gorm:"-"`
	MailPhone         string `gorm:"-"`
	MailAddress       string `gorm:"-"`
	MailRecipientEnc  *string
	MailPhoneEnc      *string
	MailDivisionCode  *string
	MailAddressEnc    *string
	PhotoID           *int64
	PhotoReceiptNo    *string
	FeeYuan           int
	SubmittedAt       time.Time
	AcceptedAt        *time.Time
	IssuedAt          *time.Time
	ProducedAt        *time.Time
	ShippedAt         *time.Time
	ReadyAt           *time.Time
	ClosedAt          *time.Time
	StageDueAt        *time.Time
	LegalDueAt        time.Time
	PickupDueAt       *time.Time
	ExtensionDays     int
	ExtensionReason   *string
	RejectReason      *string
	TrackingNo        *string
	OldCardReturned   *bool
	SignedBy          *string
	NewCardExpiresOn  *time.Time
	PickupRemindedAt  *time.Time
	// CardVoidedAt is when accepting this loss replacement declared the
	// person's card invalid; nil otherwise.
	CardVoidedAt *time.Time
	// GuardianPersonID is the registry person of the guardian who applied
	// for this child (PersonID); nil when the person applied themself.
	GuardianPersonID *int64
	// StationSince is when the current station took over the pre-check
	// after a change of station; nil = since submission.
	StationSince *time.Time
	// PaymentStatus is domain.PaymentStatus: unpaid, paid, refunded,
	// waived or pay_at_window.
	PaymentStatus string `gorm:"default:unpaid"`
	// PersonalErasedAt is when the retention job erased the personal data
	// of this finished case (mail address, photo); nil while it is kept.
	PersonalErasedAt *time.Time
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// TableName names the table.
func (Case) TableName() string { return "cases" }

func (q *Q) sealCase(c *Case) error {
	if c.Collection != "mail" {
		c.MailRecipientEnc, c.MailPhoneEnc, c.MailAddressEnc = nil, nil, nil
		return nil
	}
	for _, f := range []struct {
		purpose string
		plain   string
		dst     **string
	}{
		{purposeMailRecipient, c.MailRecipient, &c.MailRecipientEnc},
		{purposeMailPhone, c.MailPhone, &c.MailPhoneEnc},
		{purposeMailAddress, c.MailAddress, &c.MailAddressEnc},
	} {
		s, err := q.box.Seal(f.purpose, f.plain)
		if err != nil {
			return err
		}
		*f.dst = &s
	}
	return nil
}

func (q *Q) openCase(c *Case) error {
	for _, f := range []struct {
		purpose string
		sealed  *string
		dst     *string
	}{
		{purposeMailRecipient, c.MailRecipientEnc, &c.MailRecipient},
		{purposeMailPhone, c.MailPhoneEnc, &c.MailPhone},
		{purposeMailAddress, c.MailAddressEnc, &c.MailAddress},
	} {
		if f.sealed == nil {
			continue
		}
		s, err := q.box.Open(f.purpose, *f.sealed)
		if err != nil {
			return err
		}
		*f.dst = s
	}
	return nil
}

// InsertCase seals and inserts a new case. A second open case for one person
// fails with ErrOpenCaseExists (the unique active_person_id decides), a number
// that is taken with ErrDuplicate.
//
// The person is claimed by the insert itself, never by a locking read of an
// open case that does not exist yet: on MySQL such a read takes a gap lock
// that every concurrent submitter shares, and their inserts then deadlock on
// each other's gaps. Only after a duplicate does it read the person's open
// case, which then exists, under a shared lock: the duplicate insert already
// holds one on that row, and a shared read sees the committed row that a
// plain snapshot read would not.
func (q *Q) InsertCase(c *Case) error {
	if err := q.sealCase(c); err != nil {
		return err
	}
	t := now()
	c.CreatedAt, c.UpdatedAt = t, t
	if c.Version == 0 {
		c.Version = 1
	}
	err := translate(q.g.Create(c).Error)
	if err == nil {
		return q.countInserted(c)
	}
	if errors.Is(err, ErrDuplicate) && c.ActivePersonID != nil {
		var open int64
		if err := q.g.Raw(q.forShare("SELECT COUNT(*) FROM cases WHERE active_person_id = ?"), *c.ActivePersonID).Scan(&open).Error; err != nil {
			return translate(err)
		}
		if open > 0 {
			return ErrOpenCaseExists
		}
	}
	return err
}

// InsertCases inserts many sealed cases at once (bulk seeding). It leaves
// case_counts alone: concurrent seeding writers would queue on its rows, so
// the seed recounts them once at the end (RebuildCaseCounts).
func (q *Q) InsertCases(cs []Case) error {
	for i := range cs {
		if err := q.sealCase(&cs[i]); err != nil {
			return err
		}
		cs[i].UpdatedAt = cs[i].CreatedAt
		if cs[i].Version == 0 {
			cs[i].Version = 1
		}
	}
	return translate(q.g.CreateInBatches(cs, q.bulkRows()).Error)
}

func (q *Q) oneCase(g *gorm.DB) (Case, error) {
	var c Case
	if err := g.Take(&c).Error; err != nil {
		return c, translate(err)
	}
	return c, q.openCase(&c)
}

// CaseByNo returns the case with number no.
func (q *Q) CaseByNo(no string) (Case, error) { return q.oneCase(q.g.Where("no = ?", no)) }

// CaseByID returns the case with id.
func (q *Q) CaseByID(id int64) (Case, error) { return q.oneCase(q.g.Where("id = ?", id)) }

// LockCaseByNo returns the case and, inside a MySQL transaction, locks its
// row until the transaction ends.
func (q *Q) LockCaseByNo(no string) (Case, error) {
	return q.oneCase(q.forUpdate(q.g.Where("no = ?", no)))
}

// LockCaseByID is LockCaseByNo by id.
func (q *Q) LockCaseByID(id int64) (Case, error) {
	return q.oneCase(q.forUpdate(q.g.Where("id = ?", id)))
}

// UpdateCase writes every column of c if the row still has version
// c.Version, and increments the version. ErrStale means someone else changed
// the case first.
func (q *Q) UpdateCase(c *Case) error {
	if err := q.sealCase(c); err != nil {
		return err
	}
	was, err := q.countedAs(c.ID)
	if err != nil {
		return err
	}
	old := c.Version
	c.Version = old + 1
	c.UpdatedAt = now()
	res := q.g.Model(&Case{}).Where("id = ? AND version = ?", c.ID, old).Select("*").Omit("id", "created_at").Updates(c)
	if res.Error != nil {
		c.Version = old
		return translate(res.Error)
	}
	if res.RowsAffected != 1 {
		c.Version = old
		return ErrStale
	}
	return q.countUpdate(was, c)
}

// CasesOfApplicantWithTemporary lists an applicant's cases, newest first,
// at most limit, with each case's temporary card (by case id), in one
// statement (我的办件 is one round trip; stations are reference data).
func (q *Q) CasesOfApplicantWithTemporary(applicantID int64, limit int) ([]Case, map[int64]TemporaryCard, error) {
	var rows []struct {
		Case        `gorm:"embedded"`
		TID         *int64
		TStatus     *string
		TCardNo     *string
		TValidUntil *time.Time
	}
	err := q.g.Table("cases").Select("cases.*, t.id AS t_id, t.status AS t_status, t.card_no AS t_card_no, t.valid_until AS t_valid_until").
		Joins("LEFT JOIN temporary_cards t ON t.case_id = cases.id").Where("cases.applicant_id = ?", applicantID).
		Order("cases.submitted_at DESC, cases.id DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	out, temps := make([]Case, len(rows)), map[int64]TemporaryCard{}
	for i, r := range rows {
		out[i] = r.Case
		if err := q.openCase(&out[i]); err != nil {
			return nil, nil, err
		}
		if r.TID != nil {
			temps[r.ID] = TemporaryCard{ID: *r.TID, CaseID: r.ID, PersonID: r.PersonID, Status: *r.TStatus, CardNo: r.TCardNo, ValidUntil: r.TValidUntil}
		}
	}
	return out, temps, nil
}

// CasesOfPerson lists a person's cases, newest first.
func (q *Q) CasesOfPerson(personID int64) ([]Case, error) {
	var out []Case
	err := q.g.Where("person_id = ?", personID).Order("submitted_at DESC, id DESC").Find(&out).Error
	return out, translate(err)
}

// CaseIDsDue lists the ids of cases in status whose timestamp column col is
// before t (for the jobs: pickup windows that closed, reminders due).
func (q *Q) CaseIDsDue(status, col string, t time.Time, extra string, limit int) ([]int64, error) {
	var ids []int64
	g := q.g.Model(&Case{}).Where("status = ? AND "+col+" < ?", status, t)
	if extra != "" {
		g = g.Where(extra)
	}
	err := g.Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err)
}

// ActiveCaseOfPerson returns the person's open case. Inside a transaction it
// is a locking read, so it sees a case another transaction just committed.
func (q *Q) ActiveCaseOfPerson(personID int64) (Case, error) {
	return q.oneCase(q.forUpdate(q.g.Where("active_person_id = ?", personID)))
}

// MarkPickupReminded records the pickup reminder once; false when another
// instance did it first.
func (q *Q) MarkPickupReminded(id int64, at time.Time) (bool, error) {
	res := q.g.Model(&Case{}).Where("id = ? AND pickup_reminded_at IS NULL AND status = ?", id, "ready_for_pickup").
		Update("pickup_reminded_at", at)
	return res.RowsAffected == 1, translate(res.Error)
}

// OverdueCount counts the open cases whose stage is overdue at at, under a
// supervisor's division prefix: the cases its list shows as overdue.
func (q *Q) OverdueCount(prefix string, at time.Time) (int64, error) {
	var n int64
	err := q.caseFilter(CaseFilter{Scope: domain.Scope{Kind: domain.ScopeDivision, Division: prefix}, Overdue: true, Now: at}).
		Count(&n).Error
	return n, translate(err)
}

// SupervisorsForDigest lists active supervisors.
func (q *Q) SupervisorsForDigest() ([]Staff, error) {
	var out []Staff
	err := q.g.Where("role = ? AND active = ?", "supervisor", true).Order("id").Find(&out).Error
	return out, translate(err)
}

// ActivePersonIDs returns the persons that have an open case.
func (q *Q) ActivePersonIDs() (map[int64]bool, error) {
	var ids []int64
	if err := q.g.Model(&Case{}).Where("active_person_id IS NOT NULL").Pluck("active_person_id", &ids).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// TakenCaseNos reports which of the numbers are in use.
func (q *Q) TakenCaseNos(nos []string) (map[string]bool, error) {
	var taken []string
	if err := q.g.Model(&Case{}).Where("no IN ?", nos).Pluck("no", &taken).Error; err != nil {
		return nil, translate(err)
	}
	out := map[string]bool{}
	for _, n := range taken {
		out[n] = true
	}
	return out, nil
}
