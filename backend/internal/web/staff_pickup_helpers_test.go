package web_test

// Helpers of the pickup and production page tests: a browser-like client
// (cookies, forms, no redirects followed), JSON calls for the applicant and
// the staff API, and a case taken to ready for pickup or produced.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// pkClient is a browser without JavaScript: a cookie jar, forms, and
// redirects left for the test to follow.
type pkClient struct {
	t     testing.TB
	base  string
	hc    *http.Client
	token string // bearer token of the JSON API, if any
}

// pkAnswer is one answer.
type pkAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a pkAnswer) text() string { return string(a.body) }

// json reads a field of a JSON answer (dotted path).
func (a pkAnswer) json(path string) any {
	var v any
	_ = json.Unmarshal(a.body, &v)
	for _, p := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	return v
}

func (a pkAnswer) str(path string) string { s, _ := a.json(path).(string); return s }

func pkNewClient(t testing.TB, base string) *pkClient {
	jar, _ := cookiejar.New(nil)
	return &pkClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *pkClient) do(method, path, ctype string, body []byte) pkAnswer {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if res.StatusCode >= 500 {
		c.t.Errorf("%s %s → %d %s", method, path, res.StatusCode, b)
	}
	return pkAnswer{status: res.StatusCode, header: res.Header, body: b}
}

func (c *pkClient) get(path string) pkAnswer { return c.do(http.MethodGet, path, "", nil) }

// upload posts one file as multipart/form-data field "file".
func (c *pkClient) upload(path, filename string, data []byte) pkAnswer {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", filename)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	return c.do(http.MethodPost, path, w.FormDataContentType(), buf.Bytes())
}

// form posts an HTML form as a browser would.
func (c *pkClient) form(path string, v url.Values) pkAnswer {
	return c.do(http.MethodPost, path, "application/x-www-form-urlencoded", []byte(v.Encode()))
}

// postJSON calls the JSON API.
func (c *pkClient) postJSON(path string, v any) pkAnswer {
	var b []byte
	if v != nil {
		var err error
		if b, err = json.Marshal(v); err != nil {
			c.t.Fatal(err)
		}
	}
	return c.do(http.MethodPost, path, "application/json", b)
}

// pkWant fails t unless the answer has the status.
func pkWant(t testing.TB, a pkAnswer, status int, what string) pkAnswer {
	t.Helper()
	if a.status != status {
		b := a.text()
		if len(b) > 2000 {
			b = b[:2000]
		}
		t.Fatalf("%s: status %d, want %d\n%s", what, a.status, status, b)
	}
	return a
}

// pkContains fails t unless the page holds every string.
func pkContains(t testing.TB, a pkAnswer, what string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(a.text(), s) {
			t.Errorf("%s: the page does not contain %q", what, s)
		}
	}
}

// pkRedirect fails t unless the answer is a 303 to location.
func pkRedirect(t testing.TB, a pkAnswer, location, what string) {
	t.Helper()
	if a.status != http.StatusSeeOther || a.header.Get("Location") != location {
		t.Fatalf("%s: %d to %q, want 303 to %q\n%s", what, a.status, a.header.Get("Location"), location, a.text())
	}
}

// pkStaffPages signs a demo staff member in through the sign-in page.
func pkStaffPages(t testing.TB, env *webtest.Env, username string) *pkClient {
	t.Helper()
	c := pkNewClient(t, env.URL)
	pkRedirect(t, c.form("/staff/login", url.Values{"username": {username}, "password": {"demo1234"}, "next": {"/staff/"}}),
		"/staff/", "sign-in of "+username)
	return c
}

// pkStaffAPI signs a demo staff member in to the JSON API.
func pkStaffAPI(t testing.TB, env *webtest.Env, username string) *pkClient {
	t.Helper()
	c := pkNewClient(t, env.URL)
	r := pkWant(t, c.postJSON("/api/v1/staff/auth/login", map[string]any{"username": username, "password": "demo1234"}), 200, "API sign-in")
	c.token = r.str("token")
	return c
}

// pkApplicant signs an applicant in by SMS and binds the person.
func pkApplicant(t testing.TB, env *webtest.Env, phone, name, idNumber string) *pkClient {
	t.Helper()
	c := pkNewClient(t, env.URL)
	pkWant(t, c.postJSON("/api/v1/auth/sms", map[string]any{"phone": phone}), 204, "SMS code")
	pkWant(t, c.postJSON("/api/v1/auth/phone", map[string]any{"phone": phone, "code": env.LastCode(phone)}), 200, "SMS sign-in")
	pkWant(t, c.postJSON("/api/v1/me/identity", map[string]any{"name": name, "id_number": idNumber}), 200, "binding")
	return c
}

