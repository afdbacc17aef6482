package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

func TestDispatchList(t *testing.T) {
	f := newFixture(t)
	prod := f.staff("production")
	mail := f.caseAt(caseSpec{mail: true}, domain.StatusShipped)
	window := f.caseAt(caseSpec{station: otherCounty}, domain.StatusReadyForPickup)
	f.caseAt(caseSpec{}, domain.StatusProduced) // made, not shipped: not on the list
	// Shipped at 00:30 in Shanghai on the next day, which is still the
	// previous day in UTC: it belongs to the next day's list.
	f.clk.Set(time.Date(2026, 3, 3, 0, 30, 0, 0, calendar.Location()))
	late := f.caseAt(caseSpec{}, domain.StatusShipped)
	f.clk.Set(baseTime)

	d, err := f.svc.DispatchList(f.ctx, prod, "")
	mustOK(t, err)
	if d.Date != "2026-03-02" || len(d.Rows) != 2 || d.Window != 1 || d.Mail != 1 || d.Stations != 1 {
		t.Fatalf("today's list: %+v", d)
	}
	w, m := d.Rows[0], d.Rows[1]
	if w.No != window.no || w.StationCode == "" || w.StationName == "" || w.StatusLabel != domain.StatusReadyForPickup.Label() {
		t.Errorf("window row first, with its station: %+v", w)
	}
	if m.No != mail.no || m.TrackingNo == "" || m.CountyName == "" || m.Recipient == mail.mailIn.Recipient ||
		!strings.HasPrefix(m.Recipient, "收") || m.Holder == mail.person.Name || m.ShippedAt.Location() != calendar.Location() {
		t.Errorf("mail row, masked, with its county: %+v", m)
	}

	next, err := f.svc.DispatchList(f.ctx, prod, "2026-03-03")
	mustOK(t, err)
	if len(next.Rows) != 1 || next.Rows[0].No != late.no {
		t.Fatalf("the next day's list: %+v", next.Rows)
	}
	before, err := f.svc.DispatchList(f.ctx, prod, "2026-03-01")
	mustOK(t, err)
	if len(before.Rows) != 0 {
		t.Fatalf("a day without dispatch: %+v", before.Rows)
	}

	for _, bad := range []string{"2026-3-2", "yesterday", "2026-02-30", "1999-12-31"} {
		_, err := f.svc.DispatchList(f.ctx, prod, bad)
		wantCode(t, err, domain.CodeValidationFailed)
	}
	for _, u := range []string{"station-" + homeCounty, "county-" + homeCounty, "supervisor", "admin"} {
		_, err := f.svc.DispatchList(f.ctx, f.staff(u), "")
		wantCode(t, err, domain.CodeForbidden)
	}
}

