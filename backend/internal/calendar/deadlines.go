package calendar

import (
	"encoding/json"
	"time"
)

// Periods of the provincial procedure and the Resident Identity Card Law
// (docs/procedure.md).
const (
	// PrecheckWorkingDays is the station's pre-check period from submission.
	PrecheckWorkingDays = 3
	// ReviewWorkingDays is the county bureau's review period from acceptance.
	ReviewWorkingDays = 3
	// ProductionWorkingDays is the production period from issue.
	ProductionWorkingDays = 3
	// PickupWorkingDays is the pickup window from acceptance (受理之日).
	PickupWorkingDays = 30
	// PickupReminderWorkingDays is how many working days before the end of
	// the pickup window the applicant is reminded.
	PickupReminderWorkingDays = 5
	// LegalCalendarDays is the legal issuing period from the application
	// (Resident Identity Card Law art. 12), rolled over holidays.
	LegalCalendarDays = 60
	// MaxExtensionDays is the longest extension of the legal period for
	// remote or poorly connected areas.
	MaxExtensionDays = 30
)

// Deadlines are the due times of each rule of the procedure applied to one
// event time, each at 23:59:59 +08:00 of its last day.
type Deadlines struct {
	// PrecheckDue is 3 working days after the event.
	PrecheckDue time.Time `json:"precheck_due"`
	// ReviewDue is 3 working days after the event.
	ReviewDue time.Time `json:"review_due"`
	// ProductionDue is 3 working days after the event.
	ProductionDue time.Time `json:"production_due"`
	// PickupDue is 30 working days after the event.
	PickupDue time.Time `json:"pickup_due"`
	// LegalDue is 60 calendar days after the event, rolled to a working day.
	LegalDue time.Time `json:"legal_due"`
	// LegalDueMaxExtended is 90 calendar days after the event, rolled to a
	// working day: the legal period with the longest extension.
	LegalDueMaxExtended time.Time `json:"legal_due_max_extended"`
	// ProvisionalYears lists the years without a State Council notice
	// that any of the periods is counted through; when it is not empty the
	// due times are provisional (the statutory fallback) and may move when
	// the notice is imported.
	ProvisionalYears []int `json:"provisional_years"`
}

// Deadlines applies every rule to an event at from. A case uses the rule of
// its stage with the stage's own start: PrecheckDue and LegalDue from
// submission, ReviewDue and PickupDue from acceptance, ProductionDue from
// issue.
func (c *Calendar) Deadlines(from time.Time) Deadlines {
	d := Deadlines{
		PrecheckDue:         c.AddWorkingDays(from, PrecheckWorkingDays),
		ReviewDue:           c.AddWorkingDays(from, ReviewWorkingDays),
		ProductionDue:       c.AddWorkingDays(from, ProductionWorkingDays),
		PickupDue:           c.AddWorkingDays(from, PickupWorkingDays),
		LegalDue:            c.LegalDue(from, 0),
		LegalDueMaxExtended: c.LegalDue(from, MaxExtensionDays),
	}
	d.ProvisionalYears = c.ProvisionalYears(from, d.last())
	return d
}

// last returns the latest of the due times.
func (d Deadlines) last() time.Time {
	out := d.PrecheckDue
	for _, t := range []time.Time{d.ReviewDue, d.ProductionDue, d.PickupDue, d.LegalDue, d.LegalDueMaxExtended} {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// LegalDue returns the legal issuing deadline of an application made at
// submitted with extensionDays of granted extension: the end of the day
// LegalCalendarDays + extensionDays calendar days later, rolled forward to
// a working day. Checking extensionDays against MaxExtensionDays is the
// caller's job.
func (c *Calendar) LegalDue(submitted time.Time, extensionDays int) time.Time {
	return c.AddCalendarDaysRolled(submitted, LegalCalendarDays+extensionDays)
}

// MarshalJSON prints every due time as RFC 3339 in +08:00, e.g.
// "2026-10-09T23:59:59+08:00", and a zero time as null; "provisional" says
// whether any is counted through a year without a notice, and
// "provisional_years" which years ([] when none).
func (d Deadlines) MarshalJSON() ([]byte, error) {
	f := func(t time.Time) *string {
		if t.IsZero() {
			return nil
		}
		s := FormatTime(t)
		return &s
	}
	return json.Marshal(struct {
		PrecheckDue         *string `json:"precheck_due"`
		ReviewDue           *string `json:"review_due"`
		ProductionDue       *string `json:"production_due"`
		PickupDue           *string `json:"pickup_due"`
		LegalDue            *string `json:"legal_due"`
		LegalDueMaxExtended *string `json:"legal_due_max_extended"`
		Provisional         bool    `json:"provisional"`
		ProvisionalYears    []int   `json:"provisional_years"`
	}{
		f(d.PrecheckDue), f(d.ReviewDue), f(d.ProductionDue),
		f(d.PickupDue), f(d.LegalDue), f(d.LegalDueMaxExtended),
		len(d.ProvisionalYears) > 0, append([]int{}, d.ProvisionalYears...),
	})
}
