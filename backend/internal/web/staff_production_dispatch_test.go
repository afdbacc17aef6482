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
// and XLSX, then the EMS delivery recorded.
func TestProductionDispatch(t *testing.T) {
	env := webtest.Start(t)
	_, window := pkCaseTo(t, env, pkZhangSan, "window", true)
	mailApp, mail := pkCaseTo(t, env, pkLiMei, "mail", false)
	prod := pkStaffPages(t, env, "production")
	today := time.Now().In(calendar.Location()).Format(calendar.DateLayout)

	// EMS numbers: the page lists the produced mail card with an input.
	page := pkWant(t, prod.get("/staff/ship-mail"), 200, "ship-mail page")
	pkContains(t, page, "ship-mail page", mail, `name="tracking_no_`+mail+`"`, "李*", "云岩区")
	if strings.Contains(page.text(), window) {
		t.Error("a window case is on the EMS page")
	}
	version := pkCaseVersion(t, page.text(), mail)
	bad := prod.form("/staff/ship-mail", url.Values{"case": {mail + ":" + version}, "tracking_no_" + mail: {"EA123456789CN"}})
	pkWant(t, bad, http.StatusUnprocessableEntity, "bad S10 number")
	pkContains(t, bad, "bad S10 number", "校验位不正确", `value="EA123456789CN"`, "1件未能办理")
	if st := pkCaseStatus(t, mailApp, mail); st != "produced" {
		t.Fatalf("a bad number shipped the case: %s", st)
	}
	pkRedirect(t, prod.form("/staff/ship-mail", url.Values{"case": {mail + ":" + version}}), "/staff/ship-mail", "nothing typed")
	pkContains(t, prod.get("/staff/ship-mail"), "nothing typed", "请至少为一个办件填写EMS邮件号")
	tn := domain.MakeS10("EA", 52010399, "CN")
	pkRedirect(t, prod.form("/staff/ship-mail", url.Values{"case": {mail + ":" + version}, "tracking_no_" + mail: {strings.ToLower(tn)}}),
		"/staff/ship-mail", "ship")
	pkContains(t, prod.get("/staff/ship-mail"), "after ship", "已发出1件", "目前没有待邮寄发出的证件")
	if st := pkCaseStatus(t, mailApp, mail); st != "shipped" {
		t.Fatalf("after the EMS page the case is %s", st)
	}

	// The day's list.
	list := pkWant(t, prod.get("/staff/dispatch"), 200, "dispatch page")
	pkContains(t, list, "dispatch page", window, mail, tn, "南明区", "李*", `value="`+today+`"`,
		"/staff/dispatch.csv?date="+today, "/staff/dispatch.xlsx?date="+today)
	if strings.Index(list.text(), window) > strings.Index(list.text(), mail) {
		t.Error("window parcels do not come before EMS items")
	}
	empty := pkWant(t, prod.get("/staff/dispatch?date=2020-01-01"), 200, "another day")
	pkContains(t, empty, "another day", "2020-01-01 没有发出的证件")
	pkContains(t, pkWant(t, prod.get("/staff/dispatch?date=tomorrow"), 422, "bad date"), "bad date", "日期格式不正确")

	t.Run("CSV", func(t *testing.T) {
		r := pkWant(t, prod.get("/staff/dispatch.csv?date="+today), 200, "CSV")
		if !bytes.HasPrefix(r.body, []byte("\xEF\xBB\xBF")) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(r.header.Get("Content-Disposition"), "dispatch-"+today+".csv") {
			t.Fatalf("CSV headers %v, body starts %q", r.header, r.body[:min(8, len(r.body))])
		}
		recs, err := csv.NewReader(bytes.NewReader(r.body[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		pkCheckDispatchRows(t, recs, window, mail, tn)
		if es := pkAudit(t, env, "dispatch.export", today); len(es) == 0 {
			t.Fatal("the download is not in the audit log")
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		r := pkWant(t, prod.get("/staff/dispatch.xlsx?date="+today), 200, "XLSX")
		f, err := excelize.OpenReader(bytes.NewReader(r.body))
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
	dpage := pkWant(t, prod.get("/staff/deliveries"), 200, "deliveries page")
	pkContains(t, dpage, "deliveries page", mail, tn, `name="signed_by_`+mail+`"`)
	dv := pkCaseVersion(t, dpage.text(), mail)
	long := strings.Repeat("签", 40)
	r := pkWant(t, prod.form("/staff/deliveries", url.Values{"case": {mail + ":" + dv}, "signed_by_" + mail: {long}}), 422, "long name")
	pkContains(t, r, "long name", "不超过32个字")
	pkRedirect(t, prod.form("/staff/deliveries", url.Values{"case": {mail + ":" + dv}, "signed_by_" + mail: {"李梅"}}), "/staff/deliveries", "deliver")
	pkContains(t, prod.get("/staff/deliveries"), "after deliver", "已登记投递签收1件")
	if st := pkCaseStatus(t, mailApp, mail); st != "delivered" {
		t.Fatalf("after the deliveries page the case is %s", st)
	}
	pkWant(t, prod.form("/staff/deliveries", url.Values{"case": {"GZ1:x"}}), http.StatusSeeOther, "forged row")

	t.Run("OtherRoles", func(t *testing.T) {
		for _, u := range []string{"station-520102", "county-520102", "supervisor", "admin"} {
			c := pkStaffPages(t, env, u)
			for _, p := range []string{"/staff/dispatch", "/staff/dispatch.csv", "/staff/dispatch.xlsx", "/staff/ship-mail", "/staff/deliveries"} {
				r := pkWant(t, c.get(p), http.StatusForbidden, u+" "+p)
				if strings.Contains(r.text(), mail) || strings.Contains(r.text(), tn) {
					t.Errorf("%s sees data on %s", u, p)
				}
			}
			pkWant(t, c.form("/staff/deliveries", url.Values{"case": {mail + ":1"}, "signed_by_" + mail: {"x"}}), http.StatusForbidden, u+" deliver")
		}
	})
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
