package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestPickupPageHandover is the window's main path: the applicant's QR code
// is decoded, its token typed into the scan field as a handheld scanner
// would, the checks ticked and the card handed over.
func TestPickupPageHandover(t *testing.T) {
	env := webtest.Start(t)
	app, no := webtest.Submit(t, env, webtest.ZhangSan, "window", domain.StatusReadyForPickup)
	token := webtest.PickupToken(t, app, no)
	officer := webtest.StaffPages(t, env, "station-520102")

	scan := webtest.Want(t, officer.Get("/staff/pickup"), http.StatusOK, "")
	webtest.Has(t, "scan page", scan.Text(), `action="/staff/pickup/verify"`, `name="token"`, "autofocus", `action="/staff/pickup/lookup"`, `src="/static/js/pickup.`, `src="/static/vendor/jsQR.`) // plain or content-hashed (assets.go)
	if strings.Contains(scan.Text(), "<script>") || strings.Contains(scan.Text(), "style=") {
		t.Error("the scan page carries an inline script or style, which the CSP refuses")
	}

	check := webtest.Want(t, officer.Post("/staff/pickup/verify", url.Values{"token": {token + "\r\n"}}), http.StatusOK, "")
	webtest.Has(t, "check page", check.Text(), no, "张三", "520102********123X", "领证码有效", `name="face_match"`, `name="old_card_returned"`, "确认发证", `value="`+token+`"`)
	if strings.Contains(check.Text(), webtest.ZhangSan.ID) {
		t.Error("the check page shows the full ID number")
	}

	// Without the face-match tick nothing happens.
	again := webtest.Want(t, officer.Post("/staff/pickup/handover", url.Values{"token": {token}, "old_card_returned": {"1"}}), http.StatusUnprocessableEntity, "")
	webtest.Has(t, "refused handover", again.Text(), "人证一致", no)
	if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a refused handover moved the case to %s", st)
	}

	// A renewal without the old card back is refused (law art. 11) and the
	// check page asks for it.
	again = webtest.Want(t, officer.Post("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}}),
		http.StatusUnprocessableEntity, "")
	webtest.Has(t, "handover without the old card", again.Text(), "须交回原证", "旧证已收回", no, `name="old_card_returned"`)
	if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a handover without the old card moved the case to %s", st)
	}
	if es := env.AuditSoon(t, "pickup.verify", no, 1); len(es) < 1 || es[0].Outcome != "ok" || es[0].ActorName == "" {
		t.Fatalf("audit of the token check that showed the holder's data: %s", webtest.Outcomes(es))
	}

	done := officer.Post("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}, "old_card_returned": {"1"}})
	webtest.Redirect(t, done, "/staff/pickup")
	webtest.Has(t, "flash", webtest.Want(t, officer.Get("/staff/pickup"), 200, "").Text(), "办件"+no+"已发证", "旧证已收回")
	c := webtest.Want(t, app.Get("/api/v1/cases/"+no), 200, "")
	if c.Str("status") != "collected" || c.JSON("old_card_returned") != true {
		t.Fatalf("after the handover: %s", c.Text())
	}

	// The spent token explains itself, on the scan page with an empty field.
	used := webtest.Want(t, officer.Post("/staff/pickup/verify", url.Values{"token": {token}}), http.StatusUnprocessableEntity, "")
	webtest.Has(t, "used token", used.Text(), "不能重复发证", "TOKEN_USED")
	if strings.Contains(used.Text(), token) {
		t.Error("a refused token is typed back into the field, so the next scan would be appended to it")
	}
	again = officer.Post("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}})
	webtest.Redirect(t, again, "/staff/pickup")
	webtest.Has(t, "second handover", officer.Get("/staff/pickup").Text(), "不能重复发证")
}

// TestPickupPageTokenRefusals: invalid, expired and wrong-station tokens
// are explained in plain words; other roles see no pickup page.
func TestPickupPageTokenRefusals(t *testing.T) {
	env := webtest.Start(t)
	app, no := webtest.Submit(t, env, webtest.ZhangSan, "window", domain.StatusReadyForPickup)
	token := webtest.PickupToken(t, app, no)
	officer := webtest.StaffPages(t, env, "station-520102")

	for _, tc := range []struct {
		name, token string
		status      int
		want        []string
	}{
		{"Empty", " ", 422, []string{"请扫描申请人手机上的领证二维码"}},
		{"Garbage", "not-a-token", 422, []string{"无法识别该领证码", "按办件编号和身份证号码后6位查询"}},
		{"Tampered", token[:len(token)-2] + "AA", 422, []string{"无法识别该领证码"}},
		{"TooLong", strings.Repeat("A", 300), 422, []string{"无法识别该领证码"}},
		{"Expired", pkExpiredToken(t, env, no, env.Staff(t, "station-520102").OfficeID), 422,
			[]string{"该领证码已过期，请申请人在“我的办件”中刷新二维码", "TOKEN_EXPIRED"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := webtest.Want(t, officer.Post("/staff/pickup/verify", url.Values{"token": {tc.token}}), tc.status, "")
			webtest.Has(t, tc.name, r.Text(), append(tc.want, `name="token"`)...)
		})
	}

	t.Run("WrongStation", func(t *testing.T) {
		other := webtest.StaffPages(t, env, "station-520103")
		r := webtest.Want(t, other.Post("/staff/pickup/verify", url.Values{"token": {token}}), http.StatusForbidden, "")
		webtest.Has(t, "wrong station", r.Text(), "该证件不在本派出所领取", "我的办件")
		if strings.Contains(r.Text(), "张三") || strings.Contains(r.Text(), no) {
			t.Error("a wrong-station refusal shows the case")
		}
		webtest.Redirect(t, other.Post("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}}), "/staff/pickup")
		webtest.Has(t, "wrong-station handover", other.Get("/staff/pickup").Text(), "该证件不在本派出所领取")
	})

	t.Run("OtherRoles", func(t *testing.T) {
		for _, u := range []string{"county-520102", "production", "supervisor", "admin"} {
			c := webtest.StaffPages(t, env, u)
			r := webtest.Want(t, c.Get("/staff/pickup"), http.StatusForbidden, "")
			if strings.Contains(r.Text(), `name="token"`) {
				t.Errorf("%s sees the scan form", u)
			}
			r = webtest.Want(t, c.Post("/staff/pickup/verify", url.Values{"token": {token}}), http.StatusForbidden, "")
			if strings.Contains(r.Text(), "张三") {
				t.Errorf("%s sees the person", u)
			}
			webtest.Want(t, c.Post("/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}}), http.StatusForbidden, "")
		}
		if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
			t.Fatalf("refused handovers moved the case to %s", st)
		}
	})

	t.Run("SignedOut", func(t *testing.T) {
		r := webtest.NewClient(t, env.URL).Post("/staff/pickup/verify", url.Values{"token": {token}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/staff/login") {
			t.Fatalf("signed out: %d %s", r.Status, r.Header.Get("Location"))
		}
	})

	t.Run("CrossSite", func(t *testing.T) {
		r := officer.Do(http.MethodPost, "/staff/pickup/handover", url.Values{"token": {token}, "face_match": {"1"}},
			map[string]string{"Sec-Fetch-Site": "cross-site"})
		if r.Status != http.StatusForbidden {
			t.Fatalf("a cross-site handover answered %d", r.Status)
		}
		if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
			t.Fatalf("a cross-site post moved the case to %s", st)
		}
	})
}

// pkExpiredToken signs a token for the case that expired an hour ago, with
// the service's own signer.
func pkExpiredToken(t testing.TB, env *webtest.Env, no string, stationID int64) string {
	t.Helper()
	tok, _, err := env.Tokens.Issue(env.Case(t, no).ID, stationID, time.Now().Add(-25*time.Hour))
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
	app := webtest.Applicant(t, env, "13800000003", "王五", "520302195803200019")
	photo := webtest.Want(t, app.Post("/api/v1/photos", webtest.Upload{Field: "file", Filename: "wang.jpg", Data: webtest.Photo(t, 80)}), 201, "").JSON("photo_id").(float64)
	body := map[string]any{"kind": "expiry_renewal", "station_id": env.Staff(t, "station-520302").OfficeID, "collection": "window", "photo_id": photo}
	no := webtest.Want(t, app.Post("/api/v1/cases", body), 201, "").Str("no")
	env.Drive(t, no, domain.StatusReadyForPickup)
	officer := webtest.StaffPages(t, env, "station-520302")

	check := webtest.Want(t, officer.Post("/staff/pickup/verify", url.Values{"token": {webtest.PickupToken(t, app, no)}}), 200, "")
	src := fmt.Sprintf("/staff/photos/%d?case=%s", int64(photo), no)
	webtest.Has(t, "check page", check.Text(), "新证相片", `src="`+src+`"`, "户籍相片", "旧证已收回")
	img := webtest.Want(t, officer.Get(src), 200, "")
	if img.Header.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix(img.Body, []byte{0xff, 0xd8}) {
		t.Fatalf("card photo: %s", img.Header.Get("Content-Type"))
	}
	webtest.Want(t, webtest.StaffPages(t, env, "station-520102").Get(src), http.StatusNotFound, "")
}
