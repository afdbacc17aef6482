package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
	"github.com/gzga/idcard/backend/internal/sms"
	"github.com/gzga/idcard/backend/internal/sms/smstest"
	"github.com/gzga/idcard/backend/internal/sms/tencent"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestTakeoverOfAnIdentity replays the attack on 吴丽 over the API: a new
// account that knows only her name and ID number cannot bind her without a
// passed face check (422 REAL_PERSON_FAILED). With one, her own account is
// told — in its inbox, and by an SMS that reaches the (fake) Tencent
// gateway, signed — the loss replacement the new account files is flagged
// 实名账号近期变更 on the station's pre-check page and the county's review
// page, and the county's rejection as fraud gives her card back, so she can
// apply online again from her own account.
func TestTakeoverOfAnIdentity(t *testing.T) {
	env := webtest.Start(t)
	const name, idNumber, county = "吴丽", "520402200302110049", "520402"
	victim := webtest.Applicant(t, env, "13800000005", name, idNumber)
	impostor := webtest.NewClient(t, env.URL)
	impostor.SignInSMS(env, "13800000099")

	for _, vr := range []string{"", "dev:fail"} {
		body := map[string]any{"name": name, "id_number": idNumber}
		if vr != "" {
			body["verify_result"] = vr
		}
		webtest.Want(t, impostor.Post("/api/v1/me/identity", body), http.StatusUnprocessableEntity, "REAL_PERSON_FAILED")
	}
	if !(webtest.Want(t, victim.Get("/api/v1/me"), http.StatusOK, "").Obj()["bound"] == true) {
		t.Fatal("a refused binding moved the identity")
	}
	webtest.Want(t, impostor.Post("/api/v1/me/identity", map[string]any{"name": name, "id_number": idNumber, "verify_result": "dev:pass"}), http.StatusOK, "")

	// The outbox delivers the notice of the move: in-app, and by SMS through
	// the Tencent client to the fake gateway.
	fake := smstest.New(smstest.Options{SecretID: "AKIDweb", SecretKey: "web-secret", AppID: "1400000007", Sign: "贵州公安",
		Templates: map[string]int{"41": 2, "42": 2, "43": 2, "44": 1}})
	defer fake.Close()
	gw, err := tencent.New(tencent.Config{SecretID: "AKIDweb", SecretKey: "web-secret", AppID: "1400000007", Sign: "贵州公安",
		Endpoint: fake.Endpoint(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	templates := sms.Templates{sms.TemplateCode: "41", sms.TemplateStatus: "42", sms.TemplatePickup: "43", sms.TemplateIdentity: "44"}
	ob := notify.New(notify.Options{Store: env.Store, Senders: notify.Senders{SMS: notify.NewSMSSender(gw, templates, nil)}})
	if _, err := ob.Deliver(context.Background(), "test", 50); err != nil {
		t.Fatal(err)
	}
	got := fake.Messages()
	if len(got) != 1 || got[0].Phone != "+8613800000005" || got[0].TemplateID != "44" {
		t.Fatalf("the gateway got %+v (refused %v), want the identity-moved SMS to the victim", got, fake.Refusals())
	}
	if webtest.Want(t, victim.Get("/api/v1/me"), http.StatusOK, "").Obj()["bound"] == true {
		t.Fatal("the victim's account is still bound")
	}
	inbox := webtest.Want(t, victim.Get("/api/v1/notifications"), http.StatusOK, "").Text()
	webtest.Has(t, "the victim's inbox", inbox, "实名身份已转绑")

	// The impostor's loss replacement, by EMS to an address of their own.
	station := env.Staff(t, "station-"+county).OfficeID
	no := webtest.Want(t, impostor.Post("/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station, "collection": "mail",
		"mail": map[string]any{"recipient": "李四", "phone": "13700000000", "division_code": "520102", "address": "南明区某路1号"}}),
		http.StatusCreated, "").Str("no")
	flagged := func(who string) {
		t.Helper()
		body := webtest.StaffPages(t, env, who).Following().Get("/staff/cases/" + no).Text()
		webtest.Has(t, who+"'s case page", body, `id="fraud"`, `data-flag="rebound"`, "实名账号近期变更")
	}
	flagged("station-" + county)
	env.Drive(t, no, domain.StatusAccepted)
	if env.Case(t, no).Status != string(domain.StatusAccepted) {
		t.Fatalf("case %s not accepted", no)
	}
	flagged("county-" + county)
	county520402 := webtest.StaffAPI(t, env, "county-"+county)
	webtest.Want(t, county520402.Post("/api/v1/staff/cases/"+no+"/review", map[string]any{"decision": "reject", "reason": "冒用他人身份申请"}), http.StatusOK, "")

	// The card is valid again: on the timeline, in the audit log, and the
	// victim takes her identity back and may apply online.
	detail := webtest.Want(t, county520402.Get("/api/v1/staff/cases/"+no), http.StatusOK, "").Text()
	webtest.Has(t, "the timeline", detail, "原证件恢复有效")
	if n := len(env.Audit(t, "card.restore", no)); n != 1 {
		t.Fatalf("%d card.restore audit entries", n)
	}
	webtest.Want(t, victim.Post("/api/v1/me/identity", map[string]any{"name": name, "id_number": idNumber, "verify_result": "dev:pass"}), http.StatusOK, "")
	kinds := webtest.Want(t, victim.Get("/api/v1/eligibility"), http.StatusOK, "").Text()
	webtest.Has(t, "the victim's eligibility", kinds, "damage_renewal")
}
