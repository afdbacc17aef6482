package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestPickupPageLookup is the fallback without a QR code: case number and
// the last 6 digits of the ID number, every look-up audited, the handover
// audited as handover_by_lookup.
func TestPickupPageLookup(t *testing.T) {
	env := webtest.Start(t)
	app, no := pkCaseTo(t, env, pkZhangSan, "window", true)
	officer := pkStaffPages(t, env, "station-520102")
	tail := pkZhangSan.id[len(pkZhangSan.id)-6:]

	t.Run("Malformed", func(t *testing.T) {
		r := pkWant(t, officer.form("/staff/pickup/lookup", url.Values{"no": {"GZ12"}, "id_tail": {tail}}), 422, "bad case number")
		pkContains(t, r, "bad case number", "办件编号格式不正确", `value="GZ12"`)
		r = pkWant(t, officer.form("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {"12a4"}}), 422, "bad digits")
		pkContains(t, r, "bad digits", "身份证号码的最后6位")
		if n := len(pkAudit(t, env, "pickup.lookup", no)); n != 0 {
			t.Fatalf("a malformed look-up wrote %d audit entries", n)
		}
	})

	t.Run("WrongDigits", func(t *testing.T) {
		r := pkWant(t, officer.form("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {"000000"}}), http.StatusNotFound, "wrong digits")
		pkContains(t, r, "wrong digits", "未找到相符的待领取办件", `value="`+no+`"`)
		if strings.Contains(r.text(), "张三") {
			t.Error("a failed look-up shows the person")
		}
		if es := pkAudit(t, env, "pickup.lookup", no); len(es) != 1 || es[0].Outcome != "denied" || !strings.Contains(es[0].Detail, "id_tail") {
			t.Fatalf("audit of a failed look-up: %s", pkOutcomes(es))
		}
	})

	t.Run("OtherStation", func(t *testing.T) {
		other := pkStaffPages(t, env, "station-520103")
		r := pkWant(t, other.form("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {tail}}), http.StatusNotFound, "other station")
		pkContains(t, r, "other station", "未找到相符的待领取办件")
		pkRedirect(t, other.form("/staff/pickup/handover", url.Values{"mode": {"lookup"}, "no": {no}, "id_tail": {tail}, "face_match": {"1"}}),
			"/staff/pickup", "other station handover")
		if es := pkAudit(t, env, "pickup.handover_by_lookup", no); len(es) != 1 || es[0].Outcome != "denied" {
			t.Fatalf("audit of a refused handover by look-up: %s", pkOutcomes(es))
		}
	})

	check := pkWant(t, officer.form("/staff/pickup/lookup", url.Values{"no": {strings.ToLower(no)}, "id_tail": {strings.ToLower(tail)}}), 200, "look-up")
	pkContains(t, check, "look-up", no, "张三", "按办件编号查询", `name="mode" value="lookup"`, `name="id_tail" value="`+tail+`"`)
	if es := pkAudit(t, env, "pickup.lookup", no); len(es) < 2 || es[0].Outcome != "ok" {
		t.Fatalf("audit of the look-up: %s", pkOutcomes(es))
	}

	form := url.Values{"mode": {"lookup"}, "no": {no}, "id_tail": {tail}}
	pkWant(t, officer.form("/staff/pickup/handover", form), http.StatusUnprocessableEntity, "handover by look-up without the face match")
	form.Set("face_match", "1")
	r := pkWant(t, officer.form("/staff/pickup/handover", form), http.StatusUnprocessableEntity, "handover by look-up without the old card")
	pkContains(t, r, "handover by look-up without the old card", "须交回原证", `name="mode" value="lookup"`)
	if st := pkCaseStatus(t, app, no); st != "ready_for_pickup" {
		t.Fatalf("a handover by look-up without the old card moved the case to %s", st)
	}
	form.Set("old_card_returned", "1")
	pkRedirect(t, officer.form("/staff/pickup/handover", form), "/staff/pickup", "handover by look-up")
	if st := pkCaseStatus(t, app, no); st != "collected" {
		t.Fatalf("after the handover by look-up the case is %s", st)
	}
	es := pkAudit(t, env, "pickup.handover_by_lookup", no)
	if len(es) == 0 || es[0].Outcome != "ok" || es[0].ActorName == "" {
		t.Fatalf("audit of the handover by look-up: %s", pkOutcomes(es))
	}
	if hs := pkAudit(t, env, "case.handover", no); len(hs) != 1 || !strings.Contains(hs[0].Detail, `"via":"lookup"`) ||
		!strings.Contains(hs[0].Detail, `"old_card_returned":true`) {
		t.Fatalf("case.handover audit: %s", pkOutcomes(hs))
	}
	tl := pkWant(t, app.get("/api/v1/cases/"+no), 200, "case").text()
	if !strings.Contains(tl, "未扫领证码") || !strings.Contains(tl, "旧证已收回") {
		t.Errorf("the timeline does not say how the card was handed over: %s", tl)
	}

	// Once collected, a look-up says so instead of offering a handover.
	r = pkWant(t, officer.form("/staff/pickup/lookup", url.Values{"no": {no}, "id_tail": {tail}}), http.StatusUnprocessableEntity, "collected")
	pkContains(t, r, "collected", "已经发放")
	pkRedirect(t, officer.form("/staff/pickup/handover", form), "/staff/pickup", "second handover by look-up")
}
