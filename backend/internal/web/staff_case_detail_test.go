package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/store"
)

// TestCasePageAccess: every role in the case's jurisdiction sees the case
// page with the registry record masked; outside it, or in a status the
// production centre does not handle, the answer is a 404 page with no data.
func TestCasePageAccess(t *testing.T) {
	w := newCPWorld(t)
	no := w.newCase(cpOpts{})
	w.drive(no, domain.StatusIssued)
	p, err := w.env.Store.Q(w.ctx).Person(w.caseRow(no).PersonID)
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
			code, body := w.signIn(tc.user).get("/staff/cases/" + no)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %s", code, tc.status, cpExcerpt(body))
			}
			if code != 200 {
				cpHas(t, "denied", body, "无法完成")
				cpLacks(t, "denied", body, masked, p.Name, `id="registry"`)
				return
			}
			cpHas(t, "case page", body, no, masked, p.Name, "申请信息", "户籍信息", "办理记录", "显示完整信息", "法定期限")
			cpLacks(t, "case page", body, p.IDNumber, p.Address)
			cpHas(t, "case page forms", body, tc.forms...)
		})
	}
	t.Run("ProductionBeforeIssue", func(t *testing.T) {
		early := w.newCase(cpOpts{})
		code, body := w.signIn("production").get("/staff/cases/" + early)
		if code != http.StatusNotFound {
			t.Fatalf("status %d", code)
		}
		cpLacks(t, "production early", body, early+"</span>")
	})
}

// TestCasePageShowFull: the show-in-full button reveals the full ID number
// and address for that view only, and audits it.
func TestCasePageShowFull(t *testing.T) {
	w := newCPWorld(t)
	no := w.newCase(cpOpts{})
	p, _ := w.env.Store.Q(w.ctx).Person(w.caseRow(no).PersonID)
	b := w.signIn("station-520102")
	if n := w.auditCount("person.view_full", no); n != 0 {
		t.Fatalf("audit before: %d", n)
	}
	code, body := b.post("/staff/cases/"+no+"/full", url.Values{})
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	cpHas(t, "full view", body, p.IDNumber, p.Address, "本次查看已记入审计日志")
	if n := w.auditCount("person.view_full", no); n != 1 {
		t.Fatalf("person.view_full entries: %d, want 1", n)
	}
	_, body = b.get("/staff/cases/" + no)
	cpLacks(t, "next view", body, p.IDNumber, p.Address)

	code, body = w.signIn("station-520103").post("/staff/cases/"+no+"/full", url.Values{})
	if code != http.StatusNotFound {
		t.Fatalf("outside: %d", code)
	}
	cpLacks(t, "outside full", body, p.IDNumber)
	if n := w.auditCount("person.view_full", no); n != 1 {
		t.Fatalf("person.view_full entries after a refusal: %d", n)
	}
}

// TestCasePageFraudPanel: the county reviewer sees the flags — an accepted
// loss replacement 6 months ago, a second loss in 3 years, an account bound
// this month, a station in another prefecture — and both photos.
func TestCasePageFraudPanel(t *testing.T) {
	w := newCPWorld(t)
	p := w.person("520102", domain.KindDamageRenewal)
	earlier, ap := w.newCaseBy(cpOpts{person: &p, kind: domain.KindLossReplacement})
	// The earlier loss was accepted half a year ago and has been collected.
	w.update(earlier, func(c *store.Case) {
		at := time.Now().AddDate(0, -6, 0).UTC()
		c.SubmittedAt, c.AcceptedAt, c.Status, c.ActivePersonID, c.ClosedAt = at, &at, "collected", nil, &at
	})
	no, _ := w.newCaseBy(cpOpts{person: &p, applicant: &ap, kind: domain.KindLossReplacement, station: "520302"})
	w.drive(no, domain.StatusAccepted)
	_, body := w.signIn("county-520102").get("/staff/cases/" + no)
	cpHas(t, "fraud panel", body, `data-flag="loss_12m"`, `data-flag="losses_3y"`, `data-flag="rebound"`,
		`data-flag="far_station"`, earlier, "跨市州受理", "遵义市", `id="form-review-approve"`, `id="form-review-reject"`,
		"存在冒领、骗领风险")
	_, body = w.signIn("station-520302").get("/staff/cases/" + no)
	cpLacks(t, "station view", body, `id="fraud"`)
}

// TestStaffPhoto: the uploaded photo is served to staff in the case's
// jurisdiction and answers 404 to anyone else.
func TestStaffPhoto(t *testing.T) {
	w := newCPWorld(t)
	no := w.newCase(cpOpts{photo: true})
	id := w.caseRow(no).PhotoID
	if id == nil {
		t.Fatal("case without photo")
	}
	path := "/staff/photos/" + strconv.FormatInt(*id, 10)
	b := w.signIn("station-520102")
	_, page := b.get("/staff/cases/" + no)
	cpHas(t, "case page", page, path+"?case="+no)
	for _, p := range []string{path + "?case=" + no, path} {
		res, body := b.do(http.MethodGet, p, nil, nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || len(body) < 1000 {
			t.Fatalf("%s: %d %s", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	other := w.signIn("station-520103")
	for _, p := range []string{path + "?case=" + no, path, "/staff/photos/999999"} {
		if code, _ := other.get(p); code != http.StatusNotFound {
			t.Fatalf("outside %s: %d", p, code)
		}
	}
}
