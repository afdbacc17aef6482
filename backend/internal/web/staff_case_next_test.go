package web_test

import (
	"net/http"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestCaseActionOpensNextOfQueue: after a pre-check the station officer
// lands on the next case of its 待核验 queue (due soonest first), told so
// with the number of the case it finished; the review, arrival and mail
// delivery queues work alike; after the last case of a queue it stays on
// that case, told the queue is empty; a refused action stays on the case.
func TestCaseActionOpensNextOfQueue(t *testing.T) {
	env := webtest.Start(t)
	station := webtest.StaffPages(t, env, "station-520102")
	a, b := env.NewCase(t, webtest.CaseSpec{}), env.NewCase(t, webtest.CaseSpec{})
	env.NewCase(t, webtest.CaseSpec{Household: "520103", Station: "520103"}) // another station's queue

	post := func(c *webtest.Client, no, form string, kv ...string) (string, string) {
		t.Helper()
		r := c.Post("/staff/cases/"+no+"/"+form, env.ActionForm(t, no, kv...))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("%s %s: %d", form, no, r.Status)
		}
		return r.Location(), c.Get(r.Location()).Text()
	}
	to, body := post(station, a, "precheck", "decision", "approve")
	if to != "/staff/cases/"+b {
		t.Fatalf("after the pre-check of %s: went to %s, want the next case %s", a, to, b)
	}
	webtest.Has(t, "next case", body, "办件"+a+"：核验通过", "已打开“待核验预受理”的下一件："+b, `id="form-precheck-approve"`)

	// A stale form is refused and stays on its case.
	stale := env.ActionForm(t, b, "decision", "approve")
	stale.Set("version", "999")
	if r := station.Post("/staff/cases/"+b+"/precheck", stale); r.Location() != "/staff/cases/"+b {
		t.Fatalf("a refused pre-check went to %s", r.Location())
	}
	station.Get("/staff/cases/" + b) // take the refusal's flash

	to, body = post(station, b, "precheck", "decision", "reject", "reason_text", "照片不合格")
	if to != "/staff/cases/"+b {
		t.Fatalf("after the last case of the queue: went to %s", to)
	}
	webtest.Has(t, "empty queue", body, "“待核验预受理”中已没有其他办件")

	county := webtest.StaffPages(t, env, "county-520102")
	c := env.NewCase(t, webtest.CaseSpec{})
	env.Drive(t, c, domain.StatusAccepted)
	if to, _ := post(county, a, "review", "decision", "approve"); to != "/staff/cases/"+c {
		t.Fatalf("after a review: went to %s, want %s", to, c)
	}

	// The arrival queue is the window cases shipped to the station: a mail
	// case in transit is not in it.
	w1, w2, m := env.NewCase(t, webtest.CaseSpec{}), env.NewCase(t, webtest.CaseSpec{}), env.NewCase(t, webtest.CaseSpec{Mail: true})
	for _, no := range []string{w1, w2, m} {
		env.Drive(t, no, domain.StatusShipped)
	}
	to, _ = post(station, w1, "arrive")
	if to != "/staff/cases/"+w2 {
		t.Fatalf("after an arrival: went to %s, want %s", to, w2)
	}
	if to, _ = post(station, w2, "arrive"); to != "/staff/cases/"+w2 {
		t.Fatalf("after the last arrival: went to %s (the mail case %s is not in the queue)", to, m)
	}
}