func TestShipMail(t *testing.T) {
	f := newFixture(t)
	prod := f.staff("production")
	a := f.caseAt(caseSpec{mail: true}, domain.StatusProduced)
	b := f.caseAt(caseSpec{mail: true}, domain.StatusProduced)
	c := f.caseAt(caseSpec{mail: true}, domain.StatusProduced)
	d := f.caseAt(caseSpec{mail: true}, domain.StatusProduced)
	shipped := f.caseAt(caseSpec{mail: true}, domain.StatusShipped)
	taken := *f.caseRow(shipped.no).TrackingNo

	q, err := f.svc.MailToShip(f.ctx, prod, "")
	mustOK(t, err)
	if q.Total != 4 || len(q.Rows) != 4 || q.Rows[0].Version == 0 || q.Rows[0].Phone == "" || strings.Contains(q.Rows[0].Address, "号") {
		t.Fatalf("mail to ship: %+v", q)
	}
	if one, _ := f.svc.MailToShip(f.ctx, prod, strings.ToLower(c.no)); one.Total != 1 || one.Rows[0].No != c.no {
		t.Fatalf("search: %+v", one)
	}

	dup := domain.MakeS10("EB", 12345678, "CN")
	good := "  " + strings.ToLower(domain.MakeS10("EC", 87654321, "CN")) + " "
	res, err := f.svc.ShipMail(f.ctx, prod, []service.MailItem{
		{No: a.no, Value: "EA123456789CN"}, // wrong check digit
		{No: b.no, Value: dup}, {No: c.no, Value: dup},
		{No: d.no, Value: taken},
		{No: shipped.no, Value: domain.MakeS10("ED", 11111111, "CN")}, // already shipped
	})
	mustOK(t, err)
	if len(res.Done) != 0 || len(res.Failed) != 5 {
		t.Fatalf("result: %+v", res)
	}
	for no, want := range map[string]string{a.no: "校验位", b.no: "多个办件", c.no: "多个办件", d.no: shipped.no, shipped.no: "不能执行"} {
		if !strings.Contains(res.Failed[no], want) {
			t.Errorf("%s: %q does not say %q", no, res.Failed[no], want)
		}
	}
	v := f.caseRow(a.no).Version
	res, err = f.svc.ShipMail(f.ctx, prod, []service.MailItem{{No: a.no, Value: good, Version: &v}, {No: b.no, Value: dup}})
	mustOK(t, err)
	if len(res.Done) != 2 || len(res.Failed) != 0 {
		t.Fatalf("result: %+v", res)
	}
	if row := f.caseRow(a.no); row.Status != string(domain.StatusShipped) || *row.TrackingNo != strings.ToUpper(strings.TrimSpace(good)) {
		t.Fatalf("shipped case: %s %v", row.Status, *row.TrackingNo)
	}
	old := 1
	res, _ = f.svc.ShipMail(f.ctx, prod, []service.MailItem{{No: c.no, Value: domain.MakeS10("EE", 22222222, "CN"), Version: &old}})
	if !strings.Contains(res.Failed[c.no], "已被他人处理") {
		t.Fatalf("stale row: %+v", res)
	}
	_, err = f.svc.ShipMail(f.ctx, f.staff("station-"+homeCounty), nil)
	wantCode(t, err, domain.CodeForbidden)
	_, err = f.svc.MailToShip(f.ctx, prod, "GZ-1")
	wantCode(t, err, domain.CodeValidationFailed)
}

func TestDeliverMail(t *testing.T) {
	f := newFixture(t)
	prod := f.staff("production")
	a := f.caseAt(caseSpec{mail: true}, domain.StatusShipped)
	b := f.caseAt(caseSpec{mail: true}, domain.StatusShipped)
	f.caseAt(caseSpec{}, domain.StatusShipped) // the window route is not in transit by mail

	q, err := f.svc.MailInTransit(f.ctx, prod, "")
	mustOK(t, err)
	if q.Total != 2 || q.Rows[0].No != a.no || q.Rows[0].TrackingNo == "" {
		t.Fatalf("in transit: %+v", q)
	}
	if one, _ := f.svc.MailInTransit(f.ctx, prod, q.Rows[1].TrackingNo); one.Total != 1 || one.Rows[0].No != b.no {
		t.Fatalf("search by tracking number: %+v", one)
	}
	res, err := f.svc.DeliverMail(f.ctx, prod, []service.MailItem{{No: a.no, Value: "本人"}, {No: b.no, Value: strings.Repeat("长", 33)}})
	mustOK(t, err)
	if len(res.Done) != 1 || res.Done[0] != a.no || !strings.Contains(res.Failed[b.no], "签收人") {
		t.Fatalf("result: %+v", res)
	}
	if row := f.caseRow(a.no); row.Status != string(domain.StatusDelivered) || *row.SignedBy != "本人" {
		t.Fatalf("delivered case: %s", row.Status)
	}
	_, err = f.svc.DeliverMail(f.ctx, f.staff("county-"+homeCounty), nil)
	wantCode(t, err, domain.CodeForbidden)
}
