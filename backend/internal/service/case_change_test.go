package service_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// changeFields are the fields a change may touch, each as the input that
// changes it on a case of the route.
var changeFields = []string{"station", "collection", "mail"}

func (f *fixture) changeInput(field string, mail bool) service.ChangeInput {
	switch field {
	case "station":
		id := f.stationOf(otherCounty)
		return service.ChangeInput{StationID: &id}
	case "collection":
		if mail {
			w := string(domain.CollectionWindow)
			return service.ChangeInput{Collection: &w}
		}
		m := string(domain.CollectionMail)
		return service.ChangeInput{Collection: &m, Mail: f.mailInput(f.next())}
	}
	if !mail { // an address makes a window case a mail one
		m := string(domain.CollectionMail)
		return service.ChangeInput{Collection: &m, Mail: f.mailInput(f.next())}
	}
	return service.ChangeInput{Mail: f.mailInput(f.next())}
}

// TestChangeMatrix walks every status × field on both routes: a change is
// allowed until production starts (submitted, accepted, issued) and 409
// CHANGE_NOT_ALLOWED from produced on and on closed cases, writing nothing.
func TestChangeMatrix(t *testing.T) {
	t.Parallel()
	root := newFixture(t)
	changeable := map[domain.Status]bool{domain.StatusSubmitted: true, domain.StatusAccepted: true, domain.StatusIssued: true}
	for _, mail := range []bool{false, true} {
		for _, s := range domain.AllStatuses() {
			if !reachable(s, mail) {
				continue
			}
			for _, field := range changeFields {
				t.Run(fmt.Sprintf("%s/%s/%s", routeName(mail), s, field), func(t *testing.T) {
					f := root.with(t)
					tc := f.caseAt(caseSpec{mail: mail}, s)
					before := f.caseRow(tc.no)
					in := f.changeInput(field, mail)
					v, err := f.svc.Change(f.ctx, tc.applicant, tc.no, in)
					after := f.caseRow(tc.no)
					if !changeable[s] {
						wantCode(t, err, domain.CodeChangeNotAllowed)
						if after.Version != before.Version || after.StationID != before.StationID || after.Collection != before.Collection {
							t.Fatalf("a refused change wrote the case")
						}
						return
					}
					mustOK(t, err)
					if after.Version != before.Version+1 || v.Version != after.Version || v.Status != string(s) {
						t.Fatalf("version %d → %d (answer %d), status %s", before.Version, after.Version, v.Version, v.Status)
					}
					switch field {
					case "station":
						if after.StationID != *in.StationID || v.Station.ID != *in.StationID || after.StationDivision != otherCounty {
							t.Fatalf("station %d (%s), want %d", after.StationID, after.StationDivision, *in.StationID)
						}
					case "collection":
						if after.Collection == before.Collection {
							t.Fatalf("collection still %s", after.Collection)
						}
						if after.Collection == string(domain.CollectionWindow) && (after.MailAddressEnc != nil || after.MailDivisionCode != nil) {
							t.Fatal("the window route kept a mail address")
						}
					case "mail":
						if after.Collection != string(domain.CollectionMail) || after.MailAddress != in.Mail.Address || after.MailRecipient != in.Mail.Recipient {
							t.Fatalf("mail %s %q, want %q", after.Collection, after.MailAddress, in.Mail.Address)
						}
					}
					if n := f.count("SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'change'", after.ID); n != 1 {
						t.Fatalf("%d change events, want 1", n)
					}
					if n := f.count("SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND action = 'case.change' AND outcome = 'ok'", tc.no); n != 1 {
						t.Fatalf("%d change audit entries, want 1", n)
					}
					// The same change again is harmless: answered, nothing written.
					if field == "station" {
						v2, err := f.svc.Change(f.ctx, tc.applicant, tc.no, in)
						mustOK(t, err)
						if v2.Version != after.Version {
							t.Fatalf("a repeated change wrote the case: version %d → %d", after.Version, v2.Version)
						}
					}
				})
			}
		}
	}
}

