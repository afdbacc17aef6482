package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
)

// TestTemporaryCards: the county reviewer lists its county's requests and
// issues one; other roles and counties cannot.
func TestTemporaryCards(t *testing.T) {
	w := newCPWorld(t)
	no, ap := w.newCaseBy(cpOpts{})
	w.drive(no, domain.StatusAccepted)
	if _, err := w.env.Service.RequestTemporaryCard(w.ctx, ap, no); err != nil {
		t.Fatal(err)
	}
	other, oap := w.newCaseBy(cpOpts{household: "520103"})
	w.drive(other, domain.StatusAccepted)
	if _, err := w.env.Service.RequestTemporaryCard(w.ctx, oap, other); err != nil {
		t.Fatal(err)
	}
	b := w.signIn("county-520102")
	_, body := b.get("/staff/temporary-cards")
	cpHas(t, "requests", body, no, "签发（收费¥10）", "黔***")
	cpLacks(t, "requests", body, other)
	_, body = b.get("/staff/cases/" + no)
	cpHas(t, "case page", body, `id="form-temporary"`, "申请人已申请，待签发")

	_, body = b.post("/staff/temporary-cards/"+no+"/issue", url.Values{"card_no": {"x"}, "back": {"/staff/temporary-cards"}})
	cpHas(t, "bad number", body, "flash err", "6至20位")
	_, body = b.post("/staff/temporary-cards/"+no+"/issue", url.Values{"card_no": {"ls5201020001"}, "back": {"/staff/temporary-cards"}})
	cpHas(t, "issue", body, "已签发临时身份证 LS5201020001", "有效期至", "¥10", "暂无待签发")
	_, body = b.get("/staff/temporary-cards?status=issued")
	cpHas(t, "issued", body, no, "LS5201020001")
	_, body = b.post("/staff/temporary-cards/"+no+"/issue", url.Values{"card_no": {"LS5201020002"}, "back": {"/staff/cases/" + no}})
	cpHas(t, "twice", body, "flash err", "临时身份证已签发", `id="registry"`)

	code, _ := b.post("/staff/temporary-cards/"+other+"/issue", url.Values{"card_no": {"LS5201030001"}})
	if code != 404 {
		t.Fatalf("other county's case: %d", code)
	}
	if code, _ := w.signIn("station-520102").get("/staff/temporary-cards"); code != 403 {
		t.Fatalf("station officer: %d", code)
	}
	code, body = w.signIn("county-520103").get("/staff/temporary-cards")
	if code != 200 || !strings.Contains(body, other) || strings.Contains(body, no) {
		t.Fatalf("county 520103: %d", code)
	}
}
