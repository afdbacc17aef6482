package service_test

import (
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

func at(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, calendar.Location())
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func date(t *time.Time) string {
	if t == nil {
		return "<nil>"
	}
	return t.UTC().Format(calendar.DateLayout)
}

// TestDeadlines follows the due times of docs/procedure.md through a case's life,
// against dates worked out by hand from the 2026 State Council schedule.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	root := newFixture(t)

	t.Run("WindowCase", func(t *testing.T) {
		f := root.with(t)
		defer f.clk.Set(baseTime)
		f.clk.Set(baseTime) // Monday 2 March 2026
		tc := f.newCase(caseSpec{})
		v, err := f.svc.Case(f.ctx, tc.applicant, tc.no)
		mustOK(t, err)
		// 3 working days: 3, 4, 5 March. 60 calendar days: 1 May, a holiday
		// (1–5 May), rolled to Wednesday 6 May.
		if str(v.StageDueAt) != "2026-03-05T23:59:59+08:00" || v.LegalDueAt != "2026-05-06T23:59:59+08:00" {
			t.Fatalf("submitted: stage due %s, legal due %s", str(v.StageDueAt), v.LegalDueAt)
		}
		if v.WorkingDaysLeft == nil || *v.WorkingDaysLeft != 3 || v.Overdue {
			t.Fatalf("working days left %v overdue %v", v.WorkingDaysLeft, v.Overdue)
		}

		f.clk.Set(at(2026, 3, 5, 15)) // Thursday
		v, err = f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true})
		mustOK(t, err)
		// Review: 6, 9, 10 March.
		if str(v.AcceptedAt) != "2026-03-05T15:00:00+08:00" || str(v.StageDueAt) != "2026-03-10T23:59:59+08:00" || v.LegalDueAt != "2026-05-06T23:59:59+08:00" {
			t.Fatalf("accepted: at %s, stage due %s, legal due %s", str(v.AcceptedAt), str(v.StageDueAt), v.LegalDueAt)
		}

		f.clk.Set(at(2026, 3, 10, 9))
		v, err = f.svc.Review(f.ctx, tc.county, tc.no, service.Decision{Approve: true})
		mustOK(t, err)
		// Production: 11, 12, 13 March. Born 1988-08-08, 37 on issue: 20 years.
		if str(v.StageDueAt) != "2026-03-13T23:59:59+08:00" || str(v.NewCardExpiresOn) != "2046-03-10" {
			t.Fatalf("issued: stage due %s, new card expires %s", str(v.StageDueAt), str(v.NewCardExpiresOn))
		}

		f.clk.Set(at(2026, 3, 12, 9))
		v, err = f.svc.Produce(f.ctx, f.staff("production"), tc.no, nil)
		mustOK(t, err)
		if str(v.StageDueAt) != "2026-03-13T23:59:59+08:00" {
			t.Fatalf("produced: stage due %s (dispatch is bound by the production due time)", str(v.StageDueAt))
		}
		f.clk.Set(at(2026, 3, 13, 9))
		v, err = f.svc.Ship(f.ctx, f.staff("production"), tc.no, "", nil)
		mustOK(t, err)
		if v.StageDueAt != nil {
			t.Fatalf("shipped: stage due %s", str(v.StageDueAt))
		}

		f.clk.Set(at(2026, 3, 16, 9))
		v, err = f.svc.Arrive(f.ctx, tc.station, tc.no, nil)
		mustOK(t, err)
		// 30 working days from acceptance (5 March), skipping 4–6 April.
		if str(v.PickupDueAt) != "2026-04-17T23:59:59+08:00" || str(v.StageDueAt) != str(v.PickupDueAt) {
			t.Fatalf("ready: pickup due %s, stage due %s", str(v.PickupDueAt), str(v.StageDueAt))
		}
		if v.LegalDueAt != "2026-05-06T23:59:59+08:00" {
			t.Fatalf("legal due moved to %s", v.LegalDueAt)
		}

		old := f.person(tc.person.ID)
		f.clk.Set(at(2026, 3, 20, 9))
		v, err = f.svc.Handover(f.ctx, tc.station, f.token(tc), true)
		mustOK(t, err)
		if v.OldCardReturned == nil || !*v.OldCardReturned || v.StageDueAt != nil {
			t.Fatalf("collected: old card returned %v, stage due %s", v.OldCardReturned, str(v.StageDueAt))
		}
		p := f.person(tc.person.ID)
		if date(p.CardIssuedOn) != "2026-03-10" || date(p.CardExpiresOn) != "2046-03-10" || !p.CardValid || !p.CardFingerprints {
			t.Fatalf("person's card after handover: issued %s expires %s valid %v (before: issued %s)",
				date(p.CardIssuedOn), date(p.CardExpiresOn), p.CardValid, date(old.CardIssuedOn))
		}
		if c := f.caseRow(tc.no); c.ClosedAt == nil || c.ActivePersonID != nil {
			t.Fatal("collected case still open")
		}
	})

	t.Run("SpringFestival", func(t *testing.T) {
		f := root.with(t)
		defer f.clk.Set(baseTime)
		f.clk.Set(at(2026, 2, 12, 16)) // Thursday before the Spring Festival
		tc := f.newCase(caseSpec{})
		c := f.caseRow(tc.no)
		// 13 Feb, 14 Feb (a worked Saturday), then 15–23 Feb off: 24 Feb.
		if got := calendar.FormatTime(*c.StageDueAt); got != "2026-02-24T23:59:59+08:00" {
			t.Fatalf("stage due %s", got)
		}
		if got := calendar.FormatTime(c.LegalDueAt); got != "2026-04-13T23:59:59+08:00" {
			t.Fatalf("legal due %s", got)
		}
	})

	t.Run("Extension", func(t *testing.T) {
		f := root.with(t)
		tc := f.newCase(caseSpec{station: remoteCounty})
		sup := f.supervisorOver(tc)
		v, err := f.svc.Extend(f.ctx, sup, tc.no, 10, "山区道路中断", nil)
		mustOK(t, err)
		// 70 days from 2 March: Monday 11 May.
		if v.LegalDueAt != "2026-05-11T23:59:59+08:00" || v.ExtensionDays != 10 || v.Status != string(domain.StatusSubmitted) {
			t.Fatalf("extended 10: legal due %s, %d days, %s", v.LegalDueAt, v.ExtensionDays, v.Status)
		}
		if str(v.StageDueAt) != "2026-03-05T23:59:59+08:00" {
			t.Fatalf("extension moved the stage due time: %s", str(v.StageDueAt))
		}
		v, err = f.svc.Extend(f.ctx, sup, tc.no, 20, "仍未恢复", nil)
		mustOK(t, err)
		// 90 days: Sunday 31 May, rolled to Monday 1 June.
		if v.LegalDueAt != "2026-06-01T23:59:59+08:00" || v.ExtensionDays != 30 {
			t.Fatalf("extended 30: legal due %s, %d days", v.LegalDueAt, v.ExtensionDays)
		}
		if c := f.caseRow(tc.no); c.ExtensionReason == nil || *c.ExtensionReason != "仍未恢复" {
			t.Fatalf("extension reason %v", c.ExtensionReason)
		}
		last := v.Timeline[len(v.Timeline)-1]
		if last.Action != string(domain.ActionExtend) || last.Note == nil || *last.Note != "延长20天：仍未恢复" {
			t.Fatalf("timeline %+v", last)
		}
		f.drive(tc, domain.StatusAccepted)
		if c := f.caseRow(tc.no); calendar.FormatTime(c.LegalDueAt) != "2026-06-01T23:59:59+08:00" {
			t.Fatalf("acceptance reset the extended legal due time to %s", calendar.FormatTime(c.LegalDueAt))
		}
	})

	t.Run("LossReplacementInvalidatesOldCard", func(t *testing.T) {
		f := root.with(t)
		tc := f.newCase(caseSpec{kind: domain.KindLossReplacement})
		if !f.person(tc.person.ID).CardValid {
			t.Fatal("the card was declared invalid on submission")
		}
		v, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true})
		mustOK(t, err)
		if v.FeeYuan != 40 || f.person(tc.person.ID).CardValid {
			t.Fatalf("after acceptance: fee %d, card valid %v", v.FeeYuan, f.person(tc.person.ID).CardValid)
		}
		f.drive(tc, domain.StatusReadyForPickup)
		v, err = f.svc.Handover(f.ctx, tc.station, f.token(tc), true)
		mustOK(t, err)
		if v.OldCardReturned != nil {
			t.Fatalf("a loss replacement recorded old card returned = %v", *v.OldCardReturned)
		}
		if p := f.person(tc.person.ID); !p.CardValid || date(p.CardIssuedOn) != "2026-03-02" {
			t.Fatalf("new card: valid %v issued %s", p.CardValid, date(p.CardIssuedOn))
		}
		// A renewal's acceptance leaves the current card valid, and a
		// rejected loss replacement was never accepted.
		ren := f.caseAt(caseSpec{}, domain.StatusAccepted)
		rej := f.caseAt(caseSpec{kind: domain.KindLossReplacement}, domain.StatusRejected)
		if !f.person(ren.person.ID).CardValid || !f.person(rej.person.ID).CardValid {
			t.Fatal("a card was declared invalid without an accepted loss replacement")
		}
	})

	t.Run("RenewalNeedsOldCard", func(t *testing.T) {
		f := root.with(t)
		tc := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
		before := f.caseRow(tc.no)
		_, err := f.svc.Handover(f.ctx, tc.station, f.token(tc), false)
		wantCode(t, err, domain.CodeOldCardRequired)
		if after := f.caseRow(tc.no); after.Status != before.Status || after.Version != before.Version || after.OldCardReturned != nil {
			t.Fatalf("a refused handover changed the case: %s v%d", after.Status, after.Version)
		}
		v, err := f.svc.Handover(f.ctx, tc.station, f.token(tc), true)
		mustOK(t, err)
		if v.OldCardReturned == nil || !*v.OldCardReturned {
			t.Fatalf("old card returned %v, want true", v.OldCardReturned)
		}
		last := v.Timeline[len(v.Timeline)-1]
		if last.Note == nil || *last.Note != "旧证已收回" {
			t.Fatalf("timeline note %v", last.Note)
		}
		n := f.count("SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND action = 'case.handover' AND detail LIKE ?", tc.no, "%old_card_returned%")
		if n != 1 {
			t.Fatalf("%d audit entries record the old card", n)
		}
	})

	t.Run("DeliverSetsNewCard", func(t *testing.T) {
		f := root.with(t)
		young := f.newPerson(personSpec{birth: time.Date(2012, 7, 5, 0, 0, 0, 0, time.UTC)})
		ap, _ := f.newApplicant(applicantSpec{personID: &young.ID})
		in := f.submitInput(caseSpec{station: homeCounty, kind: domain.KindDamageRenewal, mail: true})
		v, err := f.svc.Submit(f.ctx, ap, in, "")
		mustOK(t, err)
		tc := &tcase{no: v.No, spec: caseSpec{household: homeCounty, station: homeCounty, mail: true, kind: domain.KindDamageRenewal},
			person: young, applicant: ap, station: f.staff("station-" + homeCounty), county: f.staff("county-" + homeCounty)}
		f.drive(tc, domain.StatusShipped)
		v, err = f.svc.Deliver(f.ctx, f.staff("production"), tc.no, "  杨某  ", nil)
		mustOK(t, err)
		// Under 16 on issue: 5 years.
		if v.Status != string(domain.StatusDelivered) || str(v.NewCardExpiresOn) != "2031-03-02" || v.OldCardReturned != nil {
			t.Fatalf("delivered: %s, expires %s", v.Status, str(v.NewCardExpiresOn))
		}
		p := f.person(young.ID)
		if date(p.CardIssuedOn) != "2026-03-02" || date(p.CardExpiresOn) != "2031-03-02" || !p.CardValid {
			t.Fatalf("person's card after delivery: issued %s expires %s", date(p.CardIssuedOn), date(p.CardExpiresOn))
		}
		if c := f.caseRow(tc.no); c.SignedBy == nil || *c.SignedBy != "杨某" {
			t.Fatalf("signed by %v", c.SignedBy)
		}
		_, err = f.svc.Deliver(f.ctx, f.staff("production"), tc.no, " ", nil)
		wantCode(t, err, domain.CodeValidationFailed)
	})

	t.Run("LongTermCard", func(t *testing.T) {
		f := root.with(t)
		old := f.newPerson(personSpec{birth: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)})
		ap, _ := f.newApplicant(applicantSpec{personID: &old.ID})
		v, err := f.svc.Submit(f.ctx, ap, f.submitInput(caseSpec{station: homeCounty, kind: domain.KindDamageRenewal}), "")
		mustOK(t, err)
		_, err = f.svc.Precheck(f.ctx, f.staff("station-"+homeCounty), v.No, service.Decision{Approve: true})
		mustOK(t, err)
		v, err = f.svc.Review(f.ctx, f.staff("county-"+homeCounty), v.No, service.Decision{Approve: true})
		mustOK(t, err)
		if v.NewCardExpiresOn != nil {
			t.Fatalf("56 on issue: expires %s, want long-term", *v.NewCardExpiresOn)
		}
	})

	t.Run("PickupWindowLateArrivalAndReopen", func(t *testing.T) {
		f := root.with(t)
		defer f.clk.Set(baseTime)
		tc := f.caseAt(caseSpec{}, domain.StatusShipped)
		// The card arrives after the 30 working days from acceptance ran
		// out: the applicant gets a whole new window from arrival.
		late := at(2026, 5, 20, 9)
		f.clk.Set(late)
		v, err := f.svc.Arrive(f.ctx, tc.station, tc.no, nil)
		mustOK(t, err)
		if want := calendar.FormatTime(f.cal.AddWorkingDays(late, calendar.PickupWorkingDays)); str(v.PickupDueAt) != want {
			t.Fatalf("late arrival: pickup due %s, want %s", str(v.PickupDueAt), want)
		}
		_, err = f.perform(tc, domain.ActionClosePickup)
		mustOK(t, err)
		reopen := at(2026, 9, 1, 9)
		f.clk.Set(reopen)
		v, err = f.svc.ReopenPickup(f.ctx, f.supervisorOver(tc), tc.no, "本人在外务工", nil)
		mustOK(t, err)
		if want := calendar.FormatTime(f.cal.AddWorkingDays(reopen, calendar.PickupWorkingDays)); str(v.PickupDueAt) != want || v.Status != string(domain.StatusReadyForPickup) {
			t.Fatalf("reopened: %s, pickup due %s, want %s", v.Status, str(v.PickupDueAt), want)
		}
		if c := f.caseRow(tc.no); c.PickupRemindedAt != nil {
			t.Fatal("reopening kept the old reminder mark")
		}
	})
}
