package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// startBefore2027Notice runs the service with its clock pinned at Tuesday
// 29 December 2026, when deadlines already run into 2027 but its notice is
// not in the calendar, with cases demo cases.
func startBefore2027Notice(t *testing.T, cases int) *webtest.Env {
	now := time.Date(2026, 12, 29, 10, 0, 0, 0, calendar.Location())
	return webtest.StartWith(t, webtest.Options{Cases: cases, Clock: func() time.Time { return now }})
}

// TestProvisionalDeadlinesAreShown pins the clock at the end of 2026, when
// the 2027 State Council notice is not in the calendar: supervisors and
// admins are told on their home page, a case due in 2027 shows its due
// times as 暂定 on the case page, in the list and in the export, and
// importing the notice clears them.
func TestProvisionalDeadlinesAreShown(t *testing.T) {
	env := startBefore2027Notice(t, 60)
	const notice = "2027年日历尚未导入国务院通知，期限按法定节假日推算，为暂定"
	admin, supervisor := webtest.StaffPages(t, env, "admin").Following(), webtest.StaffPages(t, env, "supervisor").Following()
	for name, c := range map[string]*webtest.Client{"admin": admin, "supervisor": supervisor} {
		if _, body := c.Get("/staff/").Page(); !strings.Contains(body, notice) {
			t.Errorf("%s home page: no provisional notice", name)
		}
	}
	// The admin's calendar lays 2027 out with its statutory holidays.
	if _, body := admin.Get("/staff/admin/calendar?year=2027").Page(); !strings.Contains(body, `id="provisional"`) ||
		!strings.Contains(body, `data-date="2027-01-01" data-kind="holiday"`) || !strings.Contains(body, `data-date="2027-10-04" data-kind="holiday"`) ||
		strings.Contains(body, `id="stale"`) {
		t.Error("the 2027 calendar page does not show the provisional statutory holidays")
	}
	if _, body := webtest.StaffPages(t, env, "production").Following().Get("/staff/").Page(); strings.Contains(body, "provisional-years") {
		t.Error("the production operator's home page shows the calendar notice")
	}

	// A case submitted now runs its 60 days into 2027.
	no := env.NewCase(t, webtest.CaseSpec{})
	if due := env.Case(t, no).LegalDueAt.In(calendar.Location()); due.Year() != 2027 {
		t.Fatalf("a case submitted on 29 December 2026 is legally due %s", due)
	}
	badge := `class="badge warn provisional"`
	if _, body := supervisor.Get("/staff/cases/" + no).Page(); !strings.Contains(body, badge) {
		t.Errorf("case page of %s: no 暂定 beside its due times", no)
	}
	if _, body := supervisor.Get("/staff/cases?no=" + url.QueryEscape(no)).Page(); !strings.Contains(body, badge) {
		t.Errorf("case list: no 暂定 beside %s", no)
	}
	if _, csv := supervisor.Get("/staff/cases/export.csv?no=" + url.QueryEscape(no)).Page(); !strings.Contains(csv, "（暂定）") {
		t.Errorf("export: no 暂定 beside the due times of %s", no)
	}

	up := webtest.Upload{Field: "file", Filename: "2027.csv", Data: []byte("2027-01-01,0,元旦\n"), Fields: url.Values{"year": {"2027"}}}
	if r := webtest.StaffPages(t, env, "admin").Post("/staff/admin/calendar", up); r.Status != http.StatusSeeOther {
		t.Fatalf("import: %d", r.Status)
	}
	if _, body := admin.Get("/staff/").Page(); strings.Contains(body, notice) {
		t.Error("the notice stays after the 2027 calendar was imported")
	}
	if _, body := supervisor.Get("/staff/cases/" + no).Page(); strings.Contains(body, badge) {
		t.Errorf("case page of %s: still 暂定 after the import", no)
	}
}
