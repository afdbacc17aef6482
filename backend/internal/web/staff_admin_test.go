package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

var secretRe = regexp.MustCompile(`<code id="secret-password">([^<]+)</code>`)

// signInFails reports whether the sign-in is refused.
func signInFails(t *testing.T, env *webtest.Env, username, password string) bool {
	t.Helper()
	c := webtest.NewClient(t, env.URL)
	st := c.Post("/staff/login", url.Values{"username": {username}, "password": {password}, "next": {"/staff/"}}).Status
	return st == http.StatusUnauthorized
}

// TestAdminStaffAccounts creates an account with a generated password,
// signs in with it, resets it, changes the post, disables the account
// (sign-in and the open session refused) and enables it again; each step is
// audited.
func TestAdminStaffAccounts(t *testing.T) {
	env := webtest.Start(t)
	ctx := context.Background()
	q := env.Store.Q(ctx)
	stations, err := q.OfficesByKind(store.OfficeStation, "520102")
	if err != nil || len(stations) == 0 {
		t.Fatalf("stations: %v", err)
	}
	admin := webtest.StaffPages(t, env, "security-admin")

	st, body := admin.Post("/staff/admin/staff", url.Values{"username": {"nm-officer-9"}, "name": {"测试民警"},
		"role": {"station_officer"}, "office": {stations[0].Code + " " + stations[0].Name}, "password": {"short"}}).Page()
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "密码至少12位") || !strings.Contains(body, `value="nm-officer-9"`) {
		t.Fatalf("a short password: %d", st)
	}
	created := admin.Post("/staff/admin/staff", url.Values{"username": {"nm-officer-9"}, "name": {"测试民警"},
		"role": {"station_officer"}, "office": {stations[0].Code}})
	st, loc := created.Status, created.Location()
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/staff/admin/staff/") {
		t.Fatalf("create: %d %s", st, loc)
	}
	body = admin.Get(loc).Text()
	m := secretRe.FindStringSubmatch(body)
	if m == nil || len(m[1]) < domain.PasswordMinLength {
		t.Fatal("the generated password is not shown")
	}
	first := m[1]
	if body = admin.Get(loc).Text(); secretRe.MatchString(body) {
		t.Fatal("the password shows a second time")
	}
	acc, err := q.StaffByUsername("nm-officer-9")
	if err != nil || acc.Role != "station_officer" || acc.OfficeID == nil || *acc.OfficeID != stations[0].ID || acc.ScopeDivision != "520102" {
		t.Fatalf("stored account %+v %v", acc, err)
	}
	if !strings.HasPrefix(acc.PasswordHash, "$argon2id$") {
		t.Fatalf("hash %q", acc.PasswordHash)
	}
	officer := webtest.StaffPagesAs(t, env, "nm-officer-9", first)
	if st, body := officer.Get("/staff/").Page(); st != http.StatusOK || !strings.Contains(body, "测试民警") {
		t.Fatalf("the new officer's home: %d", st)
	}
	if st := admin.Post("/staff/admin/staff", url.Values{"username": {"nm-officer-9"}, "name": {"重名"},
		"role": {"supervisor"}, "scope": {"5201"}, "password": {"Long-enough-pw"}}).Status; st != http.StatusConflict {
		t.Fatalf("a taken username: %d", st)
	}

	id := strings.TrimPrefix(loc, "/staff/admin/staff/")
	admin.Post(loc+"/password", url.Values{"back": {"/staff/admin/staff"}})
	body = admin.Get("/staff/admin/staff").Text()
	m = secretRe.FindStringSubmatch(body)
	if m == nil || m[1] == first {
		t.Fatal("no new password after the reset")
	}
	if !signInFails(t, env, "nm-officer-9", first) {
		t.Fatal("the old password still works")
	}
	webtest.StaffPagesAs(t, env, "nm-officer-9", m[1])

	bureau, err := q.OfficeByCode("520103-GA")
	if err != nil {
		t.Fatal(err)
	}
	admin.Post(loc, url.Values{"role": {"county_reviewer"}, "office": {bureau.Code}})
	if acc, _ = q.StaffByUsername("nm-officer-9"); acc.Role != "county_reviewer" || *acc.OfficeID != bureau.ID || acc.ScopeDivision != "520103" {
		t.Fatalf("after the change of post: %+v", acc)
	}
	// A supervisor works at the bureau over its scope, so it has an office.
	for scope, code := range map[string]string{"5201": "520100-GA", "52": "GZ-GAT", "520103": "520103-GA"} {
		admin.Post(loc, url.Values{"role": {"supervisor"}, "scope": {scope}})
		want, err := q.OfficeByCode(code)
		if acc, _ = q.StaffByUsername("nm-officer-9"); err != nil || acc.Role != "supervisor" || acc.OfficeID == nil || *acc.OfficeID != want.ID || acc.ScopeDivision != scope {
			t.Fatalf("a supervisor over %s: %+v, want office %s (%v)", scope, acc, code, err)
		}
	}
	admin.Post(loc, url.Values{"role": {"station_officer"}, "office": {bureau.Code}})
	if _, body := admin.Following().Get(loc).Page(); !strings.Contains(body, "不能在") {
		t.Fatal("a station officer at a county bureau is not refused")
	}

	officer = webtest.StaffPagesAs(t, env, "nm-officer-9", m[1])
	if st := admin.Post(loc+"/active", url.Values{"active": {"0"}}).Status; st != http.StatusSeeOther {
		t.Fatalf("disable: %d", st)
	}
	if !signInFails(t, env, "nm-officer-9", m[1]) {
		t.Fatal("a disabled account signs in")
	}
	if r := officer.Get("/staff/"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/staff/login") {
		t.Fatalf("the disabled account's session still works: %d %s", st, loc)
	}
	admin.Post(loc+"/active", url.Values{"active": {"1"}})
	webtest.StaffPagesAs(t, env, "nm-officer-9", m[1])

	me, _ := q.StaffByUsername("security-admin")
	if st := admin.Post("/staff/admin/staff/"+itoa64(me.ID)+"/active", url.Values{"active": {"0"}}).Status; st != http.StatusSeeOther {
		t.Fatalf("self-disable: %d", st)
	}
	if me, _ = q.StaffByUsername("security-admin"); !me.Active {
		t.Fatal("the security admin disabled itself")
	}
	entries, err := q.SearchAudit(store.AuditSearch{AuditFilter: store.AuditFilter{ObjectType: "staff", ObjectID: "nm-officer-9"}, ActionPrefix: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = true
		if strings.Contains(e.Detail, first) || strings.Contains(e.Detail, m[1]) {
			t.Fatal("a password in the audit log")
		}
	}
	for _, a := range []string{"staff.create", "staff.reset_password", "staff.update", "staff.disable", "staff.enable"} {
		if !seen[a] {
			t.Errorf("no %s entry for account %s", a, id)
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestAdminOfficeEdit changes a station's phone, hours and remote flag, and
// refuses a bad phone number.
func TestAdminOfficeEdit(t *testing.T) {
	env := webtest.Start(t)
	ctx := context.Background()
	q := env.Store.Q(ctx)
	os, err := q.OfficesByKind(store.OfficeStation, "520102")
	if err != nil {
		t.Fatal(err)
	}
	o := os[0]
	admin := webtest.StaffPages(t, env, "admin")
	if st, body := admin.Get("/staff/admin/offices?division=520102&kind=station").Page(); st != http.StatusOK || !strings.Contains(body, `data-code="`+o.Code+`"`) {
		t.Fatalf("the list: %d", st)
	}
	path := "/staff/admin/offices/" + itoa64(o.ID)
	saved := admin.Post(path, url.Values{"phone": {"0851-12345678"}, "hours": {"周一至周日 08:30-18:00"}, "remote": {"1"},
		"back": {"/staff/admin/offices?division=520102"}})
	st, loc := saved.Status, saved.Location()
	if st != http.StatusSeeOther || loc != "/staff/admin/offices?division=520102" {
		t.Fatalf("save: %d %s", st, loc)
	}
	got, _ := q.Office(o.ID)
	if got.Phone != "0851-12345678" || got.Hours != "周一至周日 08:30-18:00" || !got.Remote {
		t.Fatalf("stored %+v", got)
	}
	admin.Post(path, url.Values{"phone": {"电话"}, "hours": {"x"}})
	if body := admin.Following().Get(path).Text(); !strings.Contains(body, "电话应为数字") {
		t.Fatal("a bad phone is not refused")
	}
	if got, _ = q.Office(o.ID); got.Phone != "0851-12345678" {
		t.Fatal("a refused change was stored")
	}
	if es, _ := q.AuditEntries(store.AuditFilter{Action: "office.update", ObjectID: o.Code}); len(es) != 1 {
		t.Fatalf("%d office.update entries", len(es))
	}
}

// TestAdminCalendarImport imports a year's schedule from a file upload:
// the grid shows the new holidays and working weekends, the store holds
// them, a second import replaces the first, and bad files are refused.
func TestAdminCalendarImport(t *testing.T) {
	env := webtest.Start(t)
	admin := webtest.StaffPages(t, env, "admin")
	upload := func(year, content string) {
		file := webtest.Upload{Field: "file", Filename: "holidays.csv", Data: []byte(content), Fields: url.Values{"year": {year}}}
		if st := admin.Post("/staff/admin/calendar", file).Status; st != http.StatusSeeOther {
			t.Fatalf("upload: %d", st)
		}
	}
	// 2031-01-01 is a Wednesday, 2031-01-04 a Saturday.
	upload("2031", "date,working,note\n2031-01-01,0,元旦\n2031-01-02,休,元旦\n2031-01-04,1,调休上班\n")
	body := admin.Following().Get("/staff/admin/calendar?year=2031").Text()
	for date, kind := range map[string]string{"2031-01-01": "holiday", "2031-01-02": "holiday", "2031-01-04": "adjusted", "2031-01-03": "work", "2031-01-05": "rest"} {
		if !strings.Contains(body, `data-date="`+date+`" data-kind="`+kind+`"`) {
			t.Errorf("%s is not shown as %s", date, kind)
		}
	}
	// The importing instance reloads at once: it counts with the new days.
	if strings.Contains(body, `id="stale"`) {
		t.Error("the importing instance still counts with the old calendar")
	}
	if env.Service.Calendar().IsWorkingDay(time.Date(2031, 1, 1, 4, 0, 0, 0, time.UTC)) {
		t.Error("the running service still treats 2031-01-01 as a working day")
	}
	cal, err := service.LoadCalendar(context.Background(), env.Store, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d.Add(4 * time.Hour) }
	if cal.IsWorkingDay(day("2031-01-01")) || !cal.IsWorkingDay(day("2031-01-04")) {
		t.Fatal("the stored calendar does not have the imported days")
	}
	upload("2031", "2031-05-01,0,劳动节\n")
	body = admin.Following().Get("/staff/admin/calendar?year=2031").Text()
	if !strings.Contains(body, `data-date="2031-01-01" data-kind="work"`) || !strings.Contains(body, `data-date="2031-05-01" data-kind="holiday"`) {
		t.Error("the second import did not replace the first")
	}
	for file, msg := range map[string]string{"2032-01-01,0,元旦\n": "不属于2031年", "2031-02-30,0,x\n": "第1行", "": "请选择"} {
		if file == "" {
			admin.Post("/staff/admin/calendar", webtest.Upload{Fields: url.Values{"year": {"2031"}}})
		} else {
			upload("2031", file)
		}
		if body := admin.Following().Get("/staff/admin/calendar?year=2031").Text(); !strings.Contains(body, msg) {
			t.Errorf("file %q: no message %q", file, msg)
		}
	}
	csvBody := admin.Get("/staff/admin/calendar/export.csv?year=2031").Text()
	if !strings.Contains(csvBody, "2031-05-01,0,劳动节") {
		t.Errorf("export: %q", csvBody)
	}
	if es, _ := env.Store.Q(context.Background()).AuditEntries(store.AuditFilter{Action: "calendar.import", ObjectID: "2031"}); len(es) != 2 {
		t.Errorf("%d calendar.import entries, want 2", len(es))
	}
}

// TestAdminPagesRefuseOthers: the other roles get the error page without
// data, and their posts change nothing.
func TestAdminPagesRefuseOthers(t *testing.T) {
	env := webtest.Start(t)
	for _, user := range []string{"supervisor", "station-520102", "production", "audit-admin"} {
		c := webtest.StaffPages(t, env, user)
		for _, p := range []string{"/staff/admin/staff", "/staff/admin/staff/1", "/staff/admin/offices", "/staff/admin/offices/1", "/staff/admin/calendar", "/staff/admin/calendar/export.csv"} {
			st, body := c.Get(p).Page()
			webtest.Denied(t, st, body, "staff-rows", "office-rows", "secret-password", "data-date=", "county-520102")
		}
		st, body := c.Post("/staff/admin/staff", url.Values{"username": {"intruder-" + user}, "name": {"x"}, "role": {"admin"}, "password": {"0123456789aB"}}).Page()
		webtest.Denied(t, st, body)
		if _, err := env.Store.Q(context.Background()).StaffByUsername("intruder-" + user); err == nil {
			t.Fatalf("%s created an account", user)
		}
		st, body = c.Post("/staff/admin/staff/1/password", url.Values{}).Page()
		webtest.Denied(t, st, body, "secret-password")
	}
}
