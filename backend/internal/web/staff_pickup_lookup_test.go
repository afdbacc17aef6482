package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestPickupPageLookup is the fallback without a QR code: case number and
// the last 6 digits of the ID number, every look-up audited, the handover
// audited as handover_by_lookup.
func TestPickupPageLookup(t *testing.T) {
	env := webtest.Start(t)
	app, no := webtest.Submit(t, env, webtest.ZhangSan, "window", domain.StatusReadyForPickup)
	officer := webtest.StaffPages(t, env, "station-520102")
	tail := webtest.ZhangSan.ID[len(webtest.ZhangSan.ID)-6:]

	t.Run("Malformed", func(t *testing.T) {
		r := webtest.Want(t, officer.Post("/staff/pickup/lookup", url.Values{"no": {"GZ12"}, "id_tail": {tail}}), 422, "")
		webtest.Has(t, "bad case number", r.Text(), "办件编号格式不正确", `value="GZ12"`)
		r = webtest.Want(t, officer.Post("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {"12a4"}}), 422, "")
		webtest.Has(t, "bad digits", r.Text(), "身份证号码的最后6位")
		if n := len(env.Audit(t, "pickup.lookup", no)); n != 0 {
			t.Fatalf("a malformed look-up wrote %d audit entries", n)
		}
	})

	t.Run("WrongDigits", func(t *testing.T) {
		r := webtest.Want(t, officer.Post("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {"000000"}}), http.StatusNotFound, "")
		webtest.Has(t, "wrong digits", r.Text(), "未找到相符的待领取办件", `value="`+no+`"`)
		if strings.Contains(r.Text(), "张三") {
			t.Error("a failed look-up shows the person")
		}
		if es := env.Audit(t, "pickup.lookup", no); len(es) != 1 || es[0].Outcome != "denied" || !strings.Contains(es[0].Detail, "id_tail") {
			t.Fatalf("audit of a failed look-up: %s", webtest.Outcomes(es))
		}
	})

	t.Run("OtherStation", func(t *testing.T) {
		other := webtest.StaffPages(t, env, "station-520103")
		r := webtest.Want(t, other.Post("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {tail}}), http.StatusNotFound, "")
		webtest.Has(t, "other station", r.Text(), "未找到相符的待领取办件")
		webtest.Redirect(t, other.Post("/staff/pickup/handover", url.Values{"mode": {"lookup"}, "no": {no}, "id_tail": {tail}, "face_match": {"1"}}), "/staff/pickup")
		if es := env.Audit(t, "pickup.handover_by_lookup", no); len(es) != 1 || es[0].Outcome != "denied" {
			t.Fatalf("audit of a refused handover by look-up: %s", webtest.Outcomes(es))
		}
	})

	check := webtest.Want(t, officer.Post("/staff/pickup/lookup", url.Values{"no": {strings.ToLower(no)}, "id_tail": {strings.ToLower(tail)}}), 200, "")
	webtest.Has(t, "look-up", check.Text(), no, "张三", "按办件编号查询", `name="mode" value="lookup"`, `name="id_tail" value="`+tail+`"`)
	if es := env.Audit(t, "pickup.lookup", no); len(es) < 2 || es[0].Outcome != "ok" {
		t.Fatalf("audit of the look-up: %s", webtest.Outcomes(es))
	}

	form := url.Values{"mode": {"lookup"}, "no": {no}, "id_tail": {tail}}
	webtest.Want(t, officer.Post("/staff/pickup/handover", form), http.StatusUnprocessableEntity, "")
	form.Set("face_match", "1")
	r := webtest.Want(t, officer.Post("/staff/pickup/handover", form), http.StatusUnprocessableEntity, "")
	webtest.Has(t, "handover by look-up without the old card", r.Text(), "须交回原证", `name="mode" value="lookup"`)
	if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a handover by look-up without the old card moved the case to %s", st)
	}
	form.Set("old_card_returned", "1")
	webtest.Redirect(t, officer.Post("/staff/pickup/handover", form), "/staff/pickup")
	if st := webtest.CaseStatus(t, app, no); st != "collected" {
		t.Fatalf("after the handover by look-up the case is %s", st)
	}
	es := env.Audit(t, "pickup.handover_by_lookup", no)
	if len(es) == 0 || es[0].Outcome != "ok" || es[0].ActorName == "" {
		t.Fatalf("audit of the handover by look-up: %s", webtest.Outcomes(es))
	}
	if hs := env.Audit(t, "case.handover", no); len(hs) != 1 || !strings.Contains(hs[0].Detail, `"via":"lookup"`) ||
		!strings.Contains(hs[0].Detail, `"old_card_returned":true`) {
		t.Fatalf("case.handover audit: %s", webtest.Outcomes(hs))
	}
	tl := webtest.Want(t, app.Get("/api/v1/cases/"+no), 200, "").Text()
	if !strings.Contains(tl, "未扫领证码") || !strings.Contains(tl, "旧证已收回") {
		t.Errorf("the timeline does not say how the card was handed over: %s", tl)
	}

	// Once collected, a look-up says so instead of offering a handover.
	r = webtest.Want(t, officer.Post("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {tail}}), http.StatusUnprocessableEntity, "")
	webtest.Has(t, "collected", r.Text(), "已经发放")
	webtest.Redirect(t, officer.Post("/staff/pickup/handover", form), "/staff/pickup")
}
