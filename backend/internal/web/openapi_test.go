package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/twofactor"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestOpenAPIContract drives every endpoint of openapi.yaml against the
// running service — its success answer and its main error answers — and
// checks each request and answer against the document: statuses, headers,
// schemas (required fields, nullability, enums, formats) and no field the
// document does not name. At the end every documented operation must have
// answered with success at least once, so the document cannot drift from
// the code.
func TestOpenAPIContract(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	ct := webtest.LoadContract(t, "openapi.yaml", env.URL)
	anon := ct.Client(t, env.URL)

	// Service endpoints and the document itself.
	body := webtest.Want(t, anon.Get("/healthz"), 200, "")
	if body.Str("status") != "ok" {
		t.Fatalf("healthz: %s", body)
	}
	webtest.Want(t, anon.Get("/readyz"), 200, "")
	webtest.Want(t, anon.Get("/metrics"), 200, "")
	file, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Not fatal: everything else is still worth checking when the route is
	// missing.
	if doc := anon.Get("/api/openapi.yaml"); doc.Status != 200 || !bytes.Equal(doc.Body, file) ||
		!strings.HasPrefix(doc.Header.Get("Content-Type"), "application/yaml") {
		t.Errorf("GET /api/openapi.yaml does not serve openapi.yaml as application/yaml: %d %q", doc.Status, doc.Header.Get("Content-Type"))
	}

	// Reference data (public).
	webtest.Want(t, anon.Get("/api/v1/offices?division=520102"), 200, "")
	webtest.Want(t, anon.Get("/api/v1/offices?kind=county_bureau&division=5201"), 200, "")
	webtest.Want(t, anon.Unchecked().Get("/api/v1/offices?kind=prison"), 422, "VALIDATION_FAILED")
	webtest.Want(t, anon.Unchecked().Get("/api/v1/offices?division=11"), 422, "VALIDATION_FAILED")
	all := webtest.Want(t, anon.Get("/api/v1/offices?division=52"), 200, "")
	prefectures := webtest.Want(t, anon.Get("/api/v1/divisions"), 200, "")
	if n := len(prefectures.Obj()["items"].([]any)); n != 9 {
		t.Errorf("Guizhou has 9 prefectures, /divisions lists %d", n)
	}
	webtest.Want(t, anon.Get("/api/v1/divisions?parent=5201"), 200, "")
	webtest.Want(t, anon.Unchecked().Get("/api/v1/divisions?parent=x"), 422, "VALIDATION_FAILED")
	webtest.Want(t, anon.Get("/api/v1/deadline"), 200, "")
	webtest.Want(t, anon.Get("/api/v1/deadline?from=2026-10-01T09:00:00%2B08:00"), 200, "")
	webtest.Want(t, anon.Get("/api/v1/deadline?from=yesterday"), 400, "BAD_REQUEST")
	if r := webtest.Want(t, anon.Get("/api/v1/config"), 200, ""); r.JSON("demo") != true {
		t.Fatalf("config: %v", r.Body)
	}

	// Staff sign-in.
	webtest.Want(t, anon.Post("/api/v1/staff/auth/login", map[string]any{"username": "station-520102", "password": "wrong"}), 401, "BAD_CREDENTIALS")
	st102 := anon.SignInStaff("station-520102")
	st103 := anon.SignInStaff("station-520103")
	co102 := anon.SignInStaff("county-520102")
	co103 := anon.SignInStaff("county-520103")
	co302 := anon.SignInStaff("county-520302")
	prod := anon.SignInStaff("production")
	sup := anon.SignInStaff("supervisor")
	admin := anon.SignInStaff("admin")
	me := webtest.Want(t, st102.Get("/api/v1/staff/me"), 200, "")
	station102 := me.Num("office.id")
	station103 := webtest.Want(t, st103.Get("/api/v1/staff/me"), 200, "").Num("office.id")
	webtest.Want(t, sup.Get("/api/v1/staff/me"), 200, "")
	webtest.Want(t, admin.Get("/api/v1/staff/me"), 200, "")

	// A remote station and its officer (remote counties: docs/procedure.md; the
	// offices answer says which).
	var remoteCounty string
	for _, it := range all.Obj()["items"].([]any) {
		o := it.(map[string]any)
		if o["remote"] == true {
			remoteCounty = o["division_code"].(string)
			break
		}
	}
	if remoteCounty == "" {
		t.Fatal("no remote station in /offices?division=52")
	}
	stRemote := anon.SignInStaff("station-" + remoteCounty)
	stationRemote := webtest.Want(t, stRemote.Get("/api/v1/staff/me"), 200, "").Num("office.id")

	// Applicant A: phone sign-in, binding, eligibility, photo, window case.
	a := ct.Client(t, env.URL)
	webtest.Want(t, a.Post("/api/v1/auth/sms", map[string]any{"phone": "13800000001"}), 204, "")
	r := a.Post("/api/v1/auth/sms", map[string]any{"phone": "13800000001"})
	webtest.Want(t, r, 429, "RATE_LIMITED")
	webtest.Want(t, a.Post("/api/v1/auth/sms", map[string]any{"phone": "12345"}), 422, "VALIDATION_FAILED")
	webtest.Want(t, a.Post("/api/v1/auth/sms", webtest.Raw(`{"phone":`)), 400, "BAD_REQUEST")
	webtest.Want(t, a.Do("POST", "/api/v1/auth/sms", webtest.Raw(`{"phone":"13800000001"}`), map[string]string{"Content-Type": "text/plain"}), 415, "UNSUPPORTED_MEDIA_TYPE")
	code := env.LastCode("13800000001")
	wrong := fmt.Sprintf("%06d", (oaAtoi(code)+1)%1000000)
	webtest.Want(t, a.Post("/api/v1/auth/phone", map[string]any{"phone": "13800000001", "code": wrong}), 401, "BAD_CODE")
	signed := webtest.Want(t, a.Post("/api/v1/auth/phone", map[string]any{"phone": "13800000001", "code": code}), 200, "")
	if signed.Obj()["bound"] != false {
		t.Fatalf("a new account is not bound: %s", signed)
	}
	webtest.Want(t, a.Get("/api/v1/me"), 200, "")
	webtest.Want(t, a.Get("/api/v1/eligibility"), 422, "NOT_BOUND")
	webtest.Want(t, a.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}), 422, "NOT_BOUND")
	webtest.Want(t, a.Post("/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "520102199001011234"}), 422, "INVALID_ID_NUMBER")
	webtest.Want(t, a.Post("/api/v1/me/identity", map[string]any{"name": "李四", "id_number": "52010219900101123X"}), 422, "IDENTITY_MISMATCH")
	vr := webtest.Want(t, a.Post("/api/v1/me/verification", map[string]any{"name": "张三", "id_number": "52010219900101123X", "return_url": "/m/#/bind"}), 200, "")
	if vr.Str("provider") != "demo" || !strings.HasPrefix(vr.Str("verify_url"), "/m/#/verify/demo?") {
		t.Fatalf("verification start: %s", vr)
	}
	webtest.Want(t, a.Post("/api/v1/me/verification", map[string]any{"name": "张三", "id_number": "52010219900101123X", "return_url": "https://evil.example/"}), 422, "VALIDATION_FAILED")
	webtest.Want(t, a.Post("/api/v1/me/verification", map[string]any{"name": "李四", "id_number": "52010219900101123X"}), 422, "IDENTITY_MISMATCH")
	webtest.Want(t, a.Post("/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "52010219900101123X"}), 422, "REAL_PERSON_FAILED")
	webtest.Want(t, a.Post("/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "52010219900101123X", "verify_result": "dev:fail"}), 422, "REAL_PERSON_FAILED")
	bound := webtest.Want(t, a.Post("/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "52010219900101123X", "verify_result": "dev:pass"}), 200, "")
	if bound.Str("person.name") != "张三" || bound.Obj()["bound"] != true {
		t.Fatalf("binding: %s", bound)
	}
	webtest.Want(t, a.Get("/api/v1/me"), 200, "")
	webtest.Want(t, a.Get("/api/v1/eligibility"), 200, "")
	webtest.Want(t, a.Post("/api/v1/photos", webtest.Upload{Field: "file", Filename: "me.jpg", Data: webtest.Photo(t, 90)}), 201, "")
	webtest.Want(t, a.Post("/api/v1/photos", webtest.Upload{Field: "file", Filename: "me.jpg", Data: []byte("GIF89a not a photo")}), 422, "PHOTO_INVALID")
	webtest.Want(t, a.Post("/api/v1/photos", webtest.Upload{Field: "file", Filename: "big.jpg", Data: bytes.Repeat([]byte{0xff}, 3<<20)}), 413, "TOO_LARGE")
	webtest.Want(t, a.Post("/api/v1/photos", webtest.Upload{}), 400, "BAD_REQUEST")
	webtest.Want(t, a.Post("/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": station102, "collection": "window"}), 422, "KIND_NOT_ALLOWED")
	webtest.Want(t, a.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": 999999, "collection": "window"}), 422, "UNKNOWN_STATION")
	webtest.Want(t, a.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "mail"}), 422, "MAIL_ADDRESS_REQUIRED")
	webtest.Want(t, a.Post("/api/v1/cases", webtest.Raw(`{"kind":"damage_renewal","station_id":"x"}`)), 400, "BAD_REQUEST")
	submit := map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}
	first := webtest.Want(t, a.Do("POST", "/api/v1/cases", submit, map[string]string{"Idempotency-Key": "contract-1"}), 201, "")
	again := webtest.Want(t, a.Do("POST", "/api/v1/cases", submit, map[string]string{"Idempotency-Key": "contract-1"}), 201, "")
	if !bytes.Equal(first.Body, again.Body) {
		t.Fatalf("idempotent replay differs:\n%s\n%s", first.Body, again.Body)
	}
	other := map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}
	webtest.Want(t, a.Do("POST", "/api/v1/cases", other, map[string]string{"Idempotency-Key": "contract-1"}), 422, "IDEMPOTENCY_KEY_REUSED")
	webtest.Want(t, a.Post("/api/v1/cases", other), 422, "ACTIVE_CASE_EXISTS")
	caseA := first.Str("no")
	webtest.Want(t, a.Get("/api/v1/cases"), 200, "")
	webtest.Want(t, a.Get("/api/v1/cases/"+caseA), 200, "")
	webtest.Want(t, a.Get("/api/v1/cases/GZ000000000000"), 404, "NOT_FOUND")
	webtest.Want(t, a.Get("/api/v1/cases/GZ991231999999"), 404, "NOT_FOUND")
	webtest.Want(t, a.Get("/api/v1/cases/"+caseA+"/pickup-token"), 409, "NOT_READY_FOR_PICKUP")
	webtest.Want(t, a.Get("/api/v1/cases/"+caseA+"/pickup-qr.png"), 409, "NOT_READY_FOR_PICKUP")
	webtest.Want(t, a.Post("/api/v1/cases/"+caseA+"/temporary-card", nil), 409, "INVALID_TRANSITION")

	// Applicant B (李梅, bearer token from an SMS sign-in): mail route.
	bs := ct.Client(t, env.URL)
	b := bs.Bearer(bs.SignInSMS(env, "13800000002").Str("token"))
	webtest.Want(t, b.Post("/api/v1/me/identity", map[string]any{"name": "李梅", "id_number": "520103198506150026", "verify_result": "dev:pass"}), 200, "")
	mail := map[string]any{"recipient": "李梅", "phone": "13800000002", "division_code": "520103", "address": "北京路126号4栋1单元602"}
	caseB := webtest.Want(t, b.Post("/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station103, "collection": "mail", "mail": mail}), 201, "").Str("no")

	// Applicant C (王五, WeChat mini-program sign-in): expiry renewal with a
	// photo at a remote station.
	webtest.Want(t, anon.Anonymous().Post("/api/v1/auth/wechat", map[string]any{"code": ""}), 400, "BAD_REQUEST")
	wc := webtest.Want(t, anon.Anonymous().Post("/api/v1/auth/wechat", map[string]any{"code": "dev:wangwu"}), 200, "")
	c := anon.Bearer(wc.Str("token"))
	webtest.Want(t, c.Post("/api/v1/me/identity", map[string]any{"name": "王五", "id_number": "520302195803200019", "verify_result": "dev:pass"}), 200, "")
	webtest.Want(t, c.Post("/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": stationRemote, "collection": "window"}), 422, "PHOTO_REQUIRED")
	photo := webtest.Want(t, c.Post("/api/v1/photos", webtest.Upload{Field: "file", Filename: "wang.jpg", Data: webtest.Photo(t, 70)}), 201, "").Num("photo_id")
	caseC := webtest.Want(t, c.Post("/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": stationRemote, "collection": "window", "photo_id": photo}), 201, "").Str("no")

	// Applicant D (吴丽): withdrawal.
	d := ct.Client(t, env.URL)
	d.SignInSMS(env, "13800000004")
	webtest.Want(t, d.Post("/api/v1/me/identity", map[string]any{"name": "吴丽", "id_number": "520402200302110049", "verify_result": "dev:pass"}), 200, "")
	caseD := webtest.Want(t, d.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}), 201, "").Str("no")
	if webtest.Want(t, d.Post("/api/v1/cases/"+caseD+"/cancel", nil), 200, "").Str("status") != "cancelled" {
		t.Fatal("cancel did not cancel")
	}
	if webtest.Want(t, d.Post("/api/v1/cases/"+caseD+"/cancel", nil), 200, "").Str("status") != "cancelled" {
		t.Fatal("a retried cancel did not answer the cancelled case")
	}
	webtest.Want(t, a.Post("/api/v1/cases/"+caseD+"/cancel", nil), 404, "NOT_FOUND")

	// Staff lists and detail.
	webtest.Want(t, st102.Get("/api/v1/staff/cases"), 200, "")
	page := webtest.Want(t, st102.Get("/api/v1/staff/cases?status=submitted&limit=1"), 200, "")
	if cur := page.Str("next_cursor"); cur != "" {
		webtest.Want(t, st102.Get("/api/v1/staff/cases?status=submitted&limit=1&cursor="+cur), 200, "")
	}
	webtest.Want(t, sup.Get("/api/v1/staff/cases?overdue=1&order=due&kind=damage_renewal&collection=window&county=520102&from=2020-01-01&to=2099-12-31&q="+caseA), 200, "")
	webtest.Want(t, st102.Get(fmt.Sprintf("/api/v1/staff/cases?office_id=%d", station102)), 200, "")
	webtest.Want(t, st102.Unchecked().Get("/api/v1/staff/cases?limit=101"), 422, "VALIDATION_FAILED")
	webtest.Want(t, st102.Unchecked().Get("/api/v1/staff/cases?status=lost"), 422, "VALIDATION_FAILED")
	webtest.Want(t, st102.Get("/api/v1/staff/cases?cursor=nonsense"), 422, "VALIDATION_FAILED")
	webtest.Want(t, st102.Unchecked().Get("/api/v1/staff/cases?office_id=abc"), 400, "BAD_REQUEST")
	webtest.Want(t, st102.Unchecked().Get("/api/v1/staff/cases?from=yesterday"), 400, "BAD_REQUEST")
	webtest.Want(t, admin.Get("/api/v1/staff/cases"), 403, "FORBIDDEN")
	webtest.Want(t, st102.Get("/api/v1/staff/cases/"+caseA), 200, "")
	webtest.Want(t, st103.Get("/api/v1/staff/cases/"+caseA), 404, "NOT_FOUND")
	webtest.Want(t, admin.Get("/api/v1/staff/cases/"+caseA), 403, "FORBIDDEN")

	// Window route: precheck → review → produce → ship → arrive → pickup.
	webtest.Want(t, st102.Post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "reject"}), 422, "REASON_REQUIRED")
	webtest.Want(t, st102.Unchecked().Post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "maybe"}), 400, "BAD_REQUEST")
	webtest.Want(t, st102.Post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve", "version": 99}), 409, "VERSION_CONFLICT")
	webtest.Want(t, co102.Post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve"}), 403, "FORBIDDEN")
	webtest.Want(t, st103.Post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve"}), 404, "NOT_FOUND")
	v := webtest.Want(t, st102.Get("/api/v1/staff/cases/"+caseA), 200, "").Num("version")
	webtest.Want(t, st102.Post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve", "version": v}), 200, "")
	webtest.Want(t, a.Post("/api/v1/cases/"+caseA+"/cancel", nil), 409, "INVALID_TRANSITION")
	if tc := webtest.Want(t, a.Get("/api/v1/cases/"+caseA), 200, "").JSON("temporary_card"); tc != nil {
		t.Fatalf("a case without a temporary card shows %v", tc)
	}
	webtest.Want(t, a.Post("/api/v1/cases/"+caseA+"/temporary-card", nil), 201, "")
	webtest.Want(t, a.Post("/api/v1/cases/"+caseA+"/temporary-card", nil), 409, "CONFLICT")
	if r := webtest.Want(t, a.Get("/api/v1/cases/"+caseA), 200, ""); r.Str("temporary_card.status") != "requested" || r.JSON("temporary_card.no") != nil {
		t.Fatalf("the requested temporary card: %s", r)
	}
	webtest.Want(t, co102.Unchecked().Post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "x"}), 422, "VALIDATION_FAILED")
	webtest.Want(t, st102.Post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "TMP5201020001"}), 403, "FORBIDDEN")
	webtest.Want(t, co102.Post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "TMP5201020001"}), 200, "")
	mine := webtest.Want(t, a.Get("/api/v1/cases"), 200, "")
	if r := webtest.Want(t, a.Get("/api/v1/cases/"+caseA), 200, ""); r.Str("temporary_card.status") != "issued" ||
		r.Str("temporary_card.no") != "TMP5201020001" || r.Str("temporary_card.valid_until") == "" {
		t.Fatalf("the issued temporary card: %s", r)
	}
	if mine.Str("items.0.temporary_card.no") != "TMP5201020001" {
		t.Fatalf("my cases list without the temporary card: %s", mine)
	}
	webtest.Want(t, co102.Post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "TMP5201020001"}), 409, "INVALID_TRANSITION")
	webtest.Want(t, co102.Post("/api/v1/staff/cases/"+caseA+"/review", map[string]any{"decision": "approve"}), 200, "")
	webtest.Want(t, co102.Post("/api/v1/staff/cases/"+caseA+"/review", map[string]any{"decision": "approve"}), 409, "INVALID_TRANSITION")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseA+"/produce", nil), 200, "")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseA+"/produce", map[string]any{}), 409, "INVALID_TRANSITION")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseA+"/ship", map[string]any{"tracking_no": "EA123456789CN"}), 422, "INVALID_TRACKING_NO")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseA+"/ship", map[string]any{}), 200, "")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseA+"/deliver", map[string]any{"signed_by": "张三"}), 409, "INVALID_TRANSITION")
	ready := webtest.Want(t, st102.Post("/api/v1/staff/cases/"+caseA+"/arrive", nil), 200, "")
	if ready.Str("status") != "ready_for_pickup" || ready.Str("pickup_due_at") == "" {
		t.Fatalf("arrive: %s", ready)
	}
	tok := webtest.Want(t, a.Get("/api/v1/cases/"+caseA+"/pickup-token"), 200, "").Str("token")
	qr := webtest.Want(t, a.Get("/api/v1/cases/"+caseA+"/pickup-qr.png"), 200, "")
	if !bytes.HasPrefix(qr.Body, []byte("\x89PNG\r\n\x1a\n")) || qr.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("pickup-qr.png is not a PNG: %q", qr.Header.Get("Content-Type"))
	}
	webtest.Want(t, st103.Post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 403, "WRONG_STATION")
	webtest.Want(t, co102.Post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 403, "FORBIDDEN")
	webtest.Want(t, st102.Post("/api/v1/staff/pickup/verify", map[string]any{"token": "not-a-token"}), 422, "TOKEN_INVALID")
	check := webtest.Want(t, st102.Post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 200, "")
	if check.Str("case.no") != caseA || check.Str("person.name") != "张三" {
		t.Fatalf("verify: %s", check)
	}
	webtest.Want(t, st102.Post("/api/v1/staff/pickup/handover", map[string]any{"token": tok, "old_card_returned": false}), 422, "OLD_CARD_REQUIRED")
	done := webtest.Want(t, st102.Post("/api/v1/staff/pickup/handover", map[string]any{"token": tok, "old_card_returned": true}), 200, "")
	if done.Str("status") != "collected" {
		t.Fatalf("handover: %s", done)
	}
	webtest.Want(t, st102.Post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 422, "TOKEN_USED")
	webtest.Want(t, st102.Post("/api/v1/staff/pickup/handover", map[string]any{"token": tok}), 422, "TOKEN_USED")
	webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseA+"/extend", map[string]any{"days": 5, "reason": "路远"}), 409, "INVALID_TRANSITION")

	// Mail route: ship needs a valid S10 number; deliver ends it.
	webtest.Want(t, st103.Post("/api/v1/staff/cases/"+caseB+"/precheck", map[string]any{"decision": "approve"}), 200, "")
	webtest.Want(t, co103.Post("/api/v1/staff/cases/"+caseB+"/review", map[string]any{"decision": "approve"}), 200, "")
	// The mail route pays before production (the demo provider pays at once).
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseB+"/produce", nil), 409, "PAYMENT_REQUIRED")
	webtest.Want(t, b.Unchecked().Post("/api/v1/cases/"+caseB+"/payment", map[string]any{"channel": "alipay"}), 422, "VALIDATION_FAILED")
	if paid := webtest.Want(t, b.Post("/api/v1/cases/"+caseB+"/payment", map[string]any{"channel": "miniprogram"}), 200, ""); paid.Str("provider") != "demo" || paid.Str("status") != "paid" {
		t.Fatalf("demo payment: %s", paid)
	}
	webtest.Want(t, b.Post("/api/v1/cases/"+caseB+"/payment", map[string]any{"channel": "jsapi"}), 409, "ALREADY_PAID")
	webtest.Want(t, a.Post("/api/v1/cases/"+caseB+"/payment", map[string]any{"channel": "jsapi"}), 404, "NOT_FOUND")
	webtest.Want(t, webtest.NewClient(t, env.URL).Post("/api/v1/payments/wechat/notify", map[string]any{"id": "x"}), 401, "BAD_SIGNATURE")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseB+"/produce", nil), 200, "")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseB+"/ship", nil), 422, "INVALID_TRACKING_NO")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseB+"/ship", map[string]any{"tracking_no": "EA12345678CN"}), 422, "INVALID_TRACKING_NO")
	tn := domain.MakeS10("EA", 52010301, "CN")
	shipped := webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseB+"/ship", map[string]any{"tracking_no": tn}), 200, "")
	if shipped.Str("tracking_no") != tn {
		t.Fatalf("ship: %s", shipped)
	}
	webtest.Want(t, st103.Post("/api/v1/staff/cases/"+caseB+"/arrive", nil), 409, "INVALID_TRANSITION")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": " "}), 422, "VALIDATION_FAILED")
	webtest.Want(t, st103.Post("/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": "李梅"}), 403, "FORBIDDEN")
	if webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": "李梅"}), 200, "").Str("status") != "delivered" {
		t.Fatal("deliver did not deliver")
	}
	webtest.Want(t, b.Get("/api/v1/cases/"+caseB), 200, "")
	webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseB+"/extend", map[string]any{"days": 5, "reason": "路远"}), 409, "INVALID_TRANSITION")

	// Extension at the remote station, then the pickup window closes and a
	// supervisor re-opens it.
	webtest.Want(t, sup.Unchecked().Post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 31, "reason": "路远"}), 422, "EXTENSION_NOT_ALLOWED")
	webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 5, "reason": ""}), 422, "REASON_REQUIRED")
	webtest.Want(t, stRemote.Post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 5, "reason": "路远"}), 403, "FORBIDDEN")
	ext := webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 10, "reason": "山区交通不便"}), 200, "")
	if ext.Num("extension_days") != 10 {
		t.Fatalf("extend: %s", ext)
	}
	webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 21, "reason": "再延"}), 422, "EXTENSION_NOT_ALLOWED")
	// A non-remote station: a fresh case of 张三 (the first is collected).
	caseA2 := webtest.Want(t, a.Post("/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}), 201, "").Str("no")
	webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseA2+"/extend", map[string]any{"days": 5, "reason": "路远"}), 422, "EXTENSION_NOT_ALLOWED")
	webtest.Want(t, a.Post("/api/v1/cases/"+caseA2+"/cancel", nil), 200, "")
	webtest.Want(t, stRemote.Post("/api/v1/staff/cases/"+caseC+"/precheck", map[string]any{"decision": "approve"}), 200, "")
	webtest.Want(t, co302.Post("/api/v1/staff/cases/"+caseC+"/review", map[string]any{"decision": "approve"}), 200, "")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseC+"/produce", nil), 200, "")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseC+"/ship", nil), 200, "")
	webtest.Want(t, stRemote.Post("/api/v1/staff/cases/"+caseC+"/arrive", nil), 200, "")
	webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseC+"/reopen-pickup", map[string]any{"reason": "申请人住院"}), 409, "INVALID_TRANSITION")
	oaExpirePickup(t, env, caseC)
	if webtest.Want(t, c.Get("/api/v1/cases/"+caseC), 200, "").Str("status") != "uncollected" {
		t.Fatal("the pickup window did not close")
	}
	webtest.Want(t, c.Get("/api/v1/cases/"+caseC+"/pickup-token"), 409, "NOT_READY_FOR_PICKUP")
	webtest.Want(t, stRemote.Post("/api/v1/staff/cases/"+caseC+"/reopen-pickup", map[string]any{"reason": "申请人住院"}), 403, "FORBIDDEN")
	webtest.Want(t, sup.Post("/api/v1/staff/cases/"+caseC+"/reopen-pickup", map[string]any{"reason": "申请人住院"}), 200, "")
	tokC := webtest.Want(t, c.Get("/api/v1/cases/"+caseC+"/pickup-token"), 200, "").Str("token")
	webtest.Want(t, stRemote.Post("/api/v1/staff/pickup/handover", map[string]any{"token": tokC}), 422, "OLD_CARD_REQUIRED")
	webtest.Want(t, stRemote.Post("/api/v1/staff/pickup/handover", map[string]any{"token": tokC, "old_card_returned": true}), 200, "")

	// Notifications.
	env.DeliverOutbox(t)
	ns := webtest.Want(t, a.Get("/api/v1/notifications"), 200, "")
	items, _ := ns.Obj()["items"].([]any)
	if len(items) == 0 {
		t.Fatal("no notifications after a whole case")
	}
	id := int64(items[0].(map[string]any)["id"].(float64))
	webtest.Want(t, a.Post("/api/v1/notifications/read", map[string]any{"ids": []int64{id}}), 204, "")
	webtest.Want(t, a.Post("/api/v1/notifications/read", nil), 204, "")
	webtest.Want(t, a.Post("/api/v1/notifications/read", webtest.Raw(`{"ids":"all"}`)), 400, "BAD_REQUEST")
	webtest.Want(t, b.Get("/api/v1/notifications"), 200, "")

	// Staff login rate limit: 10 tries per user in 15 minutes.
	var last webtest.Reply
	for i := 0; i < 11; i++ {
		last = anon.Post("/api/v1/staff/auth/login", map[string]any{"username": "nobody", "password": "guess"})
	}
	webtest.Want(t, last, 429, "RATE_LIMITED")
	if last.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}

	// Issue 13: wards, an application for a child, change, progress.
	oaGuardianChangeProgress(t, env, ct, a, station102)
	// 张三's own access log shows the officers' full views of his case, by
	// office and role, never by name.
	seen := webtest.Want(t, a.Get("/api/v1/me/access-log"), 200, "")
	seenItems, _ := seen.JSON("items").([]any)
	if len(seenItems) == 0 || seen.Str("items.0.office") == "" || seen.Str("items.0.purpose") == "" {
		t.Fatalf("张三's access log after staff opened his case: %s", seen)
	}
	webtest.Want(t, b.Get("/api/v1/me/access-log"), 200, "")

	// The admin enrols a second factor (demo mode asks no one to).
	en := webtest.Want(t, admin.Post("/api/v1/staff/me/otp", map[string]any{}), 200, "")
	webtest.Want(t, admin.Post("/api/v1/staff/me/otp/confirm", map[string]any{"code": "12345"}), 422, "BAD_OTP")
	otpCode, err := twofactor.Code(en.Str("secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	webtest.Want(t, admin.Post("/api/v1/staff/me/otp/confirm", map[string]any{"code": otpCode}), 204, "")
	webtest.Want(t, admin.Post("/api/v1/staff/me/otp", map[string]any{}), 409, "OTP_ALREADY_ENROLLED")
	webtest.Want(t, anon.Post("/api/v1/staff/auth/login", map[string]any{"username": "admin", "password": webtest.DemoPassword}), 401, "OTP_REQUIRED")

	// Sign-out ends the session, for cookies and bearer tokens alike.
	webtest.Want(t, a.Post("/api/v1/auth/logout", nil), 204, "")
	webtest.Want(t, a.Get("/api/v1/me"), 401, "UNAUTHENTICATED")
	webtest.Want(t, b.Post("/api/v1/auth/logout", nil), 204, "")
	webtest.Want(t, b.Get("/api/v1/cases"), 401, "UNAUTHENTICATED")
	webtest.Want(t, admin.Post("/api/v1/staff/auth/logout", nil), 204, "")
	webtest.Want(t, admin.Get("/api/v1/staff/me"), 401, "UNAUTHENTICATED")
	webtest.Want(t, anon.Get("/api/v1/eligibility"), 401, "UNAUTHENTICATED")
	contractNotify(t, ct) // WeChat Pay's prepay and notify, at a server that pays through its fake

	ct.CheckCoverage(t)
}

// oaExpirePickup moves the case's pickup due time into the past and runs the
// job that closes the window.
func oaExpirePickup(t *testing.T, env *webtest.Env, no string) {
	t.Helper()
	ctx := context.Background()
	q := env.Store.Q(ctx)
	c, err := q.CaseByNo(no)
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	c.PickupDueAt, c.StageDueAt = &past, &past
	if err := q.UpdateCase(&c); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.ClosePickup(ctx, no); err != nil {
		t.Fatal(err)
	}
}

func oaAtoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
