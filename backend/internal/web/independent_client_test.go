package web_test

// An independent client of the API, written only from the published openapi.yaml:
// plain net/http and map[string]any, nothing of the service's own code
// (webtest only starts the server, reads the demo-mode SMS code and runs the
// notification job). It walks the window route to collected, the mail route
// to delivered, a withdrawal, and every refusal openapi.yaml names.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

type icClient struct {
	t     *testing.T
	base  string
	hc    *http.Client
	token string
}

type icAnswer struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

func (a icAnswer) errCode() string {
	e, _ := a.json["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (a icAnswer) s(key string) string {
	v, _ := icGet(a.json, key).(string)
	return v
}

func (a icAnswer) n(key string) float64 {
	v, _ := icGet(a.json, key).(float64)
	return v
}

func icGet(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func icNew(t *testing.T, base string) *icClient {
	jar, _ := cookiejar.New(nil)
	return &icClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (c *icClient) withToken(tok string) *icClient {
	n := icNew(c.t, c.base)
	n.token = tok
	return n
}

func (c *icClient) send(method, path, ctype string, body []byte, hdr map[string]string) icAnswer {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := icAnswer{status: res.StatusCode, header: res.Header, body: b}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &a.json); err != nil {
			c.t.Fatalf("%s %s: answer is not a JSON object: %s", method, path, b)
		}
	}
	if a.status >= 500 {
		c.t.Fatalf("%s %s: server error %d %s", method, path, a.status, b)
	}
	if a.status >= 400 {
		// Every error is {"error":{"code","message"}} (openapi.yaml, Conventions).
		if a.errCode() == "" || a.s("error.message") == "" {
			c.t.Fatalf("%s %s: %d without the error body: %s", method, path, a.status, b)
		}
	}
	return a
}

func (c *icClient) call(method, path string, body any, hdr ...map[string]string) icAnswer {
	c.t.Helper()
	var b []byte
	ctype := ""
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			c.t.Fatal(err)
		}
		ctype = "application/json"
	}
	var h map[string]string
	if len(hdr) > 0 {
		h = hdr[0]
	}
	return c.send(method, path, ctype, b, h)
}

func (c *icClient) upload(path string, data []byte) icAnswer {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "photo.jpg")
	_, _ = fw.Write(data)
	_ = w.Close()
	return c.send("POST", path, w.FormDataContentType(), buf.Bytes(), nil)
}

// expect fails unless the answer has the status and (for errors) the code.
func (c *icClient) expect(a icAnswer, status int, code string) icAnswer {
	c.t.Helper()
	if a.status != status || (code != "" && a.errCode() != code) {
		c.t.Fatalf("want %d %s, got %d %s", status, code, a.status, a.body)
	}
	return a
}

// icKeys fails unless m has every key (openapi.yaml's "at least" fields).
func icKeys(t *testing.T, what string, v any, keys ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: not an object: %v", what, v)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s: no %q in %v", what, k, m)
		}
	}
}

// icTime fails unless s is RFC 3339 with the +08:00 offset.
func icTime(t *testing.T, what, s string) {
	t.Helper()
	if _, err := time.Parse(time.RFC3339, s); err != nil || !strings.HasSuffix(s, "+08:00") {
		t.Errorf("%s: %q is not RFC 3339 in +08:00", what, s)
	}
}

var icCaseKeys = []string{"no", "kind", "status", "status_label", "collection", "station", "submitted_at", "accepted_at",
	"stage_due_at", "legal_due_at", "pickup_due_at", "reject_reason", "tracking_no", "version"}

func icCase(t *testing.T, what string, v any) map[string]any {
	t.Helper()
	icKeys(t, what, v, icCaseKeys...)
	m := v.(map[string]any)
	icKeys(t, what+".station", m["station"], "id", "name")
	icTime(t, what+".submitted_at", m["submitted_at"].(string))
	icTime(t, what+".legal_due_at", m["legal_due_at"].(string))
	return m
}

