package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// oaEndpoint is one request of the matrix; {no} in path is replaced by a
// case number.
type oaEndpoint struct {
	method, path string
	body         any
}

func (e oaEndpoint) on(no string) oaEndpoint {
	e.path = strings.ReplaceAll(e.path, "{no}", no)
	return e
}

func (e oaEndpoint) String() string { return e.method + " " + e.path }

// oaApplicantCaseEndpoints are the applicant endpoints that take a case number.
var oaApplicantCaseEndpoints = []oaEndpoint{
	{"GET", "/api/v1/cases/{no}", nil},
	{"POST", "/api/v1/cases/{no}/cancel", nil},
	{"GET", "/api/v1/cases/{no}/pickup-token", nil},
	{"GET", "/api/v1/cases/{no}/pickup-qr.png", nil},
	{"POST", "/api/v1/cases/{no}/temporary-card", nil},
}

// TestAPIMatrix is the acceptance matrix of issue 4: every applicant
// endpoint with someone else's case answers 404 NOT_FOUND (never 403),
// every authenticated endpoint without a session 401 UNAUTHENTICATED, every
// malformed body 400 BAD_REQUEST, and nothing answers 500 (the client fails
// the test on any 5xx and checks every answer against openapi.yaml). Then
// idempotent submission, the SMS rate limit, BAD_CODE and the cross-site
// refusal.
func TestAPIMatrix(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	ct := webtest.LoadContract(t, "openapi.yaml", env.URL)
	anon := ct.Client(t, env.URL).Unchecked()

	st := anon.SignInStaff("station-520102")
	co := anon.SignInStaff("county-520102")
	prod := anon.SignInStaff("production")
	sup := anon.SignInStaff("supervisor")
	station := webtest.Want(t, st.Get("/api/v1/staff/me"), 200, "").Num("office.id")

	// 张三 (cookie session) and 李梅 (bearer token) each have a case.
	a := ct.Client(t, env.URL).Unchecked()
	a.SignInSMS(env, "13900000001")
	webtest.Want(t, a.Post("/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "52010219900101123X", "verify_result": "dev:pass"}), 200, "")
	caseA := webtest.Want(t, a.Post("/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station, "collection": "window"}), 201, "").Str("no")
	bs := ct.Client(t, env.URL).Unchecked()
	b := bs.Bearer(bs.SignInSMS(env, "13900000002").Str("token")).Unchecked()
	webtest.Want(t, b.Post("/api/v1/me/identity", map[string]any{"name": "李梅", "id_number": "520103198506150026", "verify_result": "dev:pass"}), 200, "")
	caseB := webtest.Want(t, b.Post("/api/v1/cases", map[string]any{"kind": "loss_replacement", "station_id": station, "collection": "window"}), 201, "").Str("no")

	// Someone else's case: 404 NOT_FOUND in every state, and nothing changes.
	otherCase := func(stage string) {
		t.Helper()
		before := webtest.CaseStatus(t, a, caseA)
		for _, e := range oaApplicantCaseEndpoints {
			for who, c := range map[string]*webtest.Client{"李梅 on 张三's case": b, "张三 on 李梅's case": a} {
				no := caseA
				if c == a {
					no = caseB
				}
				r := c.Do(e.method, e.on(no).path, e.body, nil)
				if r.Status != http.StatusNotFound || r.Code() != "NOT_FOUND" {
					t.Errorf("%s, %s, %s: want 404 NOT_FOUND, got %s", stage, who, e.on(no), r)
				}
			}
			for _, no := range []string{"GZ991231999999", "GZ000000000000", "nonsense"} {
				if r := a.Do(e.method, e.on(no).path, e.body, nil); r.Status != http.StatusNotFound || r.Code() != "NOT_FOUND" {
					t.Errorf("%s, unknown case %s: want 404 NOT_FOUND, got %s", stage, e.on(no), r)
				}
			}
		}
		if after := webtest.CaseStatus(t, a, caseA); after != before {
			t.Errorf("%s: another applicant changed the case from %s to %s", stage, before, after)
		}
	}
	otherCase("submitted")

	// Without a session: 401 on every authenticated endpoint, with no
	// credentials, a made-up token, or the token of the other kind.
	photo := webtest.Upload{Field: "file", Filename: "p.jpg", Data: webtest.Photo(t, 90)}
	applicantEndpoints := []oaEndpoint{
		{"GET", "/api/v1/me", nil},
		{"POST", "/api/v1/me/identity", map[string]any{"name": "张三", "id_number": "52010219900101123X"}},
		{"GET", "/api/v1/eligibility", nil},
		{"POST", "/api/v1/photos", photo},
		{"POST", "/api/v1/cases", map[string]any{"kind": "damage_renewal", "station_id": station, "collection": "window"}},
		{"GET", "/api/v1/cases", nil},
		{"GET", "/api/v1/notifications", nil},
		{"POST", "/api/v1/notifications/read", map[string]any{}},
	}
	for _, e := range oaApplicantCaseEndpoints {
		applicantEndpoints = append(applicantEndpoints, e.on(caseA))
	}
	staffEndpoints := []oaEndpoint{
		{"GET", "/api/v1/staff/me", nil},
		{"GET", "/api/v1/staff/cases", nil},
		{"GET", "/api/v1/staff/cases/{no}", nil},
		{"POST", "/api/v1/staff/cases/{no}/precheck", map[string]any{"decision": "approve"}},
		{"POST", "/api/v1/staff/cases/{no}/review", map[string]any{"decision": "approve"}},
		{"POST", "/api/v1/staff/cases/{no}/produce", map[string]any{}},
		{"POST", "/api/v1/staff/cases/{no}/ship", map[string]any{}},
		{"POST", "/api/v1/staff/cases/{no}/arrive", map[string]any{}},
		{"POST", "/api/v1/staff/cases/{no}/deliver", map[string]any{"signed_by": "张三"}},
		{"POST", "/api/v1/staff/cases/{no}/extend", map[string]any{"days": 5, "reason": "路远"}},
		{"POST", "/api/v1/staff/cases/{no}/reopen-pickup", map[string]any{"reason": "住院"}},
		{"POST", "/api/v1/staff/cases/{no}/temporary-card", map[string]any{"card_no": "TMP123456"}},
		{"POST", "/api/v1/staff/pickup/verify", map[string]any{"token": "x"}},
		{"POST", "/api/v1/staff/pickup/handover", map[string]any{"token": "x", "old_card_returned": true}},
	}
	for i := range staffEndpoints {
		staffEndpoints[i] = staffEndpoints[i].on(caseA)
	}
	nobody := map[string]*webtest.Client{
		"no credentials":  anon.Anonymous().Unchecked(),
		"made-up token":   anon.Bearer("made-up-token-0123456789").Unchecked(),
		"expired session": anon.Bearer(strings.Repeat("A", 43)).Unchecked(),
	}
	for _, set := range []struct {
		endpoints []oaEndpoint
		other     *webtest.Client // the other kind's credentials
	}{{applicantEndpoints, st}, {staffEndpoints, b}} {
		clients := map[string]*webtest.Client{"the other kind's token": set.other.Unchecked()}
		for k, v := range nobody {
			clients[k] = v
		}
		for _, e := range set.endpoints {
			for who, c := range clients {
				if r := c.Do(e.method, e.path, e.body, nil); r.Status != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" {
					t.Errorf("%s with %s: want 401 UNAUTHENTICATED, got %s", e, who, r)
				}
			}
		}
	}
	if s := webtest.CaseStatus(t, a, caseA); s != "submitted" {
		t.Fatalf("requests without a session changed the case to %s", s)
	}

	// Malformed bodies: 400 BAD_REQUEST with a message on every POST that
	// takes a body.
	type bodied struct {
		c          *webtest.Client
		path       string
		emptyOK    bool     // an empty body means {}
		wrongTypes []string // well-formed JSON with a field of the wrong type
	}
	bodyPosts := []bodied{
		{anon.Anonymous().Unchecked(), "/api/v1/auth/wechat", false, []string{`{"code":1}`}},
		{anon.Anonymous().Unchecked(), "/api/v1/auth/sms", false, []string{`{"phone":13900000009}`}},
		{anon.Anonymous().Unchecked(), "/api/v1/auth/phone", false, []string{`{"phone":"13900000009","code":123456}`}},
		{a, "/api/v1/me/identity", false, []string{`{"name":["张三"],"id_number":"52010219900101123X"}`}},
		{a, "/api/v1/cases", false, []string{
			`{"kind":"damage_renewal","station_id":"1","collection":"window"}`,
			`{"kind":"damage_renewal","station_id":1,"collection":"mail","mail":"贵阳"}`,
			`{"kind":"damage_renewal","station_id":1,"collection":"window","photo_id":"p1"}`,
			`{"kind":7,"station_id":1,"collection":"window"}`,
		}},
		{a, "/api/v1/notifications/read", true, []string{`{"ids":"all"}`, `{"ids":["1"]}`}},
		{anon.Anonymous().Unchecked(), "/api/v1/staff/auth/login", false, []string{`{"username":1,"password":"x"}`}},
		{st, "/api/v1/staff/cases/" + caseA + "/precheck", true, []string{`{"decision":true}`, `{"decision":"approve","version":"1"}`}},
		{co, "/api/v1/staff/cases/" + caseA + "/review", true, []string{`{"decision":"approve","reason":5}`}},
		{prod, "/api/v1/staff/cases/" + caseA + "/produce", true, []string{`{"version":"x"}`}},
		{prod, "/api/v1/staff/cases/" + caseA + "/ship", true, []string{`{"tracking_no":123}`}},
		{st, "/api/v1/staff/cases/" + caseA + "/arrive", true, []string{`{"version":[]}`}},
		{prod, "/api/v1/staff/cases/" + caseA + "/deliver", true, []string{`{"signed_by":1}`}},
		{sup, "/api/v1/staff/cases/" + caseA + "/extend", true, []string{`{"days":"30","reason":"x"}`, `{"days":1.5,"reason":"x"}`}},
		{sup, "/api/v1/staff/cases/" + caseA + "/reopen-pickup", true, []string{`{"reason":1}`}},
		{co, "/api/v1/staff/cases/" + caseA + "/temporary-card", false, []string{`{"card_no":123}`}},
		{st, "/api/v1/staff/pickup/verify", false, []string{`{"token":1}`}},
		{st, "/api/v1/staff/pickup/handover", false, []string{`{"token":"x","old_card_returned":"yes"}`}},
	}
	for _, p := range bodyPosts {
		bodies := append([]string{`{`, `{"a":}`, `[]`, `"text"`, `{} {}`, `nonsense`}, p.wrongTypes...)
		if !p.emptyOK {
			bodies = append(bodies, ``)
		}
		for _, body := range bodies {
			r := p.c.Do("POST", p.path, webtest.Raw(body), nil)
			if r.Status != http.StatusBadRequest || r.Code() != "BAD_REQUEST" || r.JSON("error.message") == "" {
				t.Errorf("POST %s %q: want 400 BAD_REQUEST, got %s", p.path, body, r)
			}
		}
	}
	// A photo must come as multipart.
	webtest.Want(t, a.Post("/api/v1/photos", webtest.Raw(`{"file":"x"}`)), 400, "BAD_REQUEST")
	// A JSON body above 64 KiB is too large.
	big := webtest.Raw(`{"kind":"damage_renewal","collection":"window","x":"` + strings.Repeat("x", 70<<10) + `"}`)
	webtest.Want(t, a.Post("/api/v1/cases", big), 413, "TOO_LARGE")
	// POSTs without a body ignore one, malformed or not.
	webtest.Want(t, a.Post("/api/v1/cases/GZ991231999999/cancel", webtest.Raw(`{`)), 404, "NOT_FOUND")
	webtest.Want(t, a.Post("/api/v1/cases/GZ991231999999/temporary-card", webtest.Raw(`{`)), 404, "NOT_FOUND")
	webtest.Want(t, anon.Anonymous().Post("/api/v1/auth/logout", webtest.Raw(`{`)), 204, "")
	webtest.Want(t, anon.Anonymous().Post("/api/v1/staff/auth/logout", webtest.Raw(`{`)), 204, "")
	if s := webtest.CaseStatus(t, a, caseA); s != "submitted" {
		t.Fatalf("malformed requests changed the case to %s", s)
	}

	// Cross-site browser POSTs with a session cookie are refused.
	sc := ct.Client(t, env.URL).Unchecked()
	webtest.Want(t, sc.Post("/api/v1/staff/auth/login", map[string]any{"username": "station-520102", "password": "demo1234"}), 200, "")
	webtest.Want(t, sc.Get("/api/v1/staff/me"), 200, "")
	for _, h := range []map[string]string{
		{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		webtest.Want(t, sc.Do("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "reject", "reason": "csrf"}, h), 403, "FORBIDDEN")
		webtest.Want(t, a.Do("POST", "/api/v1/cases/"+caseA+"/cancel", nil, h), 403, "FORBIDDEN")
	}
	if s := webtest.CaseStatus(t, a, caseA); s != "submitted" {
		t.Fatalf("a cross-site request changed the case to %s", s)
	}
	// A same-origin request of the page passes.
	webtest.Want(t, sc.Do("POST", "/api/v1/staff/cases/"+caseA+"/precheck", map[string]any{"decision": "approve"},
		map[string]string{"Origin": env.URL, "Sec-Fetch-Site": "same-origin"}), 200, "")

	// Someone else's case once accepted, and once ready for pickup (the
	// owner then gets a token; the other still 404).
	otherCase("accepted")
	webtest.Want(t, co.Post("/api/v1/staff/cases/"+caseA+"/review", map[string]any{"decision": "approve"}), 200, "")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseA+"/produce", nil), 200, "")
	webtest.Want(t, prod.Post("/api/v1/staff/cases/"+caseA+"/ship", nil), 200, "")
	webtest.Want(t, st.Post("/api/v1/staff/cases/"+caseA+"/arrive", nil), 200, "")
	webtest.Want(t, a.Get("/api/v1/cases/"+caseA+"/pickup-token"), 200, "")
	otherCase("ready_for_pickup")

	// Idempotency-Key: sequential and concurrent doubles give one case and
	// the same body; the key with another body is refused.
	e := ct.Client(t, env.URL)
	e.SignInSMS(env, "13900000004")
	webtest.Want(t, e.Post("/api/v1/me/identity", map[string]any{"name": "吴丽", "id_number": "520402200302110049", "verify_result": "dev:pass"}), 200, "")
	damage := map[string]any{"kind": "damage_renewal", "station_id": station, "collection": "window"}
	loss := map[string]any{"kind": "loss_replacement", "station_id": station, "collection": "window"}
	key := map[string]string{"Idempotency-Key": "matrix-seq-1"}
	first := webtest.Want(t, e.Do("POST", "/api/v1/cases", damage, key), 201, "")
	second := webtest.Want(t, e.Do("POST", "/api/v1/cases", damage, key), 201, "")
	if !bytes.Equal(first.Body, second.Body) {
		t.Fatalf("sequential double submit: different answers\n%s\n%s", first.Body, second.Body)
	}
	webtest.Want(t, e.Do("POST", "/api/v1/cases", loss, key), 422, "IDEMPOTENCY_KEY_REUSED")
	webtest.Want(t, e.Post("/api/v1/cases/"+first.Str("no")+"/cancel", nil), 200, "")
	const n = 8
	replies := make([]webtest.Reply, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			replies[i] = e.Do("POST", "/api/v1/cases", loss, map[string]string{"Idempotency-Key": "matrix-conc-1"})
		})
	}
	wg.Wait()
	for i, r := range replies {
		if r.Status != http.StatusCreated || !bytes.Equal(r.Body, replies[0].Body) {
			t.Errorf("concurrent double submit %d: %s (first: %s)", i, r, replies[0])
		}
	}
	list := webtest.Want(t, e.Get("/api/v1/cases"), 200, "").Obj()["items"].([]any)
	if len(list) != 2 {
		t.Fatalf("two keys must give two cases, got %d", len(list))
	}
	if no := list[0].(map[string]any)["no"]; no != replies[0].Str("no") {
		t.Errorf("newest case %v is not the one of the concurrent submits %s", no, replies[0].Str("no"))
	}
	webtest.Want(t, e.Do("POST", "/api/v1/cases", damage, map[string]string{"Idempotency-Key": "matrix-conc-1"}), 422, "IDEMPOTENCY_KEY_REUSED")
	webtest.Want(t, e.Unchecked().Do("POST", "/api/v1/cases", loss, map[string]string{"Idempotency-Key": strings.Repeat("k", 129)}), 400, "BAD_REQUEST")

	// SMS codes: twice within a minute is 429 with Retry-After; a wrong
	// code is 401 BAD_CODE.
	f := ct.Client(t, env.URL)
	webtest.Want(t, f.Post("/api/v1/auth/sms", map[string]any{"phone": "13900000005"}), 204, "")
	r := webtest.Want(t, f.Post("/api/v1/auth/sms", map[string]any{"phone": "13900000005"}), 429, "RATE_LIMITED")
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q, want 1..60 seconds", r.Header.Get("Retry-After"))
	}
	code := env.LastCode("13900000005")
	webtest.Want(t, f.Post("/api/v1/auth/phone", map[string]any{"phone": "13900000005", "code": fmt.Sprintf("%06d", (oaAtoi(code)+1)%1000000)}), 401, "BAD_CODE")
	webtest.Want(t, f.Post("/api/v1/auth/phone", map[string]any{"phone": "13900000006", "code": "123456"}), 401, "BAD_CODE")
	webtest.Want(t, f.Post("/api/v1/auth/phone", map[string]any{"phone": "13900000005", "code": code}), 200, "")
}
