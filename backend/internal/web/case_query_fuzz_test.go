package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// FuzzCaseQuery checks caseQueryFrom on any query string: nothing panics; a
// refusal carries the caller's code and a message; an accepted filter holds
// the parameters as sent (county and q trimmed), a positive office or none,
// and dates at midnight in Asia/Shanghai with the end one day past the date
// sent; and the filter written back as a query reads as itself.
func FuzzCaseQuery(f *testing.F) {
	for _, s := range []string{
		"status=submitted&kind=expiry&collection=mail&county=520102&office_id=3&overdue=1&q=GZ2026&from=2026-03-01&to=2026-03-31&order=due&cursor=abc",
		"", "office_id=0", "office_id=-1", "office_id=%2012%20", "office_id=9223372036854775808", "from=2026-02-30",
		"to=2026-3-1", "from=%20%202026-01-01", "to=9999-12-31", "from=0000-01-01", "q=%ff%fe&county=+", "status=a&status=b",
		"%zz=1;x", "overdue=true&order=DUE", "to=1988-04-10&from=1988-04-10",
	} {
		f.Add(s)
	}
	e := gin.New()
	f.Fuzz(func(t *testing.T, raw string) {
		cq, err := caseQueryOnce(e, raw)
		if err != nil {
			if domain.ErrorCode(err) != domain.CodeBadRequest || domain.ErrorMessage(err) == "" {
				t.Fatalf("caseQueryFrom(%q) = %v; want BAD_REQUEST with a message", raw, err)
			}
			return
		}
		q, _ := url.ParseQuery(raw)
		checkCaseQuery(t, raw, q, cq)
		again, err := caseQueryOnce(e, caseQueryValues(cq).Encode())
		if err != nil || !sameCaseQuery(again, cq) {
			t.Fatalf("caseQueryFrom(%q) = %+v; written back as %q it reads %+v, %v", raw, cq, caseQueryValues(cq).Encode(), again, err)
		}
	})
}

// caseQueryOnce runs caseQueryFrom on a GET with the query raw.
func caseQueryOnce(e *gin.Engine, raw string) (service.CaseQuery, error) {
	c := gin.CreateTestContextOnly(httptest.NewRecorder(), e)
	c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/staff/cases", nil)
	c.Request.URL.RawQuery = raw
	return caseQueryFrom(c, domain.CodeBadRequest)
}

// checkCaseQuery asserts that an accepted filter holds what q sent.
func checkCaseQuery(t *testing.T, raw string, q url.Values, cq service.CaseQuery) {
	sent := service.CaseQuery{Status: q.Get("status"), Kind: q.Get("kind"), Collection: q.Get("collection"),
		County: strings.TrimSpace(q.Get("county")), No: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") == "1",
		DueFirst: q.Get("order") == "due", Cursor: q.Get("cursor"), OfficeID: cq.OfficeID, From: cq.From, To: cq.To}
	if cq != sent {
		t.Fatalf("caseQueryFrom(%q) = %+v; want the parameters as sent, %+v", raw, cq, sent)
	}
	if office := strings.TrimSpace(q.Get("office_id")); cq.OfficeID < 0 || (cq.OfficeID > 0) != (office != "") {
		t.Fatalf("caseQueryFrom(%q): office %d from %q", raw, cq.OfficeID, office)
	}
	for _, d := range []struct {
		name  string
		t     time.Time
		shift int
	}{{"from", cq.From, 0}, {"to", cq.To, -1}} {
		sentDate := strings.TrimSpace(q.Get(d.name))
		if d.t.IsZero() != (sentDate == "") || !d.t.IsZero() && !midnightAt(d.t, sentDate, d.shift) {
			t.Fatalf("caseQueryFrom(%q): %s is %v from %q", raw, d.name, d.t, sentDate)
		}
	}
}

// midnightAt reports whether t is midnight in Asia/Shanghai of the day
// shift days before date would make it date.
func midnightAt(t time.Time, date string, shift int) bool {
	l := t.In(calendar.Location())
	return l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0 &&
		l.AddDate(0, 0, shift).Format(calendar.DateLayout) == date
}

// caseQueryValues writes a filter as the query that asks for it.
func caseQueryValues(cq service.CaseQuery) url.Values {
	v := url.Values{"status": {cq.Status}, "kind": {cq.Kind}, "collection": {cq.Collection}, "county": {cq.County},
		"q": {cq.No}, "cursor": {cq.Cursor}}
	if cq.OfficeID != 0 {
		v.Set("office_id", strconv.FormatInt(cq.OfficeID, 10))
	}
	if cq.Overdue {
		v.Set("overdue", "1")
	}
	if cq.DueFirst {
		v.Set("order", "due")
	}
	if !cq.From.IsZero() {
		v.Set("from", cq.From.In(calendar.Location()).Format(calendar.DateLayout))
	}
	if !cq.To.IsZero() {
		v.Set("to", cq.To.In(calendar.Location()).AddDate(0, 0, -1).Format(calendar.DateLayout))
	}
	return v
}

// sameCaseQuery compares two filters, their dates as instants.
func sameCaseQuery(a, b service.CaseQuery) bool {
	if !a.From.Equal(b.From) || !a.To.Equal(b.To) {
		return false
	}
	a.From, a.To, b.From, b.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}
