package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestTextThatIsNotTextIsRefused sends reasons, a recipient and a staff
// name that hold no text — NULs, a bidi override, zero-width characters,
// invalid UTF-8 — through the API and the staff pages: each is refused with
// 422 VALIDATION_FAILED (not taken as a reason), and nothing is stored.
func TestTextThatIsNotTextIsRefused(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	station := webtest.StaffAPI(t, env, "station-520102")
	no := env.NewCase(t, webtest.CaseSpec{})
	bad := map[string]webtest.Raw{
		"NULs":           webtest.Raw(`{"decision":"reject","reason":"\u0000\u0000"}`),
		"bidi override":  webtest.Raw(`{"decision":"reject","reason":"\u202egpj.exe"}`),
		"zero-width":     webtest.Raw(`{"decision":"reject","reason":"\u200b\u200b\u2060\ufeff"}`),
		"invalid UTF-8":  webtest.Raw("{\"decision\":\"reject\",\"reason\":\"\xff\xfe\"}"),
		"lone surrogate": webtest.Raw(`{"decision":"reject","reason":"\ud800"}`),
	}
	for name, body := range bad {
		t.Run(name, func(t *testing.T) {
			webtest.Want(t, station.Unchecked().Post("/api/v1/staff/cases/"+no+"/precheck", body), http.StatusUnprocessableEntity, "VALIDATION_FAILED")
		})
	}
	pages := webtest.StaffPages(t, env, "station-520102").Following()
	body := pages.Post("/staff/cases/"+no+"/precheck", env.ActionForm(t, no, "decision", "reject", "reason_choice", "其他", "reason_text", "\x00\x00")).Text()
	webtest.Has(t, "page reject with NULs", body, "flash err", "原因不能含有控制字符")
	env.WantStatus(t, no, domain.StatusSubmitted)
	if c := env.Case(t, no); c.RejectReason != nil {
		t.Fatalf("a reason was stored: %q", *c.RejectReason)
	}
	if es := env.Audit(t, "case.precheck_reject", no); len(es) != 0 {
		t.Fatalf("a refused reason was audited as a rejection: %s", webtest.Outcomes(es))
	}

	// A reason that is text is kept in NFC with its white space folded.
	r := webtest.Want(t, station.Post("/api/v1/staff/cases/"+no+"/precheck",
		map[string]any{"decision": "reject", "reason": "  照片\n\t不清晰 Jose\u0301 "}), http.StatusOK, "")
	if got := r.Str("reject_reason"); got != "照片 不清晰 José" {
		t.Fatalf("reject_reason %q", got)
	}

	t.Run("mail recipient", func(t *testing.T) {
		p := env.NewPerson(t, "520102", domain.KindDamageRenewal)
		app := webtest.Applicant(t, env, "13900077001", p.Name, p.IDNumber)
		before := len(env.Audit(t, "case.submit", ""))
		webtest.Want(t, app.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": env.Staff(t, "station-520102").OfficeID,
			"collection": "mail", "mail": map[string]any{"recipient": "张三\u202e", "phone": "13800001234", "division_code": "520102", "address": "花果园大街1号"}}),
			http.StatusUnprocessableEntity, "VALIDATION_FAILED")
		if after := len(env.Audit(t, "case.submit", "")); after != before {
			t.Fatal("a case was filed with a bidi override in its recipient")
		}
	})

	t.Run("staff name", func(t *testing.T) {
		admin := webtest.StaffPages(t, env, "security-admin")
		code, body := admin.Post("/staff/admin/staff", url.Values{"username": {"zw-test"}, "name": {"\u200b"}, "role": {"supervisor"}, "scope": {"52"}}).Page()
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("a zero-width staff name: %d", code)
		}
		webtest.Has(t, "zero-width staff name", body, "姓名不能含有不可见的格式字符")
		if es := env.Audit(t, "staff.create", "zw-test"); len(es) != 0 {
			t.Fatal("an account with a zero-width name was created")
		}
	})
}