// pkPerson is a demo registry person of API.md.
type pkPerson struct{ phone, name, id, county string }

var (
	pkZhangSan = pkPerson{"13800000001", "张三", "52010219900101123X", "520102"}
	pkLiMei    = pkPerson{"13800000002", "李梅", "520103198506150026", "520103"}
)

// pkStationID is the office id of a station officer.
func pkStationID(t testing.TB, env *webtest.Env, username string) int64 {
	t.Helper()
	f, _ := pkWant(t, pkStaffAPI(t, env, username).get("/api/v1/staff/me"), 200, "staff me").json("office.id").(float64)
	return int64(f)
}

// pkCaseTo submits a damage renewal of p at the station of its county and
// drives it with pkDrive. It returns the applicant and the case number.
func pkCaseTo(t testing.TB, env *webtest.Env, p pkPerson, collection string, ship bool) (*pkClient, string) {
	t.Helper()
	app := pkApplicant(t, env, p.phone, p.name, p.id)
	body := map[string]any{"kind": "damage_renewal", "station_id": pkStationID(t, env, "station-"+p.county), "collection": collection}
	if collection == "mail" {
		body["mail"] = map[string]any{"recipient": p.name, "phone": p.phone, "division_code": p.county, "address": "北京路126号4栋1单元602"}
	}
	no := pkWant(t, app.postJSON("/api/v1/cases", body), 201, "submit").str("no")
	pkDrive(t, env, no, p.county, p.county, collection == "window" && ship)
	return app, no
}

// pkDrive runs a submitted case through pre-check (station of county
// station), review (county bureau of household) and production; with
// toPickup, a window case is also shipped and confirmed arrived, so it is
// ready for pickup.
func pkDrive(t testing.TB, env *webtest.Env, no, station, household string, toPickup bool) {
	t.Helper()
	st, county, prod := pkStaffAPI(t, env, "station-"+station), pkStaffAPI(t, env, "county-"+household), pkStaffAPI(t, env, "production")
	pkWant(t, st.postJSON("/api/v1/staff/cases/"+no+"/precheck", map[string]any{"decision": "approve"}), 200, "precheck")
	pkWant(t, county.postJSON("/api/v1/staff/cases/"+no+"/review", map[string]any{"decision": "approve"}), 200, "review")
	pkWant(t, prod.postJSON("/api/v1/staff/cases/"+no+"/produce", nil), 200, "produce")
	if toPickup {
		pkWant(t, prod.postJSON("/api/v1/staff/cases/"+no+"/ship", map[string]any{}), 200, "ship")
		pkWant(t, st.postJSON("/api/v1/staff/cases/"+no+"/arrive", nil), 200, "arrive")
	}
}

// pkQRToken fetches the applicant's pickup QR code and decodes it, as the
// scanner at the window would.
func pkQRToken(t testing.TB, app *pkClient, no string) string {
	t.Helper()
	r := pkWant(t, app.get("/api/v1/cases/"+no+"/pickup-qr.png"), 200, "pickup QR")
	img, err := png.Decode(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("pickup-qr.png: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode the pickup QR code: %v", err)
	}
	return res.GetText()
}

// pkCaseStatus is the case's status as its applicant sees it.
func pkCaseStatus(t testing.TB, app *pkClient, no string) string {
	t.Helper()
	return pkWant(t, app.get("/api/v1/cases/"+no), 200, "case").str("status")
}

// pkAudit lists the audit entries of an action on a case.
func pkAudit(t testing.TB, env *webtest.Env, action, no string) []store.AuditEntry {
	t.Helper()
	es, err := env.Store.Q(context.Background()).AuditEntries(store.AuditFilter{Action: action, ObjectID: no})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// pkOutcomes are the outcomes of audit entries, newest first.
func pkOutcomes(es []store.AuditEntry) string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s%s", e.Outcome, e.Detail))
	}
	return strings.Join(out, " ")
}

// pkPhoto is a JPEG that meets GA 461: 358×441 on a white background with
// a grey head and shoulders.
func pkPhoto(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 358, 441))
	for y := 0; y < 441; y++ {
		for x := 0; x < 358; x++ {
			c := color.RGBA{255, 255, 255, 255}
			dx, dy := float64(x-179)/70, float64(y-200)/90
			if dx*dx+dy*dy < 1 || (y > 320 && x > 60 && x < 298) {
				c = color.RGBA{80, 80, 80, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
