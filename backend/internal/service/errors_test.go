package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/suite"
)

// unchanged fails when the case's status or version moved since before.
func (f *fixture) unchanged(before store.Case) {
	f.t.Helper()
	after := f.caseRow(before.No)
	if after.Status != before.Status || after.Version != before.Version {
		f.t.Fatalf("case changed: %s v%d → %s v%d", before.Status, before.Version, after.Status, after.Version)
	}
}

// TestActionErrors covers the documented codes of the actions on a case
// other than the status × role × jurisdiction grid.
func TestActionErrors(t *testing.T) {
	t.Parallel()
	root := newFixture(t)

	t.Run("ErrReasonRequired", func(t *testing.T) {
		f := root.with(t)
		sub := f.caseAt(caseSpec{}, domain.StatusSubmitted)
		for _, reason := range []string{"", "   \t"} {
			before := f.caseRow(sub.no)
			_, err := f.svc.Precheck(f.ctx, sub.station, sub.no, service.Decision{Reason: reason})
			wantCode(t, err, domain.CodeReasonRequired)
			f.unchanged(before)
		}
		acc := f.caseAt(caseSpec{}, domain.StatusAccepted)
		before := f.caseRow(acc.no)
		_, err := f.svc.Review(f.ctx, acc.county, acc.no, service.Decision{Reason: " "})
		wantCode(t, err, domain.CodeReasonRequired)
		f.unchanged(before)
		rem := f.caseAt(caseSpec{station: remoteCounty}, domain.StatusAccepted)
		before = f.caseRow(rem.no)
		_, err = f.svc.Extend(f.ctx, f.supervisorOver(rem), rem.no, 5, "", nil)
		wantCode(t, err, domain.CodeReasonRequired)
		f.unchanged(before)
		// The reason the applicant sees is kept.
		v, err := f.svc.Precheck(f.ctx, sub.station, sub.no, service.Decision{Reason: " 照片模糊 "})
		mustOK(t, err)
		if v.RejectReason == nil || *v.RejectReason != "照片模糊" || v.Status != string(domain.StatusRejected) {
			t.Fatalf("reject reason %v, status %s", v.RejectReason, v.Status)
		}
	})

	t.Run("ErrInvalidTrackingNo", func(t *testing.T) {
		f := root.with(t)
		prod := f.staff("production")
		mail := f.caseAt(caseSpec{mail: true}, domain.StatusProduced)
		good := domain.MakeS10("EA", 12345678, "CN") // EA123456785CN
		bad := good[:10] + "0" + good[11:]           // wrong check digit
		for name, tn := range map[string]string{"missing": "", "blank": "  ", "badCheckDigit": bad, "badShape": "EA12345CN", "digitsOnly": "1234567890123"} {
			t.Run(name, func(t *testing.T) {
				before := f.caseRow(mail.no)
				_, err := f.svc.Ship(f.ctx, prod, mail.no, tn, nil)
				wantCode(t, err, domain.CodeInvalidTrackingNo)
				f.with(t).unchanged(before)
			})
		}
		// A window case may ship without a number, but not with a bad one.
		win := f.caseAt(caseSpec{}, domain.StatusProduced)
		_, err := f.svc.Ship(f.ctx, prod, win.no, bad, nil)
		wantCode(t, err, domain.CodeInvalidTrackingNo)
		t.Run("OK", func(t *testing.T) {
			v, err := f.svc.Ship(f.ctx, prod, mail.no, " ea123456785cn ", nil)
			mustOK(t, err)
			if v.TrackingNo == nil || *v.TrackingNo != good || v.Status != string(domain.StatusShipped) {
				t.Fatalf("tracking %v status %s", v.TrackingNo, v.Status)
			}
		})
	})

	t.Run("ErrExtensionNotAllowed", func(t *testing.T) {
		f := root.with(t)
		t.Run("notRemote", func(t *testing.T) {
			f := f.with(t)
			tc := f.caseAt(caseSpec{}, domain.StatusAccepted)
			before := f.caseRow(tc.no)
			_, err := f.svc.Extend(f.ctx, f.staff("supervisor-5201"), tc.no, 5, "交通不便", nil)
			wantCode(t, err, domain.CodeExtensionNotAllowed)
			f.unchanged(before)
		})
		t.Run("over30Total", func(t *testing.T) {
			f := f.with(t)
			tc := f.caseAt(caseSpec{station: remoteCounty}, domain.StatusIssued)
			sup := f.supervisorOver(tc)
			for _, days := range []int{0, -1, 31} {
				_, err := f.svc.Extend(f.ctx, sup, tc.no, days, "交通不便", nil)
				wantCode(t, err, domain.CodeExtensionNotAllowed)
			}
			_, err := f.svc.Extend(f.ctx, sup, tc.no, 20, "交通不便", nil)
			mustOK(t, err)
			before := f.caseRow(tc.no)
			_, err = f.svc.Extend(f.ctx, sup, tc.no, 11, "交通不便", nil)
			wantCode(t, err, domain.CodeExtensionNotAllowed)
			f.unchanged(before)
			v, err := f.svc.Extend(f.ctx, f.staff("supervisor"), tc.no, 10, "交通不便", nil) // the province's supervisor, to exactly 30
			mustOK(t, err)
			if v.ExtensionDays != 30 {
				t.Fatalf("extension %d days, want 30", v.ExtensionDays)
			}
		})
		t.Run("ErrNotFound_supervisorOverHouseholdOnly", func(t *testing.T) {
			// supervisor-5201 oversees the person's household county but
			// not the remote station: extending is not its call.
			f := f.with(t)
			tc := f.caseAt(caseSpec{station: remoteCounty}, domain.StatusAccepted)
			_, err := f.svc.Extend(f.ctx, f.staff("supervisor-5201"), tc.no, 5, "交通不便", nil)
			wantCode(t, err, domain.CodeNotFound)
		})
	})

	t.Run("ClosePickupBeforeWindowEnds", func(t *testing.T) {
		f := root.with(t)
		tc := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
		before := f.caseRow(tc.no)
		_, err := f.svc.ClosePickup(f.ctx, tc.no)
		wantCode(t, err, domain.CodeInvalidTransition)
		f.unchanged(before)
	})

	t.Run("ErrVersionConflict", func(t *testing.T) {
		f := root.with(t)
		tc := f.caseAt(caseSpec{}, domain.StatusSubmitted)
		c := f.caseRow(tc.no)
		stale := c.Version - 1
		_, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true, Version: &stale})
		wantCode(t, err, domain.CodeVersionConflict)
		future := c.Version + 1
		_, err = f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true, Version: &future})
		wantCode(t, err, domain.CodeVersionConflict)
		f.unchanged(c)
		v, err := f.svc.Precheck(f.ctx, tc.station, tc.no, service.Decision{Approve: true, Version: &c.Version})
		mustOK(t, err)
		// The answer's version is the one to send next; the old one is stale.
		_, err = f.svc.Review(f.ctx, tc.county, tc.no, service.Decision{Approve: true, Version: &c.Version})
		wantCode(t, err, domain.CodeVersionConflict)
		_, err = f.svc.Review(f.ctx, tc.county, tc.no, service.Decision{Approve: true, Version: &v.Version})
		mustOK(t, err)
		for _, step := range []func(v *int) error{
			func(v *int) error { _, err := f.svc.Produce(f.ctx, f.staff("production"), tc.no, v); return err },
			func(v *int) error { _, err := f.svc.Ship(f.ctx, f.staff("production"), tc.no, "", v); return err },
			func(v *int) error { _, err := f.svc.Arrive(f.ctx, tc.station, tc.no, v); return err },
		} {
			cur := f.caseRow(tc.no).Version
			old := cur - 1
			wantCode(t, step(&old), domain.CodeVersionConflict)
			mustOK(t, step(&cur))
		}
	})

	t.Run("Tokens", func(t *testing.T) {
		f := root.with(t)
		tc := f.caseAt(caseSpec{}, domain.StatusReadyForPickup)
		tok := f.token(tc)
		other := f.staff("station-" + otherCounty)
		t.Run("ErrNotReadyForPickup", func(t *testing.T) {
			early := f.caseAt(caseSpec{}, domain.StatusShipped)
			_, err := f.svc.IssuePickupToken(f.ctx, early.applicant, early.no)
			wantCode(t, err, domain.CodeNotReadyForPickup)
		})
		t.Run("ErrNotFound_otherApplicant", func(t *testing.T) {
			stranger, _ := f.newApplicant(applicantSpec{})
			_, err := f.svc.IssuePickupToken(f.ctx, stranger, tc.no)
			wantCode(t, err, domain.CodeNotFound)
			_, err = f.svc.Case(f.ctx, stranger, tc.no)
			wantCode(t, err, domain.CodeNotFound)
		})
		t.Run("ErrTokenInvalid", func(t *testing.T) {
			forged, err := pickup.NewSigner(suite.SM, []byte(strings.Repeat("k", 32)), 0)
			mustOK(t, err)
			c := f.caseRow(tc.no)
			fake, _, err := forged.Issue(c.ID, c.StationID, f.clk.Now())
			mustOK(t, err)
			tampered := tok[:len(tok)-2] + map[bool]string{true: "AA", false: "AB"}[!strings.HasSuffix(tok, "AA")]
			for name, bad := range map[string]string{"garbage": "not-a-token", "empty": "", "otherKey": fake, "tampered": tampered, "caseNo": tc.no} {
				t.Run(name, func(t *testing.T) {
					_, err := f.svc.VerifyPickup(f.ctx, tc.station, bad)
					wantCode(t, err, domain.CodeTokenInvalid)
					_, err = f.svc.Handover(f.ctx, tc.station, bad, true)
					wantCode(t, err, domain.CodeTokenInvalid)
				})
			}
		})
		t.Run("ErrWrongStation", func(t *testing.T) {
			_, err := f.svc.VerifyPickup(f.ctx, other, tok)
			wantCode(t, err, domain.CodeWrongStation)
			_, err = f.svc.Handover(f.ctx, other, tok, true)
			wantCode(t, err, domain.CodeWrongStation)
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			_, err := f.svc.VerifyPickup(f.ctx, tc.county, tok)
			wantCode(t, err, domain.CodeForbidden)
		})
		t.Run("ErrTokenExpired", func(t *testing.T) {
			f := f.with(t)
			back := f.clk.Now()
			f.clk.Advance(pickup.DefaultTTL + time.Second)
			defer f.clk.Set(back)
			_, err := f.svc.VerifyPickup(f.ctx, tc.station, tok)
			wantCode(t, err, domain.CodeTokenExpired)
			_, err = f.svc.Handover(f.ctx, tc.station, tok, true)
			wantCode(t, err, domain.CodeTokenExpired)
		})
		f.unchanged(f.caseRow(tc.no))
		t.Run("VerifyThenHandover", func(t *testing.T) {
			chk, err := f.svc.VerifyPickup(f.ctx, tc.station, tok)
			mustOK(t, err)
			if chk.Case.No != tc.no || chk.Person.Name != tc.person.Name || !chk.ReturnsOldCard {
				t.Fatalf("verify: %+v", chk)
			}
			if chk.Person.IDNumber == tc.person.IDNumber || !strings.Contains(chk.Person.IDNumber, "*") {
				t.Fatalf("verify shows the ID number unmasked: %s", chk.Person.IDNumber)
			}
			if f.caseRow(tc.no).Status != string(domain.StatusReadyForPickup) {
				t.Fatal("verify changed the case")
			}
			v, err := f.svc.Handover(f.ctx, tc.station, tok, true)
			mustOK(t, err)
			if v.Status != string(domain.StatusCollected) {
				t.Fatalf("status %s", v.Status)
			}
		})
		t.Run("ErrTokenUsed", func(t *testing.T) {
			before := f.caseRow(tc.no)
			_, err := f.svc.Handover(f.ctx, tc.station, tok, true)
			wantCode(t, err, domain.CodeTokenUsed)
			_, err = f.svc.VerifyPickup(f.ctx, tc.station, tok)
			wantCode(t, err, domain.CodeTokenUsed)
			f.with(t).unchanged(before)
		})
	})
}

