package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// TestRetentionErasesFinishedCases pins the clock: a delivered mail case
// keeps its address until five years after it closed, then the retention
// job erases the recipient, phone and address (statistics columns kept) and
// audits it; a case still open and a case closed later are left alone, and
// a second run erases nothing.
func TestRetentionErasesFinishedCases(t *testing.T) {
	f := newFixture(t)
	old := f.caseAt(caseSpec{mail: true}, domain.StatusDelivered)
	recent := f.caseAt(caseSpec{mail: true}, domain.StatusShipped)
	open := f.caseAt(caseSpec{mail: true}, domain.StatusShipped)
	f.clk.Advance(400 * 24 * time.Hour)
	f.drive(recent, domain.StatusDelivered) // closed 400 days after the old one

	closed := *f.caseRow(old.no).ClosedAt
	f.clk.Set(closed.Add(service.DefaultRetention - time.Hour))
	if n, err := f.svc.EraseExpiredPersonalData(f.ctx); err != nil || n != 0 {
		t.Fatalf("before the period ends: erased %d, %v", n, err)
	}
	f.clk.Set(closed.Add(service.DefaultRetention + time.Hour))
	n, err := f.svc.EraseExpiredPersonalData(f.ctx)
	if err != nil || n != 1 {
		t.Fatalf("erased %d, %v; want the one old case", n, err)
	}
	rows := map[string]map[string]string{}
	for _, r := range f.rawRows("cases") {
		rows[r["no"]] = r
	}
	o := rows[old.no]
	for _, col := range []string{"mail_recipient_enc", "mail_phone_enc", "mail_address_enc", "signed_by"} {
		if o[col] != "" {
			t.Errorf("old case %s still holds %q", col, o[col])
		}
	}
	if o["personal_erased_at"] == "" || o["status"] != "delivered" || o["kind"] == "" || o["station_id"] == "" || o["submitted_at"] == "" {
		t.Errorf("old case after erasure: %v", o)
	}
	for _, tc := range []*tcase{recent, open} {
		if c := f.caseRow(tc.no); c.MailAddress != tc.mailIn.Address || c.PersonalErasedAt != nil {
			t.Errorf("case %s lost its data: %+v", tc.no, c)
		}
	}
	es, err := f.st.Q(f.ctx).SearchAudit(store.AuditSearch{AuditFilter: store.AuditFilter{Action: "retention.erase", ObjectID: old.no}})
	if err != nil || len(es) != 1 || es[0].ActorKind != store.ActorSystem {
		t.Fatalf("audit of the erasure: %+v %v", es, err)
	}
	if n, err := f.svc.EraseExpiredPersonalData(f.ctx); err != nil || n != 0 {
		t.Fatalf("a second run erased %d, %v", n, err)
	}
	if _, bad, err := f.st.VerifyAudit(f.ctx); bad != nil || err != nil {
		t.Fatalf("audit chain after the job: %+v %v", bad, err)
	}
}

// TestRetentionErasesThePhoto: the uploaded photo of a case past its
// retention period is deleted with the case's personal data, while one a
// case still open uses stays.
func TestRetentionErasesThePhoto(t *testing.T) {
	f := newFixture(t)
	old := f.caseAt(caseSpec{mail: true}, domain.StatusDelivered)
	open := f.caseAt(caseSpec{mail: true}, domain.StatusShipped)
	photo := func(tc *tcase, b byte) int64 {
		p := &store.Photo{ApplicantID: &tc.applicant.ID, Sha256: strings.Repeat(string(rune('a'+b)), 64), Width: 358, Height: 441,
			SizeBytes: 3, Data: []byte{0xff, 0xd8, b}}
		if err := f.st.Q(f.ctx).InsertPhoto(p); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SQL().ExecContext(f.ctx, "UPDATE cases SET photo_id = ? WHERE no = ?", p.ID, tc.no); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	oldPhoto, openPhoto := photo(old, 1), photo(open, 2)
	f.clk.Set(f.caseRow(old.no).ClosedAt.Add(service.DefaultRetention + time.Hour))
	if n, err := f.svc.EraseExpiredPersonalData(f.ctx); err != nil || n != 1 {
		t.Fatalf("erased %d, %v; want the one old case", n, err)
	}
	if n := f.count("SELECT COUNT(*) FROM photos WHERE id = ?", oldPhoto); n != 0 {
		t.Errorf("the erased case's photo is still stored")
	}
	if c := f.caseRow(old.no); c.PhotoID != nil {
		t.Errorf("the erased case still points at photo %d", *c.PhotoID)
	}
	if n := f.count("SELECT COUNT(*) FROM photos WHERE id = ?", openPhoto); n != 1 {
		t.Errorf("the open case's photo was deleted")
	}
}
