package web_test

import (
	"net/url"
	"strings"
	"testing"

	"context"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestTemporaryCards: the county reviewer lists its county's requests and
// issues one; other roles and counties cannot.
func TestTemporaryCards(t *testing.T) {
	env := webtest.Start(t)
	no, ap := env.NewCaseBy(t, webtest.CaseSpec{})
	env.Drive(t, no, domain.StatusAccepted)
	if _, err := env.Service.RequestTemporaryCard(context.Background(), ap, no); err != nil {
		t.Fatal(err)
	}
	other, oap := env.NewCaseBy(t, webtest.CaseSpec{Household: "520103"})
	env.Drive(t, other, domain.StatusAccepted)
	if _, err := env.Service.RequestTemporaryCard(context.Background(), oap, other); err != nil {
		t.Fatal(err)
	}
	b := webtest.StaffPages(t, env, "county-520102").Following()
	body := b.Get("/staff/temporary-cards").Text()
	webtest.Has(t, "requests", body, no, "签发（收费¥10）", "黔***")
	webtest.Lacks(t, "requests", body, other)
	body = b.Get("/staff/cases/" + no).Text()
	webtest.Has(t, "case page", body, `id="form-temporary"`, "申请人已申请，待签发")

	body = b.Post("/staff/temporary-cards/"+no+"/issue", url.Values{"card_no": {"x"}, "back": {"/staff/temporary-cards"}}).Text()
	webtest.Has(t, "bad number", body, "flash err", "6至20位")
	body = b.Post("/staff/temporary-cards/"+no+"/issue", url.Values{"card_no": {"ls5201020001"}, "back": {"/staff/temporary-cards"}}).Text()
	webtest.Has(t, "issue", body, "已签发临时身份证 LS5201020001", "有效期至", "¥10", "暂无待签发")
	body = b.Get("/staff/temporary-cards?status=issued").Text()
	webtest.Has(t, "issued", body, no, "LS5201020001")
	body = b.Post("/staff/temporary-cards/"+no+"/issue", url.Values{"card_no": {"LS5201020002"}, "back": {"/staff/cases/" + no}}).Text()
	webtest.Has(t, "twice", body, "flash err", "临时身份证已签发", `id="registry"`)

	code := b.Post("/staff/temporary-cards/"+other+"/issue", url.Values{"card_no": {"LS5201030001"}}).Status
	if code != 404 {
		t.Fatalf("other county's case: %d", code)
	}
	if code := webtest.StaffPages(t, env, "station-520102").Following().Get("/staff/temporary-cards").Status; code != 403 {
		t.Fatalf("station officer: %d", code)
	}
	code, body = webtest.StaffPages(t, env, "county-520103").Following().Get("/staff/temporary-cards").Page()
	if code != 200 || !strings.Contains(body, other) || strings.Contains(body, no) {
		t.Fatalf("county 520103: %d", code)
	}
}

// TestTemporaryCardsPaged: a county's requests come 50 a page, oldest first,
// with the total, and 上一页/下一页 between the pages; issuing from the second
// page comes back to it.
func TestTemporaryCardsPaged(t *testing.T) {
	env := webtest.Start(t)
	const n = 52
	var nos []string
	for range n {
		no, ap := env.NewCaseBy(t, webtest.CaseSpec{})
		env.Drive(t, no, domain.StatusAccepted)
		if _, err := env.Service.RequestTemporaryCard(context.Background(), ap, no); err != nil {
			t.Fatal(err)
		}
		nos = append(nos, no)
	}
	b := webtest.StaffPages(t, env, "county-520102").Following()
	first := b.Get("/staff/temporary-cards").Text()
	webtest.Has(t, "page 1", first, "共 <b>52</b> 件，第 1/2 页", nos[0], nos[49], `id="next-page"`)
	webtest.Lacks(t, "page 1", first, nos[50], `id="prev-page"`)
	second := b.Get("/staff/temporary-cards?status=requested&page=2").Text()
	webtest.Has(t, "page 2", second, "第 2/2 页", nos[50], nos[51], `id="prev-page"`, `href="/staff/temporary-cards?page=1&amp;status=requested"`)
	webtest.Lacks(t, "page 2", second, nos[49], `id="next-page"`)
	if past := b.Get("/staff/temporary-cards?page=9").Text(); !strings.Contains(past, nos[51]) {
		t.Fatal("a page past the last does not show the last page")
	}
	back := "/staff/temporary-cards?page=2&status=requested"
	body := b.Post("/staff/temporary-cards/"+nos[50]+"/issue", url.Values{"card_no": {"LS5201029999"}, "back": {back}}).Text()
	webtest.Has(t, "issued from page 2", body, "已签发临时身份证 LS5201029999", "共 <b>51</b> 件", nos[51])
}
