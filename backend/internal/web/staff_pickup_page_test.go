package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestPickupPageHandover is the window's main path: the applicant's QR code
// is decoded, its token typed into the scan field as a handheld scanner
// would, the checks ticked and the card handed over.
func TestPickupPageHandover(t *testing.T) {
	env := webtest.Start(t)
	app, no := pkCaseTo(t, env, pkZhangSan, "window", true)
	token := pkQRToken(t, app, no)
	officer := pkStaffPages(t, env, "station-520102")

	scan := pkWant(t, officer.get("/staff/pickup"), http.StatusOK, "scan page")
	pkContains(t, scan, "scan page", `action="/staff/pickup/verify"`, `name="token"`, "autofocus", `action="/staff/pickup/lookup"`,
		`src="/static/js/pickup.js"`, `src="/static/vendor/jsQR.js"`)
	if strings.Contains(scan.text(), "<script>") || strings.Contains(scan.text(), "style=") {
		t.Error("the scan page carries an inline script or style, which the CSP refuses")
	}

	check := pkWant(t, officer.form("/staff/pickup/verify", url.Values{"token": {token + "\r\n"}}), http.StatusOK, "verify")
	pkContains(t, check, "check page", no, "张三", "520102********123X", "领证码有效", `name="face_match"`,
		`name="old_card_returned"`, "确认发证", `value="`+token+`"`)
	if strings.Contains(check.text(), pkZhangSan.id) {
		t.Error("the check page shows the full ID number")
	}

	// Without the face-match tick nothing happens.
	again := pkWant(t, officer.form("/staff/pickup/handover", url.Values{"token": {token}, "old_card_returned": {"1"}}),
		http.StatusUnprocessableEntity, "handover without the face match")
	pkContains(t, again, "refused handover", "人证一致", no)
	if st := pkCaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a refused handover moved the case to %s", st)
	}

	// A renewal without the old card back is refused (law art. 11) and the
	// check page asks for it.
	again = pkWant(t, officer.form("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}}),
		http.StatusUnprocessableEntity, "handover without the old card")
	pkContains(t, again, "handover without the old card", "须交回原证", "旧证已收回", no, `name="old_card_returned"`)
	if st := pkCaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a handover without the old card moved the case to %s", st)
	}
	if es := pkAudit(t, env, "pickup.verify", no); len(es) < 1 || es[0].Outcome != "ok" || es[0].ActorName == "" {
		t.Fatalf("audit of the token check that showed the holder's data: %s", pkOutcomes(es))
	}

	done := officer.form("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}, "old_card_returned": {"1"}})
	pkRedirect(t, done, "/staff/pickup", "handover")
	pkContains(t, pkWant(t, officer.get("/staff/pickup"), 200, "scan page after"), "flash", "办件"+no+"已发证", "旧证已收回")
	c := pkWant(t, app.get("/api/v1/cases/"+no), 200, "case")
	if c.str("status") != "collected" || c.json("old_card_returned") != true {
		t.Fatalf("after the handover: %s", c.text())
	}

	// The spent token explains itself, on the scan page with an empty field.
	used := pkWant(t, officer.form("/staff/pickup/verify", url.Values{"token": {token}}), http.StatusUnprocessableEntity, "used token")
	pkContains(t, used, "used token", "该领证码已使用", "TOKEN_USED")
	if strings.Contains(used.text(), token) {
		t.Error("a refused token is typed back into the field, so the next scan would be appended to it")
	}
	again = officer.form("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}})
	pkRedirect(t, again, "/staff/pickup", "second handover")
	pkContains(t, officer.get("/staff/pickup"), "second handover", "该领证码已使用")
}

// TestPickupPageTokenRefusals: invalid, expired and wrong-station tokens
// are explained in plain words; other roles see no pickup page.
func TestPickupPageTokenRefusals(t *testing.T) {
	env := webtest.Start(t)
	app, no := pkCaseTo(t, env, pkZhangSan, "window", true)
	token := pkQRToken(t, app, no)
	officer := pkStaffPages(t, env, "station-520102")

	for _, tc := range []struct {
		name, token string
		status      int
		want        []string
	}{
		{"Empty", " ", 422, []string{"请扫描申请人手机上的领证二维码"}},
		{"Garbage", "not-a-token", 422, []string{"无法识别该领证码", "按办件编号和身份证号码后6位查询"}},
		{"Tampered", token[:len(token)-2] + "AA", 422, []string{"无法识别该领证码"}},
		{"TooLong", strings.Repeat("A", 300), 422, []string{"无法识别该领证码"}},
		{"Expired", pkExpiredToken(t, env, no, pkStationID(t, env, "station-520102")), 422,
			[]string{"该领证码已过期，请申请人在“我的办件”中刷新二维码", "TOKEN_EXPIRED"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := pkWant(t, officer.form("/staff/pickup/verify", url.Values{"token": {tc.token}}), tc.status, tc.name)
			pkContains(t, r, tc.name, append(tc.want, `name="token"`)...)
		})
	}

	t.Run("WrongStation", func(t *testing.T) {
		other := pkStaffPages(t, env, "station-520103")
		r := pkWant(t, other.form("/staff/pickup/verify", url.Values{"token": {token}}), http.StatusForbidden, "wrong station")
		pkContains(t, r, "wrong station", "该证件不在本派出所领取", "我的办件")
		if strings.Contains(r.text(), "张三") || strings.Contains(r.text(), no) {
			t.Error("a wrong-station refusal shows the case")
		}
		pkRedirect(t, other.form("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}}), "/staff/pickup", "wrong-station handover")
		pkContains(t, other.get("/staff/pickup"), "wrong-station handover", "该证件不在本派出所领取")
	})

	t.Run("OtherRoles", func(t *testing.T) {
		for _, u := range []string{"county-520102", "production", "supervisor", "admin"} {
			c := pkStaffPages(t, env, u)
			r := pkWant(t, c.get("/staff/pickup"), http.StatusForbidden, u+" scan page")
			if strings.Contains(r.text(), `name="token"`) {
				t.Errorf("%s sees the scan form", u)
			}
			r = pkWant(t, c.form("/staff/pickup/verify", url.Values{"token": {token}}), http.StatusForbidden, u+" verify")
			if strings.Contains(r.text(), "张三") {
				t.Errorf("%s sees the person", u)
			}
			pkWant(t, c.form("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}}), http.StatusForbidden, u+" handover")
		}
		if st := pkCaseStatus(t, app, no); st != "ready_for_pickup" {
			t.Fatalf("refused handovers moved the case to %s", st)
		}
	})

	t.Run("SignedOut", func(t *testing.T) {
		r := pkNewClient(t, env.URL).form("/staff/pickup/verify", url.Values{"token": {token}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/staff/login") {
			t.Fatalf("signed out: %d %s", r.status, r.header.Get("Location"))
		}
	})

	t.Run("CrossSite", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, env.URL+"/staff/pickup/handover",
			strings.NewReader(url.Values{"token": {token}, "face_match": {"1"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, err := officer.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("a cross-site handover answered %d", res.StatusCode)
		}
		if st := pkCaseStatus(t, app, no); st != "ready_for_pickup" {
			t.Fatalf("a cross-site post moved the case to %s", st)
		}
	})
}

// pkExpiredToken signs a token for the case that expired an hour ago, with
// the key webtest gives the service.
func pkExpiredToken(t testing.TB, env *webtest.Env, no string, stationID int64) string {
	t.Helper()
	c, err := env.Store.Q(context.Background()).CaseByNo(no)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := pickup.NewSigner(bytes.Repeat([]byte{5}, 32), 0)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := signer.Issue(c.ID, stationID, time.Now().Add(-25*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestPickupPagePhotos: the check page shows the photo the new card
// carries (an expiry renewal's upload) beside the registry photo or its
// placeholder, and the officer's browser may load it.
func TestPickupPagePhotos(t *testing.T) {
	env := webtest.Start(t)
	app := pkApplicant(t, env, "13800000003", "王五", "520302195803200019")
	photo := pkWant(t, app.upload("/api/v1/photos", "wang.jpg", pkPhoto(t)), 201, "photo").json("photo_id").(float64)
	body := map[string]any{"kind": "expiry_renewal", "station_id": pkStationID(t, env, "station-520302"), "collection": "window", "photo_id": photo}
	no := pkWant(t, app.postJSON("/api/v1/cases", body), 201, "submit").str("no")
	pkDrive(t, env, no, "520302", "520302", true)
	officer := pkStaffPages(t, env, "station-520302")

	check := pkWant(t, officer.form("/staff/pickup/verify", url.Values{"token": {pkQRToken(t, app, no)}}), 200, "verify")
	src := fmt.Sprintf("/staff/photos/%d?case=%s", int64(photo), no)
	pkContains(t, check, "check page", "新证相片", `src="`+src+`"`, "户籍相片", "旧证已收回")
	img := pkWant(t, officer.get(src), 200, "card photo")
	if img.header.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix(img.body, []byte{0xff, 0xd8}) {
		t.Fatalf("card photo: %s", img.header.Get("Content-Type"))
	}
	pkWant(t, pkStaffPages(t, env, "station-520102").get(src), http.StatusNotFound, "photo at another station")
}