// TestChangeStationBeforePrecheck: the new station takes over the
// pre-check — its queue, a pre-check period of its own from the change —
// and nothing of the old station is left: not its queue, not its
// jurisdiction, not its officer's action.
func TestChangeStationBeforePrecheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tc := f.newCase(caseSpec{})
	oldOfficer, newOfficer := tc.station, f.staff("station-"+otherCounty)
	queue := func(a service.Actor) int64 {
		qs, err := f.svc.StaffQueues(f.ctx, a)
		mustOK(t, err)
		return qs[0].Count // 待核验预受理
	}
	oldBefore, newBefore := queue(oldOfficer), queue(newOfficer)
	f.clk.Advance(50 * time.Hour) // two days later, Wednesday
	changedAt := f.clk.Now()
	newStation := f.stationOf(otherCounty)
	v, err := f.svc.Change(f.ctx, tc.applicant, tc.no, service.ChangeInput{StationID: &newStation})
	mustOK(t, err)

	c := f.caseRow(tc.no)
	wantDue := f.cal.AddWorkingDays(changedAt, calendar.PrecheckWorkingDays)
	if c.StageDueAt == nil || !c.StageDueAt.Equal(wantDue) || v.StageDueAt == nil || *v.StageDueAt != calendar.FormatTime(wantDue) {
		t.Fatalf("stage due %v (answer %v), want %v: 3 working days from the change", c.StageDueAt, v.StageDueAt, wantDue)
	}
	if !c.LegalDueAt.Equal(f.cal.LegalDue(c.SubmittedAt, 0)) {
		t.Fatalf("legal due %v moved: it runs from the application", c.LegalDueAt)
	}
	if got := queue(oldOfficer); got != oldBefore-1 {
		t.Fatalf("old station's queue %d, want %d", got, oldBefore-1)
	}
	if got := queue(newOfficer); got != newBefore+1 {
		t.Fatalf("new station's queue %d, want %d", got, newBefore+1)
	}
	_, err = f.svc.Case(f.ctx, oldOfficer, tc.no)
	wantCode(t, err, domain.CodeNotFound)
	_, err = f.svc.Precheck(f.ctx, oldOfficer, tc.no, service.Decision{Approve: true})
	wantCode(t, err, domain.CodeNotFound)
	if _, err := f.svc.Precheck(f.ctx, newOfficer, tc.no, service.Decision{Approve: true}); err != nil {
		t.Fatalf("the new station's pre-check: %v", err)
	}
	full, err := f.svc.Case(f.ctx, tc.applicant, tc.no)
	mustOK(t, err)
	var seen bool
	for _, e := range full.Timeline {
		if e.Action == string(domain.ActionChange) && e.Note != nil && *e.Note != "" {
			seen = true
		}
	}
	if !seen {
		t.Fatalf("no change on the timeline: %+v", full.Timeline)
	}
	if n := f.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE ?", "%领证信息已变更%"); n == 0 {
		t.Fatal("the applicant was not told of the change")
	}
}

// TestChangeAfterPrecheck: after pre-check only the station the card goes
// to and the route change; the review's deadline stays, and the card of a
// case turned to the mail route is on the production centre's EMS list
// with the new address.
func TestChangeAfterPrecheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tc := f.caseAt(caseSpec{}, domain.StatusIssued)
	before := f.caseRow(tc.no)
	other := f.stationOf(otherCounty)
	mail := string(domain.CollectionMail)
	in := service.ChangeInput{StationID: &other, Collection: &mail, Mail: f.mailInput(f.next())}
	_, err := f.svc.Change(f.ctx, tc.applicant, tc.no, in)
	mustOK(t, err)
	after := f.caseRow(tc.no)
	if after.StationSince != nil || !after.StageDueAt.Equal(*before.StageDueAt) {
		t.Fatalf("production's due moved: %v → %v", before.StageDueAt, after.StageDueAt)
	}
	f.drive(&tcase{no: tc.no, spec: caseSpec{mail: true}, applicant: tc.applicant}, domain.StatusProduced)
	q, err := f.svc.MailToShip(f.ctx, f.staff("production"), tc.no)
	mustOK(t, err)
	if len(q.Rows) != 1 || q.Rows[0].Collection != mail {
		t.Fatalf("EMS list %+v, want the changed case", q.Rows)
	}
	_, err = f.svc.Change(f.ctx, tc.applicant, tc.no, service.ChangeInput{StationID: &before.StationID})
	wantCode(t, err, domain.CodeChangeNotAllowed) // in production now
}

// TestChangeVersionAndInput: a stale version is VERSION_CONFLICT; mail
// without an address, an unknown station and an empty change are refused.
func TestChangeVersionAndInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tc := f.newCase(caseSpec{})
	c := f.caseRow(tc.no)
	stale := c.Version - 1
	other := f.stationOf(otherCounty)
	_, err := f.svc.Change(f.ctx, tc.applicant, tc.no, service.ChangeInput{StationID: &other, Version: &stale})
	wantCode(t, err, domain.CodeVersionConflict)
	mail := string(domain.CollectionMail)
	_, err = f.svc.Change(f.ctx, tc.applicant, tc.no, service.ChangeInput{Collection: &mail})
	wantCode(t, err, domain.CodeMailAddressRequired)
	bogus := int64(987654321)
	_, err = f.svc.Change(f.ctx, tc.applicant, tc.no, service.ChangeInput{StationID: &bogus})
	wantCode(t, err, domain.CodeUnknownStation)
	_, err = f.svc.Change(f.ctx, tc.applicant, tc.no, service.ChangeInput{})
	wantCode(t, err, domain.CodeValidationFailed)
	if got := f.caseRow(tc.no); got.Version != c.Version {
		t.Fatalf("refused changes wrote the case: version %d → %d", c.Version, got.Version)
	}
	cur := c.Version
	_, err = f.svc.Change(f.ctx, tc.applicant, tc.no, service.ChangeInput{StationID: &other, Version: &cur})
	mustOK(t, err)
}
