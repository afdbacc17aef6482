package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestProductionDispatch walks the production centre's dispatch work: a
// mail card shipped with an S10 number on the EMS page (a bad number
// explained beside its row), the day's dispatch list on the page and as CSV
// and XLSX, each row on the page with the case's payment state, then the
// EMS delivery recorded.
func TestProductionDispatch(t *testing.T) {
	env := webtest.Start(t)
	windowApp, window := webtest.Submit(t, env, webtest.ZhangSan, "window", domain.StatusReadyForPickup)
	mailApp, mail := webtest.Submit(t, env, webtest.LiMei, "mail", domain.StatusProduced)
	prod := webtest.StaffPages(t, env, "production")
	today := time.Now().In(calendar.Location()).Format(calendar.DateLayout)

	// EMS numbers: the page lists the produced mail card with an input.
	page := webtest.Want(t, prod.Get("/staff/ship-mail"), 200, "")
	webtest.Has(t, "ship-mail page", page.Text(), mail, `name="tracking_no_`+mail+`"`, "李*", "云岩区")
	if strings.Contains(page.Text(), window) {
		t.Error("a window case is on the EMS page")
	}
	version := pkCaseVersion(t, page.Text(), mail)
	bad := prod.Post("/staff/ship-mail", url.Values{"case": {mail + ":" + version}, "tracking_no_" + mail: {"EA123456789CN"}})
	webtest.Want(t, bad, http.StatusUnprocessableEntity, "")
	webtest.Has(t, "bad S10 number", bad.Text(), "校验位不正确", `value="EA123456789CN"`, "1件未能办理")
	if st := webtest.CaseStatus(t, mailApp, mail); st != "produced" {
		t.Fatalf("a bad number shipped the case: %s", st)
	}
	webtest.Redirect(t, prod.Post("/staff/ship-mail", url.Values{"case": {mail + ":" + version}}), "/staff/ship-mail")
	webtest.Has(t, "nothing typed", prod.Get("/staff/ship-mail").Text(), "请至少为一个办件填写EMS邮件号")
	tn := domain.MakeS10("EA", 52010399, "CN")
	webtest.Redirect(t, prod.Post("/staff/ship-mail", url.Values{"case": {mail + ":" + version}, "tracking_no_" + mail: {strings.ToLower(tn)}}), "/staff/ship-mail")
	webtest.Has(t, "after ship", prod.Get("/staff/ship-mail").Text(), "已发出1件", "目前没有待邮寄发出的证件")
	if st := webtest.CaseStatus(t, mailApp, mail); st != "shipped" {
		t.Fatalf("after the EMS page the case is %s", st)
	}

	// The day's list.
	list := webtest.Want(t, prod.Get("/staff/dispatch"), 200, "")
	webtest.Has(t, "dispatch page", list.Text(), window, mail, tn, "南明区", "李*", `value="`+today+`"`, "/staff/dispatch.csv?date="+today, "/staff/dispatch.xlsx?date="+today)
	if strings.Index(list.Text(), window) > strings.Index(list.Text(), mail) {
		t.Error("window parcels do not come before EMS items")
	}
	for no, app := range map[string]*webtest.Client{window: windowApp, mail: mailApp} {
		c := webtest.Want(t, app.Get("/api/v1/cases/"+no), http.StatusOK, "")
		want := `data-payment="` + c.Str("payment_status") + `">` + c.Str("payment_status_label") + "<"
		if row := pkDispatchRow(t, list.Text(), no); !strings.Contains(row, want) {
			t.Errorf("the row of %s does not show its payment %s: %s", no, want, row)
		}
	}
	empty := webtest.Want(t, prod.Get("/staff/dispatch?date=2020-01-01"), 200, "")
	webtest.Has(t, "another day", empty.Text(), "2020-01-01 没有发出的证件")
	webtest.Has(t, "bad date", webtest.Want(t, prod.Get("/staff/dispatch?date=tomorrow"), 422, "").Text(), "日期格式不正确")

	t.Run("CSV", func(t *testing.T) {
		r := webtest.Want(t, prod.Get("/staff/dispatch.csv?date="+today), 200, "")
		if !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF")) || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "dispatch-"+today+".csv") {
			t.Fatalf("CSV headers %v, body starts %q", r.Header, r.Body[:min(8, len(r.Body))])
		}
		recs, err := csv.NewReader(bytes.NewReader(r.Body[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		pkCheckDispatchRows(t, recs, window, mail, tn)
		if es := env.Audit(t, "dispatch.export", today); len(es) == 0 {
			t.Fatal("the download is not in the audit log")
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		r := webtest.Want(t, prod.Get("/staff/dispatch.xlsx?date="+today), 200, "")
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("open the XLSX: %v", err)
		}
		defer f.Close()
		sheet := f.GetSheetName(0)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		pkCheckDispatchRows(t, rows, window, mail, tn)
		id, err := f.GetCellStyle(sheet, "B1")
		if err != nil {
			t.Fatal(err)
		}
		if st, err := f.GetStyle(id); err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("the header row is not bold: %v %+v", err, st)
		}
		if w, _ := f.GetColWidth(sheet, "F"); w < 20 {
			t.Errorf("column F is %v wide", w)
		}
	})

	// Deliveries.
	dpage := webtest.Want(t, prod.Get("/staff/deliveries"), 200, "")
	webtest.Has(t, "deliveries page", dpage.Text(), mail, tn, `name="signed_by_`+mail+`"`)
	dv := pkCaseVersion(t, dpage.Text(), mail)
	long := strings.Repeat("签", 40)
	r := webtest.Want(t, prod.Post("/staff/deliveries", url.Values{"case": {mail + ":" + dv}, "signed_by_" + mail: {long}}), 422, "")
	webtest.Has(t, "long name", r.Text(), "签收人不能超过32个字")
	webtest.Redirect(t, prod.Post("/staff/deliveries", url.Values{"case": {mail + ":" + dv}, "signed_by_" + mail: {"李梅"}}), "/staff/deliveries")
	webtest.Has(t, "after deliver", prod.Get("/staff/deliveries").Text(), "已登记投递签收1件")
	if st := webtest.CaseStatus(t, mailApp, mail); st != "delivered" {
		t.Fatalf("after the deliveries page the case is %s", st)
	}
	webtest.Want(t, prod.Post("/staff/deliveries", url.Values{"case": {"GZ1:x"}}), http.StatusSeeOther, "")

	t.Run("OtherRoles", func(t *testing.T) {
		for _, u := range []string{"station-520102", "county-520102", "supervisor", "admin"} {
			c := webtest.StaffPages(t, env, u)
			for _, p := range []string{"/staff/dispatch", "/staff/dispatch.csv", "/staff/dispatch.xlsx", "/staff/ship-mail", "/staff/deliveries"} {
				r := webtest.Want(t, c.Get(p), http.StatusForbidden, "")
				if strings.Contains(r.Text(), mail) || strings.Contains(r.Text(), tn) {
					t.Errorf("%s sees data on %s", u, p)
				}
			}
			webtest.Want(t, c.Post("/staff/deliveries", url.Values{"case": {mail + ":1"}, "signed_by_" + mail: {"x"}}), http.StatusForbidden, "")
		}
	})
}

// pkDispatchRow is the table row of a case on the dispatch list page.
func pkDispatchRow(t testing.TB, page, no string) string {
	t.Helper()
	i := strings.Index(page, `href="/staff/cases/`+no+`"`)
	if i < 0 {
		t.Fatalf("no row for %s", no)
	}
	rest := page[i:]
	return rest[:strings.Index(rest, "</tr>")]
}

// pkCaseVersion finds the case=<no>:<version> value of a row.
func pkCaseVersion(t testing.TB, page, no string) string {
	t.Helper()
	i := strings.Index(page, `value="`+no+`:`)
	if i < 0 {
		t.Fatalf("no row for %s", no)
	}
	rest := page[i+len(`value="`+no+`:`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// pkCheckDispatchRows checks a downloaded list: the header, then the window
// parcel before the EMS item, masked.
func pkCheckDispatchRows(t testing.TB, rows [][]string, window, mail, tn string) {
	t.Helper()
	if len(rows) != 3 {
		t.Fatalf("want a header and 2 rows, got %d: %q", len(rows), rows)
	}
	if !slices.Equal(rows[0][:3], []string{"序号", "办件编号", "持证人"}) {
		t.Errorf("header %q", rows[0])
	}
	w, m := rows[1], rows[2]
	if w[1] != window || w[4] != "窗口领取" || !strings.Contains(w[5], "派出所") {
		t.Errorf("window row %q", w)
	}
	if m[1] != mail || m[7] != tn || m[8] != "李*" || m[9] != "云岩区" || m[2] != "李*" {
		t.Errorf("mail row %q", m)
	}
}
