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
	ct := oaLoadContract(t, env.URL)
	anon := oaNewClient(t, env.URL, ct)

	// Service endpoints and the document itself.
	body := oaWant(t, anon.get("/healthz"), 200, "")
	if body.str("status") != "ok" {
		t.Fatalf("healthz: %s", body)
	}
	oaWant(t, anon.get("/readyz"), 200, "")
	oaWant(t, anon.get("/metrics"), 200, "")
	file, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Not fatal: everything else is still worth checking when the route is
	// missing.
	if doc := anon.get("/api/openapi.yaml"); doc.status != 200 || !bytes.Equal(doc.body, file) ||
		!strings.HasPrefix(doc.header.Get("Content-Type"), "application/yaml") {
		t.Errorf("GET /api/openapi.yaml does not serve openapi.yaml as application/yaml: %d %q", doc.status, doc.header.Get("Content-Type"))
	}

	// Reference data (public).
	oaWant(t, anon.get("/api/v1/offices?division=520102"), 200, "")
	oaWant(t, anon.get("/api/v1/offices?kind=county_bureau&division=5201"), 200, "")
	oaWant(t, anon.unchecked().get("/api/v1/offices?kind=prison"), 422, "VALIDATION_FAILED")
	oaWant(t, anon.unchecked().get("/api/v1/offices?division=11"), 422, "VALIDATION_FAILED")
	all := oaWant(t, anon.get("/api/v1/offices?division=52"), 200, "")
	prefectures := oaWant(t, anon.get("/api/v1/divisions"), 200, "")
	if n := len(prefectures.obj()["items"].([]any)); n != 9 {
		t.Errorf("Guizhou has 9 prefectures, /divisions lists %d", n)
	}
	oaWant(t, anon.get("/api/v1/divisions?parent=5201"), 200, "")
	oaWant(t, anon.unchecked().get("/api/v1/divisions?parent=x"), 422, "VALIDATION_FAILED")
	oaWant(t, anon.get("/api/v1/deadline"), 200, "")
	oaWant(t, anon.get("/api/v1/deadline?from=2026-10-01T09:00:00%2B08:00"), 200, "")
	oaWant(t, anon.get("/api/v1/deadline?from=yesterday"), 400, "BAD_REQUEST")
	if r := oaWant(t, anon.get("/api/v1/config"), 200, ""); oaDig(r.obj(), "demo") != true {
		t.Fatalf("config: %v", r.body)
	}

	// Staff sign-in.
	oaWant(t, anon.post("/api/v1/staff/auth/login", map[string]any{"username": "station-520102", "password": "wrong"}), 401, "BAD_CREDENTIALS")
	st102 := oaStaff(t, anon, "station-520102")
	st103 := oaStaff(t, anon, "station-520103")
	co102 := oaStaff(t, anon, "county-520102")
	co103 := oaStaff(t, anon, "county-520103")
	co302 := oaStaff(t, anon, "county-520302")
	prod := oaStaff(t, anon, "production")
	sup := oaStaff(t, anon, "supervisor")
	admin := oaStaff(t, anon, "admin")
	me := oaWant(t, st102.get("/api/v1/staff/me"), 200, "")
	station102 := me.num("office.id")
	station103 := oaWant(t, st103.get("/api/v1/staff/me"), 200, "").num("office.id")
	oaWant(t, sup.get("/api/v1/staff/me"), 200, "")
	oaWant(t, admin.get("/api/v1/staff/me"), 200, "")

	// A remote station and its officer (remote counties: DESIGN; the
	// offices answer says which).
	var remoteCounty string
	for _, it := range all.obj()["items"].([]any) {
		o := it.(map[string]any)
		if o["remote"] == true {
			remoteCounty = o["division_code"].(string)
			break
		}
	}
	if remoteCounty == "" {
		t.Fatal("no remote station in /offices?division=52")
	}
	stRemote := oaStaff(t, anon, "station-"+remoteCounty)
	stationRemote := oaWant(t, stRemote.get("/api/v1/staff/me"), 200, "").num("office.id")

	// Applicant A: phone sign-in, binding, eligibility, photo, window case.
	a := oaNewClient(t, env.URL, ct)
	oaWant(t, a.post("/api/v1/auth/sms", map[string]any{"phone": "13800000001"}), 204, "")
	r := a.post("/api/v1/auth/sms", map[string]any{"phone": "13800000001"})
	oaWant(t, r, 429, "RATE_LIMITED")
	oaWant(t, a.post("/api/v1/auth/sms", map[string]any{"phone": "12345"}), 422, "VALIDATION_FAILED")
	oaWant(t, a.post("/api/v1/auth/sms", oaRaw(`{"phone":`)), 400, "BAD_REQUEST")
	code := env.LastCode("13800000001")
	wrong := fmt.Sprintf("%06d", (oaAtoi(code)+1)%1000000)
	oaWant(t, a.post("/api/v1/auth/phone", map[string]any{"phone": "13800000001", "code": wrong}), 401, "BAD_CODE")
	signed := oaWant(t, a.post("/api/v1/auth/phone", map[string]any{"phone": "13800000001", "code": code}), 200, "")
	if signed.obj()["bound"] != false {
		t.Fatalf("a new account is not bound: %s", signed)
	}
	oaWant(t, a.get("/api/v1/me"), 200, "")
	oaWant(t, a.get("/api/v1/eligibility"), 422, "NOT_BOUND")
	oaWant(t, a.post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}), 422, "NOT_BOUND")
	oaWant(t, a.post("/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "520102199001011234"}), 422, "INVALID_ID_NUMBER")
	oaWant(t, a.post("/api/v1/me/identity", map[string]any{"name": "李四", "id_number": "52010219900101123X"}), 422, "IDENTITY_MISMATCH")
	bound := oaWant(t, a.post("/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "52010219900101123X"}), 200, "")
	if bound.str("person.name") != "张三" || bound.obj()["bound"] != true {
		t.Fatalf("binding: %s", bound)
	}
	oaWant(t, a.get("/api/v1/me"), 200, "")
	oaWant(t, a.get("/api/v1/eligibility"), 200, "")
	oaWant(t, a.post("/api/v1/photos", oaUpload{"file", "me.jpg", oaPhoto(t, 90)}), 201, "")
	oaWant(t, a.post("/api/v1/photos", oaUpload{"file", "me.jpg", []byte("GIF89a not a photo")}), 422, "PHOTO_INVALID")
	oaWant(t, a.post("/api/v1/photos", oaUpload{"file", "big.jpg", bytes.Repeat([]byte{0xff}, 3<<20)}), 413, "TOO_LARGE")
	oaWant(t, a.post("/api/v1/photos", oaUpload{}), 400, "BAD_REQUEST")
	oaWant(t, a.post("/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": station102, "collection": "window"}), 422, "KIND_NOT_ALLOWED")
	oaWant(t, a.post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": 999999, "collection": "window"}), 422, "UNKNOWN_STATION")
	oaWant(t, a.post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "mail"}), 422, "MAIL_ADDRESS_REQUIRED")
	oaWant(t, a.post("/api/v1/cases", oaRaw(`{"kind":"damage_renewal","station_id":"x"}`)), 400, "BAD_REQUEST")
	submit := map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}
	first := oaWant(t, a.do("POST", "/api/v1/cases", submit, map[string]string{"Idempotency-Key": "contract-1"}), 201, "")
	again := oaWant(t, a.do("POST", "/api/v1/cases", submit, map[string]string{"Idempotency-Key": "contract-1"}), 201, "")
	if !bytes.Equal(first.body, again.body) {
		t.Fatalf("idempotent replay differs:\n%s\n%s", first.body, again.body)
	}
	other := map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}
	oaWant(t, a.do("POST", "/api/v1/cases", other, map[string]string{"Idempotency-Key": "contract-1"}), 422, "IDEMPOTENCY_KEY_REUSED")
	oaWant(t, a.post("/api/v1/cases", other), 422, "ACTIVE_CASE_EXISTS")
	caseA := first.str("no")
	oaWant(t, a.get("/api/v1/cases"), 200, "")
	oaWant(t, a.get("/api/v1/cases/"+caseA), 200, "")
	oaWant(t, a.get("/api/v1/cases/GZ000000000000"), 404, "NOT_FOUND")
	oaWant(t, a.get("/api/v1/cases/GZ991231999999"), 404, "NOT_FOUND")
	oaWant(t, a.get("/api/v1/cases/"+caseA+"/pickup-token"), 409, "NOT_READY_FOR_PICKUP")
	oaWant(t, a.get("/api/v1/cases/"+caseA+"/pickup-qr.png"), 409, "NOT_READY_FOR_PICKUP")
	oaWant(t, a.post("/api/v1/cases/"+caseA+"/temporary-card", nil), 409, "INVALID_TRANSITION")

	// Applicant B (李梅, bearer token from an SMS sign-in): mail route.
	bs := oaNewClient(t, env.URL, ct)
	b := bs.bearer(oaSMSSignIn(t, bs, env.LastCode, "13800000002").str("token"))
	oaWant(t, b.post("/api/v1/me/identity", map[string]any{"name": "李梅", "id_number": "520103198506150026"}), 200, "")
	mail := map[string]any{"recipient": "李梅", "phone": "13800000002", "division_code": "520103", "address": "北京路126号4栋1单元602"}
	caseB := oaWant(t, b.post("/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station103, "collection": "mail", "mail": mail}), 201, "").str("no")

	// Applicant C (王五, WeChat mini-program sign-in): expiry renewal with a
	// photo at a remote station.
	oaWant(t, anon.anonymous().post("/api/v1/auth/wechat", map[string]any{"code": ""}), 400, "BAD_REQUEST")
	wc := oaWant(t, anon.anonymous().post("/api/v1/auth/wechat", map[string]any{"code": "dev:wangwu"}), 200, "")
	c := anon.bearer(wc.str("token"))
	oaWant(t, c.post("/api/v1/me/identity", map[string]any{"name": "王五", "id_number": "520302195803200019"}), 200, "")
	oaWant(t, c.post("/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": stationRemote, "collection": "window"}), 422, "PHOTO_REQUIRED")
	photo := oaWant(t, c.post("/api/v1/photos", oaUpload{"file", "wang.jpg", oaPhoto(t, 70)}), 201, "").num("photo_id")
	caseC := oaWant(t, c.post("/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": stationRemote, "collection": "window", "photo_id": photo}), 201, "").str("no")

	// Applicant D (吴丽): withdrawal.
	d := oaNewClient(t, env.URL, ct)
	oaSMSSignIn(t, d, env.LastCode, "13800000004")
	oaWant(t, d.post("/api/v1/me/identity", map[string]any{"name": "吴丽", "id_number": "520402200302110049"}), 200, "")
	caseD := oaWant(t, d.post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}), 201, "").str("no")
	if oaWant(t, d.post("/api/v1/cases/"+caseD+"/cancel", nil), 200, "").str("status") != "cancelled" {
		t.Fatal("cancel did not cancel")
	}
	oaWant(t, d.post("/api/v1/cases/"+caseD+"/cancel", nil), 409, "INVALID_TRANSITION")
	oaWant(t, a.post("/api/v1/cases/"+caseD+"/cancel", nil), 404, "NOT_FOUND")

	// Staff lists and detail.
	oaWant(t, st102.get("/api/v1/staff/cases"), 200, "")
	page := oaWant(t, st102.get("/api/v1/staff/cases?status=submitted&limit=1"), 200, "")
	if cur := page.str("next_cursor"); cur != "" {
		oaWant(t, st102.get("/api/v1/staff/cases?status=submitted&limit=1&cursor="+cur), 200, "")
	}
	oaWant(t, sup.get("/api/v1/staff/cases?overdue=1&order=due&kind=damage_renewal&collection=window&county=520102&from=2020-01-01&to=2099-12-31&q="+caseA), 200, "")
	oaWant(t, st102.get(fmt.Sprintf("/api/v1/staff/cases?office_id=%d", station102)), 200, "")
	oaWant(t, st102.unchecked().get("/api/v1/staff/cases?limit=101"), 422, "VALIDATION_FAILED")
	oaWant(t, st102.unchecked().get("/api/v1/staff/cases?status=lost"), 422, "VALIDATION_FAILED")
	oaWant(t, st102.get("/api/v1/staff/cases?cursor=nonsense"), 422, "VALIDATION_FAILED")
	oaWant(t, st102.unchecked().get("/api/v1/staff/cases?office_id=abc"), 400, "BAD_REQUEST")
	oaWant(t, st102.unchecked().get("/api/v1/staff/cases?from=yesterday"), 400, "BAD_REQUEST")
	oaWant(t, admin.get("/api/v1/staff/cases"), 403, "FORBIDDEN")
	oaWant(t, st102.get("/api/v1/staff/cases/"+caseA), 200, "")
	oaWant(t, st103.get("/api/v1/staff/cases/"+caseA), 404, "NOT_FOUND")
	oaWant(t, admin.get("/api/v1/staff/cases/"+caseA), 403, "FORBIDDEN")

	// Window route: precheck → review → produce → ship → arrive → pickup.
	oaWant(t, st102.post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "reject"}), 422, "REASON_REQUIRED")
	oaWant(t, st102.unchecked().post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "maybe"}), 400, "BAD_REQUEST")
	oaWant(t, st102.post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve", "version": 99}), 409, "VERSION_CONFLICT")
	oaWant(t, co102.post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve"}), 403, "FORBIDDEN")
	oaWant(t, st103.post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve"}), 404, "NOT_FOUND")
	v := oaWant(t, st102.get("/api/v1/staff/cases/"+caseA), 200, "").num("version")
	oaWant(t, st102.post("/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve", "version": v}), 200, "")
	oaWant(t, a.post("/api/v1/cases/"+caseA+"/cancel", nil), 409, "INVALID_TRANSITION")
	if tc := oaDig(oaWant(t, a.get("/api/v1/cases/"+caseA), 200, "").obj(), "temporary_card"); tc != nil {
		t.Fatalf("a case without a temporary card shows %v", tc)
	}
	oaWant(t, a.post("/api/v1/cases/"+caseA+"/temporary-card", nil), 201, "")
	oaWant(t, a.post("/api/v1/cases/"+caseA+"/temporary-card", nil), 409, "CONFLICT")
	if r := oaWant(t, a.get("/api/v1/cases/"+caseA), 200, ""); r.str("temporary_card.status") != "requested" || oaDig(r.obj(), "temporary_card.no") != nil {
		t.Fatalf("the requested temporary card: %s", r)
	}
	oaWant(t, co102.unchecked().post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "x"}), 422, "VALIDATION_FAILED")
	oaWant(t, st102.post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "TMP5201020001"}), 403, "FORBIDDEN")
	oaWant(t, co102.post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "TMP5201020001"}), 200, "")
	mine := oaWant(t, a.get("/api/v1/cases"), 200, "")
	if r := oaWant(t, a.get("/api/v1/cases/"+caseA), 200, ""); r.str("temporary_card.status") != "issued" ||
		r.str("temporary_card.no") != "TMP5201020001" || r.str("temporary_card.valid_until") == "" {
		t.Fatalf("the issued temporary card: %s", r)
	}
	if items, _ := mine.obj()["items"].([]any); len(items) == 0 || oaDig(items[0], "temporary_card.no") != "TMP5201020001" {
		t.Fatalf("my cases list without the temporary card: %s", mine)
	}
	oaWant(t, co102.post("/api/v1/staff/cases/"+caseA+"/temporary-card", map[string]any{"card_no": "TMP5201020001"}), 409, "INVALID_TRANSITION")
	oaWant(t, co102.post("/api/v1/staff/cases/"+caseA+"/review", map[string]any{"decision": "approve"}), 200, "")
	oaWant(t, co102.post("/api/v1/staff/cases/"+caseA+"/review", map[string]any{"decision": "approve"}), 409, "INVALID_TRANSITION")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseA+"/produce", nil), 200, "")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseA+"/produce", map[string]any{}), 409, "INVALID_TRANSITION")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseA+"/ship", map[string]any{"tracking_no": "EA123456789CN"}), 422, "INVALID_TRACKING_NO")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseA+"/ship", map[string]any{}), 200, "")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseA+"/deliver", map[string]any{"signed_by": "张三"}), 409, "INVALID_TRANSITION")
	ready := oaWant(t, st102.post("/api/v1/staff/cases/"+caseA+"/arrive", nil), 200, "")
	if ready.str("status") != "ready_for_pickup" || ready.str("pickup_due_at") == "" {
		t.Fatalf("arrive: %s", ready)
	}
	tok := oaWant(t, a.get("/api/v1/cases/"+caseA+"/pickup-token"), 200, "").str("token")
	qr := oaWant(t, a.get("/api/v1/cases/"+caseA+"/pickup-qr.png"), 200, "")
	if !bytes.HasPrefix(qr.body, []byte("\x89PNG\r\n\x1a\n")) || qr.header.Get("Content-Type") != "image/png" {
		t.Fatalf("pickup-qr.png is not a PNG: %q", qr.header.Get("Content-Type"))
	}
	oaWant(t, st103.post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 403, "WRONG_STATION")
	oaWant(t, co102.post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 403, "FORBIDDEN")
	oaWant(t, st102.post("/api/v1/staff/pickup/verify", map[string]any{"token": "not-a-token"}), 422, "TOKEN_INVALID")
	check := oaWant(t, st102.post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 200, "")
	if check.str("case.no") != caseA || check.str("person.name") != "张三" {
		t.Fatalf("verify: %s", check)
	}
	oaWant(t, st102.post("/api/v1/staff/pickup/handover", map[string]any{"token": tok, "old_card_returned": false}), 422, "OLD_CARD_REQUIRED")
	done := oaWant(t, st102.post("/api/v1/staff/pickup/handover", map[string]any{"token": tok, "old_card_returned": true}), 200, "")
	if done.str("status") != "collected" {
		t.Fatalf("handover: %s", done)
	}
	oaWant(t, st102.post("/api/v1/staff/pickup/verify", map[string]any{"token": tok}), 422, "TOKEN_USED")
	oaWant(t, st102.post("/api/v1/staff/pickup/handover", map[string]any{"token": tok}), 422, "TOKEN_USED")
	oaWant(t, sup.post("/api/v1/staff/cases/"+caseA+"/extend", map[string]any{"days": 5, "reason": "路远"}), 409, "INVALID_TRANSITION")

	// Mail route: ship needs a valid S10 number; deliver ends it.
	oaWant(t, st103.post("/api/v1/staff/cases/"+caseB+"/precheck", map[string]any{"decision": "approve"}), 200, "")
	oaWant(t, co103.post("/api/v1/staff/cases/"+caseB+"/review", map[string]any{"decision": "approve"}), 200, "")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseB+"/produce", nil), 200, "")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseB+"/ship", nil), 422, "INVALID_TRACKING_NO")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseB+"/ship", map[string]any{"tracking_no": "EA12345678CN"}), 422, "INVALID_TRACKING_NO")
	tn := domain.MakeS10("EA", 52010301, "CN")
	shipped := oaWant(t, prod.post("/api/v1/staff/cases/"+caseB+"/ship", map[string]any{"tracking_no": tn}), 200, "")
	if shipped.str("tracking_no") != tn {
		t.Fatalf("ship: %s", shipped)
	}
	oaWant(t, st103.post("/api/v1/staff/cases/"+caseB+"/arrive", nil), 409, "INVALID_TRANSITION")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": " "}), 422, "VALIDATION_FAILED")
	oaWant(t, st103.post("/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": "李梅"}), 403, "FORBIDDEN")
	if oaWant(t, prod.post("/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": "李梅"}), 200, "").str("status") != "delivered" {
		t.Fatal("deliver did not deliver")
	}
	oaWant(t, b.get("/api/v1/cases/"+caseB), 200, "")
	oaWant(t, sup.post("/api/v1/staff/cases/"+caseB+"/extend", map[string]any{"days": 5, "reason": "路远"}), 409, "INVALID_TRANSITION")

	// Extension at the remote station, then the pickup window closes and a
	// supervisor re-opens it.
	oaWant(t, sup.unchecked().post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 31, "reason": "路远"}), 422, "EXTENSION_NOT_ALLOWED")
	oaWant(t, sup.post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 5, "reason": ""}), 422, "REASON_REQUIRED")
	oaWant(t, stRemote.post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 5, "reason": "路远"}), 403, "FORBIDDEN")
	ext := oaWant(t, sup.post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 10, "reason": "山区交通不便"}), 200, "")
	if ext.num("extension_days") != 10 {
		t.Fatalf("extend: %s", ext)
	}
	oaWant(t, sup.post("/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 21, "reason": "再延"}), 422, "EXTENSION_NOT_ALLOWED")
	// A non-remote station: a fresh case of 张三 (the first is collected).
	caseA2 := oaWant(t, a.post("/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}), 201, "").str("no")
	oaWant(t, sup.post("/api/v1/staff/cases/"+caseA2+"/extend", map[string]any{"days": 5, "reason": "路远"}), 422, "EXTENSION_NOT_ALLOWED")
	oaWant(t, a.post("/api/v1/cases/"+caseA2+"/cancel", nil), 200, "")
	oaWant(t, stRemote.post("/api/v1/staff/cases/"+caseC+"/precheck", map[string]any{"decision": "approve"}), 200, "")
	oaWant(t, co302.post("/api/v1/staff/cases/"+caseC+"/review", map[string]any{"decision": "approve"}), 200, "")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseC+"/produce", nil), 200, "")
	oaWant(t, prod.post("/api/v1/staff/cases/"+caseC+"/ship", nil), 200, "")
	oaWant(t, stRemote.post("/api/v1/staff/cases/"+caseC+"/arrive", nil), 200, "")
	oaWant(t, sup.post("/api/v1/staff/cases/"+caseC+"/reopen-pickup", map[string]any{"reason": "申请人住院"}), 409, "INVALID_TRANSITION")
	oaExpirePickup(t, env, caseC)
	if oaWant(t, c.get("/api/v1/cases/"+caseC), 200, "").str("status") != "uncollected" {
		t.Fatal("the pickup window did not close")
	}
	oaWant(t, c.get("/api/v1/cases/"+caseC+"/pickup-token"), 409, "NOT_READY_FOR_PICKUP")
	oaWant(t, stRemote.post("/api/v1/staff/cases/"+caseC+"/reopen-pickup", map[string]any{"reason": "申请人住院"}), 403, "FORBIDDEN")
	oaWant(t, sup.post("/api/v1/staff/cases/"+caseC+"/reopen-pickup", map[string]any{"reason": "申请人住院"}), 200, "")
	tokC := oaWant(t, c.get("/api/v1/cases/"+caseC+"/pickup-token"), 200, "").str("token")
	oaWant(t, stRemote.post("/api/v1/staff/pickup/handover", map[string]any{"token": tokC}), 422, "OLD_CARD_REQUIRED")
	oaWant(t, stRemote.post("/api/v1/staff/pickup/handover", map[string]any{"token": tokC, "old_card_returned": true}), 200, "")

	// Notifications.
	env.DeliverOutbox(t)
	ns := oaWant(t, a.get("/api/v1/notifications"), 200, "")
	items, _ := ns.obj()["items"].([]any)
	if len(items) == 0 {
		t.Fatal("no notifications after a whole case")
	}
	id := int64(items[0].(map[string]any)["id"].(float64))
	oaWant(t, a.post("/api/v1/notifications/read", map[string]any{"ids": []int64{id}}), 204, "")
	oaWant(t, a.post("/api/v1/notifications/read", nil), 204, "")
	oaWant(t, a.post("/api/v1/notifications/read", oaRaw(`{"ids":"all"}`)), 400, "BAD_REQUEST")
	oaWant(t, b.get("/api/v1/notifications"), 200, "")

	// Staff login rate limit: 10 tries per user in 15 minutes.
	var last oaReply
	for i := 0; i < 11; i++ {
		last = anon.post("/api/v1/staff/auth/login", map[string]any{"username": "nobody", "password": "guess"})
	}
	oaWant(t, last, 429, "RATE_LIMITED")
	if last.header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}

	// Sign-out ends the session, for cookies and bearer tokens alike.
	oaWant(t, a.post("/api/v1/auth/logout", nil), 204, "")
	oaWant(t, a.get("/api/v1/me"), 401, "UNAUTHENTICATED")
	oaWant(t, b.post("/api/v1/auth/logout", nil), 204, "")
	oaWant(t, b.get("/api/v1/cases"), 401, "UNAUTHENTICATED")
	oaWant(t, admin.post("/api/v1/staff/auth/logout", nil), 204, "")
	oaWant(t, admin.get("/api/v1/staff/me"), 401, "UNAUTHENTICATED")
	oaWant(t, anon.get("/api/v1/eligibility"), 401, "UNAUTHENTICATED")

	ct.checkCoverage(t)
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