// icS10 makes a UPU S10 tracking number (two letters, 8 digits, a check
// digit, two letters).
func icS10(serial int) string {
	d := fmt.Sprintf("%08d", serial)
	sum := 0
	for i, w := range []int{8, 6, 4, 2, 3, 5, 9, 7} {
		sum += int(d[i]-'0') * w
	}
	check := 11 - sum%11
	switch check {
	case 10:
		check = 0
	case 11:
		check = 5
	}
	return fmt.Sprintf("EA%s%dCN", d, check)
}

// icPhoto is an ID photo: 358×441 JPEG, white background.
func icPhoto(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 358, 441))
	for y := range 441 {
		for x := range 358 {
			c := color.RGBA{255, 255, 255, 255}
			dx, dy := float64(x-179)/70, float64(y-210)/95
			if dx*dx+dy*dy < 1 || y > 330 {
				c = color.RGBA{60, 50, 45, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestIndependentClient(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	pub := icNew(t, env.URL)

	// Staff sign in with a token (outside systems).
	staff := func(user string) *icClient {
		t.Helper()
		a := pub.expect(icNew(t, env.URL).call("POST", "/api/v1/staff/auth/login", map[string]any{"username": user, "password": "demo1234"}), 200, "")
		icKeys(t, "staff login", a.json, "token", "expires_at", "role")
		icTime(t, "staff login expires_at", a.s("expires_at"))
		return pub.withToken(a.s("token"))
	}
	pub.expect(pub.call("POST", "/api/v1/staff/auth/login", map[string]any{"username": "station-520102", "password": "nicht"}), 401, "BAD_CREDENTIALS")
	pub.expect(pub.call("POST", "/api/v1/staff/auth/login", map[string]any{"username": "nobody-at-all", "password": "demo1234"}), 401, "BAD_CREDENTIALS")
	st102, st103, co102, co103 := staff("station-520102"), staff("station-520103"), staff("county-520102"), staff("county-520103")
	prod, sup := staff("production"), staff("supervisor")
	me := st102.expect(st102.call("GET", "/api/v1/staff/me", nil), 200, "")
	icKeys(t, "staff me", me.json, "username", "name", "role", "office")
	icKeys(t, "staff me office", me.json["office"], "id", "code", "name", "kind", "division_code")
	if me.s("role") != "station_officer" || me.s("office.division_code") != "520102" {
		t.Fatalf("station-520102: %s", me.body)
	}
	station102 := me.n("office.id")
	station103 := st103.expect(st103.call("GET", "/api/v1/staff/me", nil), 200, "").n("office.id")

	// Offices by prefix: 520102's stations are among 5201's and 52's.
	offices := pub.expect(pub.call("GET", "/api/v1/offices?kind=station&division=520102", nil), 200, "")
	items := offices.json["items"].([]any)
	found := false
	for _, it := range items {
		icKeys(t, "office", it, "id", "code", "name", "division_code", "address", "phone", "hours")
		o := it.(map[string]any)
		if !strings.HasPrefix(o["division_code"].(string), "520102") {
			t.Errorf("office of %v under division=520102", o["division_code"])
		}
		found = found || o["id"].(float64) == station102
	}
	if !found {
		t.Fatal("station-520102's station is not among /offices?division=520102")
	}
	if n := len(pub.expect(pub.call("GET", "/api/v1/offices?division=5201", nil), 200, "").json["items"].([]any)); n <= len(items) {
		t.Errorf("division=5201 lists %d stations, 520102 alone %d", n, len(items))
	}
	pub.expect(pub.call("GET", "/api/v1/divisions?parent=5201", nil), 200, "")

	// Sign in by SMS code; one code per minute.
	signIn := func(phone string) *icClient {
		t.Helper()
		c := icNew(t, env.URL)
		c.expect(c.call("POST", "/api/v1/auth/sms", map[string]any{"phone": phone}), 204, "")
		a := c.expect(c.call("POST", "/api/v1/auth/phone", map[string]any{"phone": phone, "code": env.LastCode(phone)}), 200, "")
		icKeys(t, "sign-in", a.json, "token", "expires_at", "bound")
		icTime(t, "sign-in expires_at", a.s("expires_at"))
		return c
	}
	bind := func(c *icClient, name, id string) {
		t.Helper()
		a := c.expect(c.call("POST", "/api/v1/me/identity", map[string]any{"name": name, "id_number": id, "verify_result": "dev:pass"}), 200, "")
		icKeys(t, "bound me", a.json, "id", "phone_masked", "bound", "person")
		icKeys(t, "bound person", a.json["person"], "name", "id_number_masked", "birth_date", "sex")
		if a.json["bound"] != true || a.s("person.name") != name || strings.Contains(a.s("person.id_number_masked"), id[6:14]) {
			t.Fatalf("binding %s: %s", name, a.body)
		}
	}

	// ---- Window route to collected: 张三 ----
	zs := icNew(t, env.URL)
	zs.expect(zs.call("POST", "/api/v1/auth/sms", map[string]any{"phone": "13700000001"}), 204, "")
	lim := zs.expect(zs.call("POST", "/api/v1/auth/sms", map[string]any{"phone": "13700000001"}), 429, "")
	if lim.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	code := env.LastCode("13700000001")
	bad := "000000"
	if code == bad {
		bad = "111111"
	}
	zs.expect(zs.call("POST", "/api/v1/auth/phone", map[string]any{"phone": "13700000001", "code": bad}), 401, "BAD_CODE")
	signed := zs.expect(zs.call("POST", "/api/v1/auth/phone", map[string]any{"phone": "13700000001", "code": code}), 200, "")
	if signed.json["bound"] != false {
		t.Fatalf("new account bound: %s", signed.body)
	}
	me0 := zs.expect(zs.call("GET", "/api/v1/me", nil), 200, "")
	if me0.json["bound"] != false || me0.json["person"] != nil {
		t.Fatalf("unbound /me: %s", me0.body)
	}
	zs.expect(zs.call("POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}), 422, "NOT_BOUND")
	zs.expect(zs.call("POST", "/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "52010219900101123"}), 422, "INVALID_ID_NUMBER")
	zs.expect(zs.call("POST", "/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "520102199001011231"}), 422, "INVALID_ID_NUMBER")
	zs.expect(zs.call("POST", "/api/v1/me/identity", map[string]any{"name": "张四", "id_number": "52010219900101123X"}), 422, "IDENTITY_MISMATCH")
	zs.expect(zs.call("POST", "/api/v1/me/identity", map[string]any{"name": "赵六", "id_number": "110101199003070011"}), 422, "IDENTITY_MISMATCH")
	bind(zs, "张三", "52010219900101123X")
	el := zs.expect(zs.call("GET", "/api/v1/eligibility", nil), 200, "")
	icKeys(t, "eligibility", el.json, "kinds", "card_expires_on")
	kinds := map[string]bool{}
	for _, k := range el.json["kinds"].([]any) {
		icKeys(t, "kind", k, "kind", "label", "fee_yuan")
		kinds[k.(map[string]any)["kind"].(string)] = true
	}
	for _, k := range []string{"expiry_renewal", "damage_renewal", "loss_replacement"} {
		if !kinds[k] {
			t.Errorf("eligibility without %s", k)
		}
	}
	zs.expect(zs.upload("/api/v1/photos", []byte("%PDF-1.4 certainly not a JPEG")), 422, "PHOTO_INVALID")
	zs.expect(zs.upload("/api/v1/photos", bytes.Repeat([]byte("x"), 2<<20+100<<10)), 413, "")
	zs.expect(zs.call("POST", "/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": station102, "collection": "window"}), 422, "KIND_NOT_ALLOWED")
	zs.expect(zs.call("POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": 99999999, "collection": "window"}), 422, "UNKNOWN_STATION")
	zs.expect(zs.call("POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "mail"}), 422, "MAIL_ADDRESS_REQUIRED")
	zs.expect(zs.call("POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "mail",
		"mail": map[string]any{"recipient": "张三", "phone": "", "division_code": "520102", "address": ""}}), 422, "MAIL_ADDRESS_REQUIRED")
	apply := map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}
	key := map[string]string{"Idempotency-Key": "ic-zhangsan-1"}
	created := zs.expect(zs.call("POST", "/api/v1/cases", apply, key), 201, "")
	caseA := icCase(t, "submitted case", created.json)["no"].(string)
	if created.s("status") != "submitted" || created.s("collection") != "window" {
		t.Fatalf("submitted: %s", created.body)
	}
	replay := zs.expect(zs.call("POST", "/api/v1/cases", apply, key), 201, "")
	if replay.s("no") != caseA {
		t.Fatalf("the same Idempotency-Key made a second case: %s", replay.body)
	}
	zs.expect(zs.call("POST", "/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}, key), 422, "IDEMPOTENCY_KEY_REUSED")
	zs.expect(zs.call("POST", "/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}), 422, "ACTIVE_CASE_EXISTS")
	zs.expect(zs.call("GET", "/api/v1/cases/"+caseA+"/pickup-token", nil), 409, "NOT_READY_FOR_PICKUP")
	zs.expect(zs.call("GET", "/api/v1/cases/"+caseA+"/pickup-qr.png", nil), 409, "NOT_READY_FOR_PICKUP")

	// Staff: pre-check (reason required to reject, stale version refused,
	// transitions in order), review, produce, ship, arrive.
	detail := st102.expect(st102.call("GET", "/api/v1/staff/cases/"+caseA, nil), 200, "")
	icCase(t, "staff case", detail.json)
	icKeys(t, "staff case person", detail.json["person"], "name")
	version := detail.n("version")
	list := st102.expect(st102.call("GET", "/api/v1/staff/cases?status=submitted&limit=100", nil), 200, "")
	icKeys(t, "staff list", list.json, "items", "next_cursor")
	inList := false
	for _, it := range list.json["items"].([]any) {
		inList = inList || it.(map[string]any)["no"] == caseA
	}
	if !inList {
		t.Error("the new case is not in station-520102's list")
	}
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "reject"}), 422, "REASON_REQUIRED")
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "reject", "reason": "  "}), 422, "REASON_REQUIRED")
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/arrive", map[string]any{}), 409, "INVALID_TRANSITION")
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve", "version": version + 1}), 409, "VERSION_CONFLICT")
	acc := st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve", "version": version}), 200, "")
	if acc.s("status") != "accepted" || acc.json["accepted_at"] == nil {
		t.Fatalf("precheck: %s", acc.body)
	}
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve", "version": version}), 409, "VERSION_CONFLICT")
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve"}), 409, "INVALID_TRANSITION")
	zs.expect(zs.call("POST", "/api/v1/cases/"+caseA+"/cancel", nil), 409, "")
	co102.expect(co102.call("POST", "/api/v1/staff/cases/"+caseA+"/review", map[string]any{"decision": "reject"}), 422, "REASON_REQUIRED")
	co102.expect(co102.call("POST", "/api/v1/staff/cases/"+caseA+"/review", map[string]any{"decision": "approve"}), 200, "")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseA+"/produce", map[string]any{}), 200, "")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseA+"/ship", map[string]any{"tracking_no": "EA123456784CN"}), 422, "INVALID_TRACKING_NO")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseA+"/ship", map[string]any{}), 200, "")
	zs.expect(zs.call("GET", "/api/v1/cases/"+caseA+"/pickup-token", nil), 409, "NOT_READY_FOR_PICKUP")
	ready := st102.expect(st102.call("POST", "/api/v1/staff/cases/"+caseA+"/arrive", map[string]any{}), 200, "")
	if ready.s("status") != "ready_for_pickup" {
		t.Fatalf("arrive: %s", ready.body)
	}
	icTime(t, "pickup_due_at", ready.s("pickup_due_at"))

	// Pickup: token and QR, verified at the wrong and the right station.
	tokA := zs.expect(zs.call("GET", "/api/v1/cases/"+caseA+"/pickup-token", nil), 200, "")
	icKeys(t, "pickup token", tokA.json, "token", "expires_at")
	icTime(t, "pickup token expires_at", tokA.s("expires_at"))
	qr := zs.expect(zs.call("GET", "/api/v1/cases/"+caseA+"/pickup-qr.png", nil), 200, "")
	if qr.header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(qr.body, []byte("\x89PNG")) {
		t.Fatalf("pickup QR: %q", qr.header.Get("Content-Type"))
	}
	token := tokA.s("token")
	st103.expect(st103.call("POST", "/api/v1/staff/pickup/verify", map[string]any{"token": token}), 403, "WRONG_STATION")
	st102.expect(st102.call("POST", "/api/v1/staff/pickup/verify", map[string]any{"token": "forged." + token}), 422, "TOKEN_INVALID")
	st102.expect(st102.call("POST", "/api/v1/staff/pickup/verify", map[string]any{"token": "garbage"}), 422, "TOKEN_INVALID")
	v := st102.expect(st102.call("POST", "/api/v1/staff/pickup/verify", map[string]any{"token": token}), 200, "")
	icKeys(t, "verify", v.json, "case", "person")
	if v.s("case.no") != caseA || v.s("person.name") != "张三" {
		t.Fatalf("verify: %s", v.body)
	}
	st103.expect(st103.call("POST", "/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}), 403, "WRONG_STATION")
	got := st102.expect(st102.call("POST", "/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}), 200, "")
	if got.s("status") != "collected" {
		t.Fatalf("handover: %s", got.body)
	}
	st102.expect(st102.call("POST", "/api/v1/staff/pickup/verify", map[string]any{"token": token}), 422, "TOKEN_USED")
	st102.expect(st102.call("POST", "/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}), 422, "TOKEN_USED")
	final := zs.expect(zs.call("GET", "/api/v1/cases/"+caseA, nil), 200, "")
	icCase(t, "collected case", final.json)
	var steps []string
	for _, e := range final.json["timeline"].([]any) {
		icKeys(t, "timeline entry", e, "status", "status_label", "at", "note")
		steps = append(steps, e.(map[string]any)["status"].(string))
	}
	if want := "submitted accepted issued produced shipped ready_for_pickup collected"; strings.Join(steps, " ") != want {
		t.Errorf("timeline %v, want %s", steps, want)
	}

	// ---- Mail route to delivered: 李梅 (bearer token) ----
	lmCookie := icNew(t, env.URL)
	lmCookie.expect(lmCookie.call("POST", "/api/v1/auth/sms", map[string]any{"phone": "13700000002"}), 204, "")
	lmTok := lmCookie.expect(lmCookie.call("POST", "/api/v1/auth/phone", map[string]any{"phone": "13700000002", "code": env.LastCode("13700000002")}), 200, "")
	lm := pub.withToken(lmTok.s("token"))
	bind(lm, "李梅", "520103198506150026")
	mail := map[string]any{"recipient": "李梅", "phone": "13700000002", "division_code": "520103", "address": "北京路126号4栋1单元602"}
	caseB := lm.expect(lm.call("POST", "/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station103, "collection": "mail", "mail": mail}), 201, "").s("no")
	// Not her case, not his: 404.
	for _, p := range []string{"", "/pickup-token", "/pickup-qr.png"} {
		zs.expect(zs.call("GET", "/api/v1/cases/"+caseB+p, nil), 404, "NOT_FOUND")
		lm.expect(lm.call("GET", "/api/v1/cases/"+caseA+p, nil), 404, "NOT_FOUND")
	}
	zs.expect(zs.call("POST", "/api/v1/cases/"+caseB+"/cancel", nil), 404, "NOT_FOUND")
	st102.expect(st102.call("GET", "/api/v1/staff/cases/"+caseB, nil), 404, "")
	st103.expect(st103.call("POST", "/api/v1/staff/cases/"+caseB+"/precheck", map[string]any{"decision": "approve"}), 200, "")
	co103.expect(co103.call("POST", "/api/v1/staff/cases/"+caseB+"/review", map[string]any{"decision": "approve"}), 200, "")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/produce", map[string]any{}), 409, "PAYMENT_REQUIRED")
	lm.expect(lm.call("POST", "/api/v1/cases/"+caseB+"/payment", map[string]any{"channel": "miniprogram"}), 200, "")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/produce", map[string]any{}), 200, "")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/ship", map[string]any{}), 422, "INVALID_TRACKING_NO")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/ship", map[string]any{"tracking_no": "EA12345678CN"}), 422, "INVALID_TRACKING_NO")
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/ship", map[string]any{"tracking_no": "XX123456785CNN"}), 422, "INVALID_TRACKING_NO")
	tn := icS10(52010302)
	shipped := prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/ship", map[string]any{"tracking_no": tn}), 200, "")
	if shipped.s("status") != "shipped" || shipped.s("tracking_no") != tn {
		t.Fatalf("ship: %s", shipped.body)
	}
	lm.expect(lm.call("GET", "/api/v1/cases/"+caseB+"/pickup-token", nil), 409, "NOT_READY_FOR_PICKUP")
	st103.expect(st103.call("POST", "/api/v1/staff/cases/"+caseB+"/arrive", map[string]any{}), 409, "INVALID_TRANSITION")
	delivered := prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": "李梅"}), 200, "")
	if delivered.s("status") != "delivered" {
		t.Fatalf("deliver: %s", delivered.body)
	}
	mine := lm.expect(lm.call("GET", "/api/v1/cases", nil), 200, "")
	if its := mine.json["items"].([]any); len(its) != 1 || icCase(t, "my case", its[0])["tracking_no"] != tn {
		t.Fatalf("李梅's cases: %s", mine.body)
	}
	prod.expect(prod.call("POST", "/api/v1/staff/cases/"+caseB+"/deliver", map[string]any{"signed_by": "李梅"}), 409, "INVALID_TRANSITION")

	// ---- Withdrawal: 吴丽 ----
	wl := signIn("13700000005")
	bind(wl, "吴丽", "520402200302110049")
	first := wl.expect(wl.call("POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}), 201, "").s("no")
	cancelled := wl.expect(wl.call("POST", "/api/v1/cases/"+first+"/cancel", nil), 200, "")
	if cancelled.s("status") != "cancelled" {
		t.Fatalf("cancel: %s", cancelled.body)
	}
	// A retried withdrawal is harmless: the case as it is (openapi.yaml).
	if again := wl.expect(wl.call("POST", "/api/v1/cases/"+first+"/cancel", nil), 200, ""); again.s("status") != "cancelled" || again.s("no") != first {
		t.Fatalf("retried cancel: %s", again.body)
	}
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+first+"/precheck", map[string]any{"decision": "approve"}), 409, "INVALID_TRANSITION")
	second := wl.expect(wl.call("POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station102, "collection": "window"}), 201, "").s("no")
	st102.expect(st102.call("POST", "/api/v1/staff/cases/"+second+"/precheck", map[string]any{"decision": "approve"}), 200, "")
	wl.expect(wl.call("POST", "/api/v1/cases/"+second+"/cancel", nil), 409, "")
	wl.expect(wl.call("POST", "/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}), 422, "ACTIVE_CASE_EXISTS")
	// A rejection carries its reason and frees the person.
	co520402 := staff("county-520402")
	co520402.expect(co520402.call("POST", "/api/v1/staff/cases/"+second+"/review", map[string]any{"decision": "reject", "reason": "照片与户籍照片不符"}), 200, "")
	rej := wl.expect(wl.call("GET", "/api/v1/cases/"+second, nil), 200, "")
	if rej.s("status") != "rejected" || rej.s("reject_reason") != "照片与户籍照片不符" {
		t.Fatalf("rejected: %s", rej.body)
	}
	mineW := wl.expect(wl.call("GET", "/api/v1/cases", nil), 200, "").json["items"].([]any)
	if len(mineW) != 2 || mineW[0].(map[string]any)["no"] != second {
		t.Fatalf("吴丽's cases, newest first: %v", mineW)
	}

	// ---- Extension: 王五 (WeChat) at a remote station ----
	var remote map[string]any
	for _, it := range pub.expect(pub.call("GET", "/api/v1/offices?kind=station&division=52", nil), 200, "").json["items"].([]any) {
		if o := it.(map[string]any); o["remote"] == true {
			remote = o
			break
		}
	}
	if remote == nil {
		t.Fatal("no remote station among /offices?division=52 (field remote)")
	}
	wx := icNew(t, env.URL)
	ww := wx.expect(wx.call("POST", "/api/v1/auth/wechat", map[string]any{"code": "dev:ic-wangwu"}), 200, "")
	icKeys(t, "wechat sign-in", ww.json, "token", "expires_at", "bound")
	w5 := pub.withToken(ww.s("token"))
	bind(w5, "王五", "520302195803200019")
	w5.expect(w5.call("POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": remote["id"], "collection": "window"}), 422, "KIND_NOT_ALLOWED")
	photo := w5.expect(w5.upload("/api/v1/photos", icPhoto(t)), 201, "")
	icKeys(t, "photo", photo.json, "photo_id")
	caseC := w5.expect(w5.call("POST", "/api/v1/cases", map[string]any{"kind": "expiry_renewal", "station_id": remote["id"],
		"collection": "window", "photo_id": photo.json["photo_id"]}), 201, "").s("no")
	sup.expect(sup.call("POST", "/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 31, "reason": "山区道路中断"}), 422, "")
	ext := sup.expect(sup.call("POST", "/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 20, "reason": "山区道路中断"}), 200, "")
	if !(ext.s("legal_due_at") > created.s("legal_due_at")) || ext.s("status") != "submitted" {
		t.Fatalf("extend: %s", ext.body)
	}
	sup.expect(sup.call("POST", "/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 11, "reason": "仍未恢复"}), 422, "")
	sup.expect(sup.call("POST", "/api/v1/staff/cases/"+caseC+"/extend", map[string]any{"days": 10, "reason": "仍未恢复"}), 200, "")
	// A station that is not remote: 杨小明 at 520102.
	yx := signIn("13700000004")
	bind(yx, "杨小明", "522601201207050034")
	caseD := yx.expect(yx.call("POST", "/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station102, "collection": "window"}), 201, "").s("no")
	sup.expect(sup.call("POST", "/api/v1/staff/cases/"+caseD+"/extend", map[string]any{"days": 5, "reason": "路远"}), 422, "")
	sup.expect(sup.call("POST", "/api/v1/staff/cases/"+caseD+"/extend", map[string]any{"days": 5}), 422, "REASON_REQUIRED")

	// Notifications tell the applicants about each step.
	env.DeliverOutbox(t)
	ns := zs.expect(zs.call("GET", "/api/v1/notifications", nil), 200, "")
	nitems := ns.json["items"].([]any)
	if len(nitems) == 0 {
		t.Fatal("张三 has no notifications")
	}
	for _, n := range nitems {
		icKeys(t, "notification", n, "id", "case_no", "title", "body", "created_at", "read")
		if n.(map[string]any)["case_no"] != caseA {
			t.Errorf("张三 sees a notification of another case: %v", n)
		}
	}

	// Sign-out ends the session: 401 afterwards.
	zs.expect(zs.call("POST", "/api/v1/auth/logout", nil), 204, "")
	zs.expect(zs.call("GET", "/api/v1/me", nil), 401, "UNAUTHENTICATED")
	zs.expect(zs.call("GET", "/api/v1/cases", nil), 401, "UNAUTHENTICATED")
	pub.expect(pub.call("GET", "/api/v1/staff/cases", nil), 401, "UNAUTHENTICATED")
}