// TestSubmitErrors covers the documented refusals of Submit.
func TestSubmitErrors(t *testing.T) {
	t.Parallel()
	root := newFixture(t)
	ok := func(f *fixture) (service.Actor, service.SubmitInput) {
		p := f.newPerson(personSpec{})
		ap, _ := f.newApplicant(applicantSpec{personID: &p.ID})
		return ap, f.submitInput(caseSpec{station: homeCounty, kind: domain.KindDamageRenewal})
	}
	cases := func(f *fixture, ap service.Actor) int64 {
		return f.count("SELECT COUNT(*) FROM cases WHERE applicant_id = ?", ap.ID)
	}

	t.Run("ErrForbidden_staff", func(t *testing.T) {
		f := root.with(t)
		_, in := ok(f)
		_, err := f.svc.Submit(f.ctx, f.staff("station-"+homeCounty), in, "")
		wantCode(t, err, domain.CodeForbidden)
	})
	t.Run("ErrNotBound", func(t *testing.T) {
		f := root.with(t)
		ap, _ := f.newApplicant(applicantSpec{})
		_, in := ok(f)
		_, err := f.svc.Submit(f.ctx, ap, in, "k1")
		wantCode(t, err, domain.CodeNotBound)
		if cases(f, ap) != 0 || f.count("SELECT COUNT(*) FROM idempotency_keys WHERE applicant_id = ?", ap.ID) != 0 {
			t.Fatal("a refused submit left rows behind")
		}
	})
	t.Run("ErrKindNotAllowed", func(t *testing.T) {
		f := root.with(t)
		issued := store.DateOf(baseTime.AddDate(-3, 0, 0), calendar.Location())
		far := store.DateOf(baseTime.AddDate(5, 0, 0), calendar.Location())
		for name, tt := range map[string]struct {
			ps   personSpec
			kind domain.Kind
		}{
			"damageCardOlderThan2Years": {personSpec{issued: issued}, domain.KindDamageRenewal},
			"lossNoFingerprints":        {personSpec{noPrints: true}, domain.KindLossReplacement},
			"expiryTooEarly":            {personSpec{expires: &far}, domain.KindExpiryRenewal},
			"expiryLongTermCard":        {personSpec{noExpiry: true, birth: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)}, domain.KindExpiryRenewal},
			"invalidCard":               {personSpec{invalidCard: true}, domain.KindDamageRenewal},
		} {
			t.Run(name, func(t *testing.T) {
				f := f.with(t)
				p := f.newPerson(tt.ps)
				ap, _ := f.newApplicant(applicantSpec{personID: &p.ID})
				in := f.submitInput(caseSpec{station: homeCounty, kind: tt.kind})
				_, err := f.svc.Submit(f.ctx, ap, in, "")
				wantCode(t, err, domain.CodeKindNotAllowed)
				if cases(f, ap) != 0 {
					t.Fatal("case inserted")
				}
			})
		}
	})
	t.Run("ErrMailAddressRequired", func(t *testing.T) {
		f := root.with(t)
		ap, in := ok(f)
		in.Collection = string(domain.CollectionMail)
		good := *f.mailInput(f.next())
		for name, m := range map[string]*service.MailInput{
			"none":          nil,
			"noRecipient":   {Phone: good.Phone, DivisionCode: good.DivisionCode, Address: good.Address},
			"noAddress":     {Recipient: good.Recipient, Phone: good.Phone, DivisionCode: good.DivisionCode, Address: "  "},
			"badPhone":      {Recipient: good.Recipient, Phone: "12345", DivisionCode: good.DivisionCode, Address: good.Address},
			"prefecture":    {Recipient: good.Recipient, Phone: good.Phone, DivisionCode: "5201", Address: good.Address},
			"unknownCounty": {Recipient: good.Recipient, Phone: good.Phone, DivisionCode: "999999", Address: good.Address},
		} {
			t.Run(name, func(t *testing.T) {
				in := in
				in.Mail = m
				_, err := f.svc.Submit(f.ctx, ap, in, "")
				wantCode(t, err, domain.CodeMailAddressRequired)
			})
		}
		if cases(f, ap) != 0 {
			t.Fatal("case inserted")
		}
		in.Mail = &good
		v, err := f.svc.Submit(f.ctx, ap, in, "")
		mustOK(t, err)
		if v.Mail == nil || v.Mail.Phone == good.Phone || v.Mail.Address == good.Address {
			t.Fatalf("mail view not masked: %+v", v.Mail)
		}
	})
	t.Run("ErrUnknownStation", func(t *testing.T) {
		f := root.with(t)
		ap, in := ok(f)
		bureau, err := f.st.Q(f.ctx).OfficeByCode(homeCounty + "-GA")
		mustOK(t, err)
		for _, id := range []int64{0, 999999, bureau.ID, f.staff("production").OfficeID} {
			in.StationID = id
			_, err := f.svc.Submit(f.ctx, ap, in, "")
			wantCode(t, err, domain.CodeUnknownStation)
		}
		if cases(f, ap) != 0 {
			t.Fatal("case inserted")
		}
	})
	t.Run("ErrPhotoRequired", func(t *testing.T) {
		f := root.with(t)
		exp := store.DateOf(baseTime.AddDate(0, 1, 0), calendar.Location())
		p := f.newPerson(personSpec{expires: &exp, issued: exp.AddDate(-20, 0, 0)})
		ap, _ := f.newApplicant(applicantSpec{personID: &p.ID})
		in := f.submitInput(caseSpec{station: homeCounty, kind: domain.KindExpiryRenewal})
		in.PhotoReceiptNo = ""
		_, err := f.svc.Submit(f.ctx, ap, in, "")
		wantCode(t, err, domain.CodePhotoRequired)
		in.PhotoReceiptNo = "ab12"
		_, err = f.svc.Submit(f.ctx, ap, in, "")
		wantCode(t, err, domain.CodePhotoInvalid)
		stranger := int64(424242)
		in.PhotoReceiptNo, in.PhotoID = "", &stranger
		_, err = f.svc.Submit(f.ctx, ap, in, "")
		wantCode(t, err, domain.CodePhotoInvalid)
		in.PhotoID, in.PhotoReceiptNo = nil, "gz20260302ab"
		v, err := f.svc.Submit(f.ctx, ap, in, "")
		mustOK(t, err)
		if v.FeeYuan != 20 || v.Kind != string(domain.KindExpiryRenewal) {
			t.Fatalf("fee %d kind %s", v.FeeYuan, v.Kind)
		}
	})
	t.Run("ErrActiveCaseExists", func(t *testing.T) {
		f := root.with(t)
		ap, in := ok(f)
		first, err := f.svc.Submit(f.ctx, ap, in, "")
		mustOK(t, err)
		_, err = f.svc.Submit(f.ctx, ap, in, "")
		wantCode(t, err, domain.CodeActiveCaseExists)
		mail := in
		mail.Collection, mail.Mail = string(domain.CollectionMail), f.mailInput(f.next())
		_, err = f.svc.Submit(f.ctx, ap, mail, "other-key")
		wantCode(t, err, domain.CodeActiveCaseExists)
		if cases(f, ap) != 1 {
			t.Fatal("second case inserted")
		}
		// Once the first case closes, the person may apply again.
		_, err = f.svc.Cancel(f.ctx, ap, first.No)
		mustOK(t, err)
		second, err := f.svc.Submit(f.ctx, ap, in, "")
		mustOK(t, err)
		if second.No == first.No || cases(f, ap) != 2 {
			t.Fatalf("second case %s", second.No)
		}
	})
	t.Run("ErrIdempotencyKeyReused", func(t *testing.T) {
		f := root.with(t)
		ap, in := ok(f)
		first, err := f.svc.Submit(f.ctx, ap, in, "key-1")
		mustOK(t, err)
		again, err := f.svc.Submit(f.ctx, ap, in, "key-1")
		mustOK(t, err)
		if again.No != first.No || again.Version != first.Version {
			t.Fatalf("replay %s v%d, first %s v%d", again.No, again.Version, first.No, first.Version)
		}
		other := in
		other.Collection, other.Mail = string(domain.CollectionMail), f.mailInput(f.next())
		_, err = f.svc.Submit(f.ctx, ap, other, "key-1")
		wantCode(t, err, domain.CodeIdempotencyKeyReused)
		if cases(f, ap) != 1 {
			t.Fatal("more than one case")
		}
		// The key belongs to the applicant: another one may use it.
		ap2, in2 := ok(f)
		v, err := f.svc.Submit(f.ctx, ap2, in2, "key-1")
		mustOK(t, err)
		if v.No == first.No {
			t.Fatal("another applicant got the first answer")
		}
	})
}
