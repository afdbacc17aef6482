package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// selectValue sets a select's value and tells the page, as a tap would.
func selectValue(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('` + sel + `'); s.value = '` + value +
		`'; s.dispatchEvent(new Event('change')); })()`)
}

// mailAddress fills the mail form's prefecture → county (a county of
// 贵阳市) and street address, once the county's options have loaded.
func mailAddress(county, street string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Poll[chromedp.Void](`document.querySelector('#mail-prefecture option[value="520100"]') !== null`),
		selectValue("#mail-prefecture", "520100"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#mail-county option[value="`+county+`"]') !== null`),
		selectValue("#mail-county", county),
		chromedp.SendKeys(chromedp.CSS("#mail-address"), street))
}

// TestH5GuardianAppliesForChild: 杨建国 adds his son 杨小明 as a ward, applies
// for him (window route), moves the pickup to another station before the
// pre-check on the 变更 page, and the staff pages and the pickup page say
// that the guardian collects the card with the child; the scanned QR hands
// it over.
func TestH5GuardianAppliesForChild(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	h.signInAndBind("13900000131", "杨建国", "522601198503120012")

	h.do("wards", chromedp.Navigate(h.env.URL+"/m/#/me/wards"), chromedp.WaitVisible(chromedp.CSS("#ward-name")))
	h.do("add a ward", chromedp.SendKeys(chromedp.CSS("#ward-name"), "杨小明"), chromedp.SendKeys(chromedp.CSS("#ward-id"), "522601201207050034"),
		chromedp.Click(chromedp.CSS("#btn-ward-add")), chromedp.WaitVisible(chromedp.CSS("[data-test=ward-item]")))
	h.shot("g1-wards")
	h.do("apply for the ward", chromedp.Click(chromedp.CSS("[data-test=ward-apply]")),
		chromedp.WaitVisible(chromedp.CSS("[data-test=apply-for-ward]")), chromedp.WaitVisible(chromedp.CSS("#kind-damage_renewal")))
	if s := h.text("[data-test=apply-for-ward]"); !strings.Contains(s, "杨小明") {
		t.Fatalf("the kind page says %q", s)
	}
	h.shot("g2-kind")
	h.do("station", chromedp.Click(chromedp.CSS("#kind-damage_renewal")), chromedp.WaitVisible(chromedp.CSS("#station-county")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#station-county option[value="522601"]') !== null`),
		selectValue("#station-county", "522601"), chromedp.WaitVisible(chromedp.CSS("label.station")))
	h.do("confirm", chromedp.Click(chromedp.CSS("label.station")), chromedp.Click(chromedp.CSS("#btn-station-next")),
		chromedp.WaitVisible(chromedp.CSS("#btn-submit")), chromedp.WaitVisible(chromedp.CSS("[data-test=confirm-ward]")))
	h.shot("g3-confirm")
	h.do("submit", chromedp.Click(chromedp.CSS("#btn-submit")), chromedp.WaitVisible(chromedp.CSS("#case-no")))
	no := h.text("#case-no")
	if !domain.ValidCaseNo(no) {
		t.Fatalf("case number %q", no)
	}
	c := h.env.Case(t, no)
	if c.GuardianPersonID == nil || c.HouseholdDivision != "522601" {
		t.Fatalf("the case is not the child's: guardian %v household %s", c.GuardianPersonID, c.HouseholdDivision)
	}

	// 变更 before the pre-check: 南明区's station takes it over.
	newStation := strconv.FormatInt(h.env.Staff(t, "station-520102").OfficeID, 10)
	h.do("case page", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no), chromedp.WaitVisible(chromedp.CSS("[data-test=case-for-person]")),
		chromedp.Click(chromedp.CSS("#btn-change")), chromedp.WaitVisible(chromedp.CSS("#change-county")))
	h.do("pick another station", chromedp.Poll[chromedp.Void](`document.querySelector('#change-prefecture option[value="520100"]') !== null`),
		selectValue("#change-prefecture", "520100"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#change-county option[value="520102"]') !== null`),
		selectValue("#change-county", "520102"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#change-station option[value="`+newStation+`"]') !== null`),
		selectValue("#change-station", newStation))
	h.shot("g4-change")
	h.do("save the change", chromedp.Click(chromedp.CSS("#btn-change-save")), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	if got := h.env.Case(t, no); strconv.FormatInt(got.StationID, 10) != newStation || got.StationSince == nil {
		t.Fatalf("station %d after the change, want %s taking over", got.StationID, newStation)
	}
	if tl := h.timeline(no); !strings.Contains(strings.Join(tl, ","), "submitted") {
		t.Fatalf("timeline %v", tl)
	}
	if s := h.text("#timeline"); !strings.Contains(s, "变更领证信息") {
		t.Fatalf("the timeline lacks the change: %q", s)
	}

	// The staff case page says 监护人代办 and who the guardian is, and its
	// timeline shows the change.
	pages := webtest.StaffPages(t, h.env, "station-520102")
	st, body := pages.Get("/staff/cases/" + no).Page()
	if st != 200 || !strings.Contains(body, "监护人代办") || !strings.Contains(body, "杨建国") || !strings.Contains(body, "变更领证信息") {
		t.Fatalf("staff case page %d lacks the guardian or the change", st)
	}

	h.mustStaff("station-520102", "/api/v1/staff/cases/"+no+"/precheck", map[string]any{"decision": "approve"}, "accepted")
	h.mustStaff("county-522601", "/api/v1/staff/cases/"+no+"/review", map[string]any{"decision": "approve"}, "issued")
	h.mustStaff("production", "/api/v1/staff/cases/"+no+"/produce", map[string]any{}, "produced")
	h.mustStaff("production", "/api/v1/staff/cases/"+no+"/ship", map[string]any{}, "shipped")
	h.mustStaff("station-520102", "/api/v1/staff/cases/"+no+"/arrive", map[string]any{}, "ready_for_pickup")

	h.do("pickup QR", chromedp.Navigate(h.env.URL+"/m/#/cases/"+no+"/pickup"), chromedp.WaitVisible(chromedp.CSS("#pickup-qr")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#pickup-qr').complete && document.querySelector('#pickup-qr').naturalWidth > 0`),
		chromedp.WaitVisible(chromedp.CSS("[data-test=pickup-guardian]")))
	if s := h.text("[data-test=pickup-guardian]"); !strings.Contains(s, "携杨小明本人") {
		t.Fatalf("the pickup page says %q", s)
	}
	h.shot("g5-pickup")
	token := h.scanQR("#pickup-qr")
	r := h.staff("station-520102", "/api/v1/staff/pickup/verify", map[string]any{"token": token})
	if r.Status != 200 || r.Str("person.name") != "杨小明" || r.Str("guardian.name") != "杨建国" {
		t.Fatalf("verify: %s", r)
	}
	h.mustStaff("station-520102", "/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}, "collected")
}

// TestH5ProgressLookup: from the sign-in screen, 办件进度查询 shows a case's
// status to anyone with its number, the holder's name and the last 6
// characters of the ID number, and one message for a wrong one.
func TestH5ProgressLookup(t *testing.T) {
	t.Parallel()
	h := newH5(t)
	_, no := webtest.Submit(t, h.env, webtest.ZhangSan, "window", domain.StatusAccepted)
	h.do("sign-in screen", chromedp.Navigate(h.env.URL+"/m/"), chromedp.WaitVisible(chromedp.CSS("#link-progress")),
		chromedp.Click(chromedp.CSS("#link-progress")), chromedp.WaitVisible(chromedp.CSS("#progress-no")))
	h.do("wrong digits", chromedp.SendKeys(chromedp.CSS("#progress-no"), no), chromedp.SendKeys(chromedp.CSS("#progress-name"), "张三"),
		chromedp.SendKeys(chromedp.CSS("#progress-last6"), "01123Y"), chromedp.Click(chromedp.CSS("#btn-progress")),
		chromedp.WaitVisible(chromedp.CSS("#progress-error:not(.is-hidden)")))
	h.do("right digits", chromedp.Evaluate[chromedp.Void](`document.querySelector('#progress-last6').value=''`),
		chromedp.SendKeys(chromedp.CSS("#progress-last6"), "01123x"), chromedp.Click(chromedp.CSS("#btn-progress")),
		chromedp.WaitVisible(chromedp.CSS("[data-test=progress-status]")))
	if s := h.text("[data-test=progress-status]"); s != domain.StatusAccepted.Label() {
		t.Fatalf("progress shows %q", s)
	}
	if body := h.text("#progress-result"); strings.Contains(body, "张三") || strings.Contains(body, "1123X") {
		t.Fatalf("the answer shows personal data: %q", body)
	}
	h.shot("p1-progress")
}
