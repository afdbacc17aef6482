package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"context"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestCasePageAccess: every role in the case's jurisdiction sees the case
// page with the registry record masked; outside it, or in a status the
// production centre does not handle, the answer is a 404 page with no data.
func TestCasePageAccess(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{})
	env.Drive(t, no, domain.StatusIssued)
	p, err := env.Store.Q(context.Background()).Person(env.Case(t, no).PersonID)
	if err != nil {
		t.Fatal(err)
	}
	masked := pii.MaskIDNumber(p.IDNumber)
	for _, tc := range []struct {
		user   string
		status int
		forms  []string
	}{
		{"station-520102", 200, nil},
		{"county-520102", 200, []string{`id="fraud"`}},
		{"production", 200, []string{`id="form-produce"`}},
		{"supervisor-5201", 200, []string{`id="extend-blocked"`, "不属于边远"}},
		{"supervisor", 200, nil},
		{"station-520103", 404, nil},
		{"county-520103", 404, nil},
		{"supervisor-5202", 404, nil},
		{"admin", 403, nil},
	} {
		t.Run(tc.user, func(t *testing.T) {
			code, body := webtest.StaffPages(t, env, tc.user).Following().Get("/staff/cases/" + no).Page()
			if code != tc.status {
				t.Fatalf("status %d, want %d: %s", code, tc.status, webtest.Excerpt(body))
			}
			if code != 200 {
				webtest.Has(t, "denied", body, "无法完成")
				webtest.Lacks(t, "denied", body, masked, p.Name, `id="registry"`)
				return
			}
			webtest.Has(t, "case page", body, no, masked, p.Name, "申请信息", "户籍信息", "办理记录", "显示完整信息", "法定期限", `id="predicted-done"`, "预计到证")
			webtest.Lacks(t, "case page", body, p.IDNumber, p.Address)
			webtest.Has(t, "case page forms", body, tc.forms...)
		})
	}
	t.Run("ProductionBeforeIssue", func(t *testing.T) {
		early := env.NewCase(t, webtest.CaseSpec{})
		code, body := webtest.StaffPages(t, env, "production").Following().Get("/staff/cases/" + early).Page()
		if code != http.StatusNotFound {
			t.Fatalf("status %d", code)
		}
		webtest.Lacks(t, "production early", body, early+"</span>")
	})
}

// TestCasePageShowFull: the show-in-full button reveals the full ID number
// and address for that view only, and audits it.
func TestCasePageShowFull(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{})
	p, _ := env.Store.Q(context.Background()).Person(env.Case(t, no).PersonID)
	b := webtest.StaffPages(t, env, "station-520102").Following()
	if n := len(env.Audit(t, "person.view_full", no)); n != 0 {
		t.Fatalf("audit before: %d", n)
	}
	code, body := b.Post("/staff/cases/"+no+"/full", url.Values{}).Page()
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	webtest.Has(t, "full view", body, p.IDNumber, p.Address, "本次查看已记入审计日志")
	if n := len(env.Audit(t, "person.view_full", no)); n != 1 {
		t.Fatalf("person.view_full entries: %d, want 1", n)
	}
	body = b.Get("/staff/cases/" + no).Text()
	webtest.Lacks(t, "next view", body, p.IDNumber, p.Address)

	code, body = webtest.StaffPages(t, env, "station-520103").Following().Post("/staff/cases/"+no+"/full", url.Values{}).Page()
	if code != http.StatusNotFound {
		t.Fatalf("outside: %d", code)
	}
	webtest.Lacks(t, "outside full", body, p.IDNumber)
	if n := len(env.Audit(t, "person.view_full", no)); n != 1 {
		t.Fatalf("person.view_full entries after a refusal: %d", n)
	}
}

// TestCasePageFraudPanel: the county reviewer sees the flags — an accepted
// loss replacement 6 months ago, a second loss in 3 years, an account bound
// this month, a station in another prefecture — and both photos; so does
// the station at pre-check, and the production centre does not.
func TestCasePageFraudPanel(t *testing.T) {
	env := webtest.Start(t)
	p := env.NewPerson(t, "520102", domain.KindDamageRenewal)
	earlier, ap := env.NewCaseBy(t, webtest.CaseSpec{Person: &p, Kind: domain.KindLossReplacement})
	// The earlier loss was accepted half a year ago and has been collected.
	env.UpdateCase(t, earlier, func(c *store.Case) {
		at := time.Now().AddDate(0, -6, 0).UTC()
		c.SubmittedAt, c.AcceptedAt, c.Status, c.ActivePersonID, c.ClosedAt = at, &at, "collected", nil, &at
	})
	no, _ := env.NewCaseBy(t, webtest.CaseSpec{Person: &p, Applicant: &ap, Kind: domain.KindLossReplacement, Station: "520302"})
	env.Drive(t, no, domain.StatusAccepted)
	body := webtest.StaffPages(t, env, "county-520102").Following().Get("/staff/cases/" + no).Text()
	webtest.Has(t, "fraud panel", body, `data-flag="loss_12m"`, `data-flag="losses_3y"`, `data-flag="rebound"`,
		`data-flag="far_station"`, earlier, "跨市州受理", "遵义市", `id="form-review-approve"`, `id="form-review-reject"`,
		"存在冒领、骗领风险")
	body = webtest.StaffPages(t, env, "station-520302").Following().Get("/staff/cases/" + no).Text()
	webtest.Has(t, "station view", body, `id="fraud"`, `data-flag="rebound"`, `data-flag="far_station"`)
	body = webtest.StaffPages(t, env, "production").Following().Get("/staff/cases/" + no).Text()
	webtest.Lacks(t, "production view", body, `id="fraud"`)
}

// TestStaffPhoto: the uploaded photo is served to staff in the case's
// jurisdiction and answers 404 to anyone else.
func TestStaffPhoto(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{Photo: true})
	id := env.Case(t, no).PhotoID
	if id == nil {
		t.Fatal("case without photo")
	}
	path := "/staff/photos/" + strconv.FormatInt(*id, 10)
	b := webtest.StaffPages(t, env, "station-520102").Following()
	page := b.Get("/staff/cases/" + no).Text()
	webtest.Has(t, "case page", page, path+"?case="+no)
	for _, p := range []string{path + "?case=" + no, path} {
		r := b.Get(p)
		if r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" || len(r.Body) < 1000 {
			t.Fatalf("%s: %d %s", p, r.Status, r.Header.Get("Content-Type"))
		}
	}
	other := webtest.StaffPages(t, env, "station-520103").Following()
	for _, p := range []string{path + "?case=" + no, path, "/staff/photos/999999"} {
		if code := other.Get(p).Status; code != http.StatusNotFound {
			t.Fatalf("outside %s: %d", p, code)
		}
	}
}
