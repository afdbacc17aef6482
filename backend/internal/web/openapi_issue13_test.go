package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// oaGuardianChangeProgress drives the guardian's wards, an application for
// a child, its change until production and the look-up without sign-in
// through the contract client. zhang is 张三's signed-in client; station102
// the station of 南明区.
func oaGuardianChangeProgress(t *testing.T, env *webtest.Env, ct *webtest.Contract, zhang *webtest.Client, station102 int64) {
	t.Helper()
	const child, childID = "杨小明", "522601201207050034"
	// 张三 is not 杨小明's guardian; the registry decides.
	webtest.Want(t, zhang.Post("/api/v1/me/wards", map[string]any{"name": child, "id_number": childID}), 422, "NOT_GUARDIAN")
	webtest.Want(t, zhang.Post("/api/v1/me/wards", map[string]any{"name": "杨大明", "id_number": childID}), 422, "IDENTITY_MISMATCH")
	webtest.Want(t, zhang.Post("/api/v1/me/wards", map[string]any{"name": "李梅", "id_number": "520103198506150026"}), 422, "NOT_GUARDIAN")

	father := ct.Client(t, env.URL)
	father.SignInSMS(env, "13800000006")
	webtest.Want(t, father.Post("/api/v1/me/identity", map[string]any{"name": "杨建国", "id_number": "522601198503120012", "verify_result": "dev:pass"}), 200, "")
	if n := len(webtest.Want(t, father.Get("/api/v1/me/wards"), 200, "").Obj()["items"].([]any)); n != 0 {
		t.Fatalf("%d wards before adding one", n)
	}
	w := webtest.Want(t, father.Post("/api/v1/me/wards", map[string]any{"name": child, "id_number": childID}), 201, "")
	if w.Str("relation") != "father" || w.Str("person.name") != child || strings.Contains(w.String(), childID) {
		t.Fatalf("ward: %s", w)
	}
	wardID := w.Num("id")
	if again := webtest.Want(t, father.Post("/api/v1/me/wards", map[string]any{"name": child, "id_number": childID}), 201, ""); again.Num("id") != wardID {
		t.Fatalf("adding again gave another ward: %s", again)
	}
	webtest.Want(t, father.Get("/api/v1/me/wards"), 200, "")
	webtest.Want(t, father.Get("/api/v1/eligibility?ward_id="+strconv.FormatInt(wardID, 10)), 200, "")
	webtest.Want(t, zhang.Get("/api/v1/eligibility?ward_id="+strconv.FormatInt(wardID, 10)), 422, "VALIDATION_FAILED")

	station := env.Staff(t, "station-522601").OfficeID
	cv := webtest.Want(t, father.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station,
		"collection": "window", "ward_id": wardID}), 201, "")
	no := cv.Str("no")
	if cv.Str("for_person.name") != child || cv.Num("fee_yuan") != 40 {
		t.Fatalf("a guardian's case: %s", cv)
	}

	// Change before pre-check: the station of 南明区 takes it over.
	ch := webtest.Want(t, father.Post("/api/v1/cases/"+no+"/change", map[string]any{"station_id": station102, "version": cv.Num("version")}), 200, "")
	if ch.Num("station.id") != station102 {
		t.Fatalf("change: %s", ch)
	}
	webtest.Want(t, father.Post("/api/v1/cases/"+no+"/change", map[string]any{"station_id": station, "version": cv.Num("version")}), 409, "VERSION_CONFLICT")
	webtest.Want(t, father.Post("/api/v1/cases/"+no+"/change", map[string]any{"collection": "mail"}), 422, "MAIL_ADDRESS_REQUIRED")
	webtest.Want(t, zhang.Post("/api/v1/cases/"+no+"/change", map[string]any{"station_id": station}), 404, "NOT_FOUND")
	st102 := zhang.SignInStaff("station-520102")
	staffView := webtest.Want(t, st102.Get("/api/v1/staff/cases/"+no), 200, "")
	if staffView.Str("for_person.name") != child {
		t.Fatalf("staff case: %s", staffView)
	}
	webtest.Want(t, zhang.SignInStaff("station-522601").Get("/api/v1/staff/cases/"+no), 404, "NOT_FOUND")

	// Look-up without sign-in: the child's name and digits.
	anon := ct.Client(t, env.URL)
	p := webtest.Want(t, anon.Post("/api/v1/progress", map[string]any{"case_no": no, "name": child, "id_last6": "050034"}), 200, "")
	if p.Str("status") != "submitted" || p.Str("station.name") == "" || strings.Contains(p.String(), child) {
		t.Fatalf("progress: %s", p)
	}
	// The forecast is the one the applicant's own case shows.
	own := webtest.Want(t, father.Get("/api/v1/cases/"+no), 200, "")
	if p.Str("predicted_done_at") == "" || p.Str("predicted_done_at") != own.Str("predicted_done_at") {
		t.Fatalf("progress predicts %q, the case itself %q", p.Str("predicted_done_at"), own.Str("predicted_done_at"))
	}
	var first string
	for i, wrong := range []map[string]any{
		{"case_no": no, "name": "杨大明", "id_last6": "050034"},
		{"case_no": no, "name": child, "id_last6": "050035"},
		{"case_no": "GZ260101000001", "name": child, "id_last6": "050034"},
		{"case_no": "nonsense", "name": child, "id_last6": "050034"},
	} {
		r := webtest.Want(t, anon.Post("/api/v1/progress", wrong), 404, "NOT_FOUND")
		if i == 0 {
			first = r.String()
		} else if r.String() != first {
			t.Fatalf("mismatch %d answers %s, the first %s", i, r, first)
		}
	}
	// The case number's budget: 10 tries an hour, 3 spent above.
	var last webtest.Reply
	for range 8 {
		last = anon.Post("/api/v1/progress", map[string]any{"case_no": no, "name": "杨", "id_last6": "000000"})
	}
	webtest.Want(t, last, http.StatusTooManyRequests, "RATE_LIMITED")
	if last.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}

	// Production started: no more changes.
	env.Drive(t, no, domain.StatusProduced)
	webtest.Want(t, father.Post("/api/v1/cases/"+no+"/change", map[string]any{"station_id": station}), 409, "CHANGE_NOT_ALLOWED")
}
