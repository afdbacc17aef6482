package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
)

// The accounts of the matrix: each role in the case's jurisdiction and in
// another one.
var matrixUsers = []string{"station-520102", "station-520103", "county-520102", "county-520103",
	"production", "supervisor-5201", "supervisor-5202", "admin"}

// TestStaffAccessMatrix checks every role against every staff page and every
// case action, in its own and in another jurisdiction, as DESIGN §5 says:
// allowed ones work, the others are refused, and a refusal shows no data.
func TestStaffAccessMatrix(t *testing.T) {
	w := newCPWorld(t)
	no := w.newCase(cpOpts{}) // a 520102 person at the first station of 520102
	name, maskedID := w.mustPersonName(no)
	b := map[string]*cpBrowser{}
	for _, u := range matrixUsers {
		b[u] = w.signIn(u)
	}
	denied := func(t *testing.T, who, what string, status int, body string) {
		t.Helper()
		if status < 400 {
			t.Fatalf("%s: %s was allowed (%d)", what, who, status)
		}
		cpLacks(t, who+" denied "+what, body, name, maskedID, no)
	}

	t.Run("Pages", func(t *testing.T) {
		pages := []struct {
			path  string
			roles []string // usernames allowed; nil = every signed-in account
		}{
			{"/staff/", nil},
			{"/staff/cases", []string{"station-520102", "station-520103", "county-520102", "county-520103", "production", "supervisor-5201", "supervisor-5202"}},
			{"/staff/pickup", []string{"station-520102", "station-520103"}},
			{"/staff/temporary-cards", []string{"county-520102", "county-520103"}},
			{"/staff/dispatch", []string{"production"}},
			{"/staff/dispatch.csv", []string{"production"}},
			{"/staff/ship-mail", []string{"production"}},
			{"/staff/deliveries", []string{"production"}},
			{"/staff/dashboard", []string{"supervisor-5201", "supervisor-5202"}},
			{"/staff/cases/export.csv", []string{"supervisor-5201", "supervisor-5202"}},
			{"/staff/admin/staff", []string{"admin"}},
			{"/staff/admin/offices", []string{"admin"}},
			{"/staff/admin/calendar", []string{"admin"}},
		}
		for _, p := range pages {
			allowed := map[string]bool{}
			for _, u := range p.roles {
				allowed[u] = true
			}
			for _, u := range matrixUsers {
				st, body := b[u].get(p.path)
				if p.roles == nil || allowed[u] {
					if st != http.StatusOK {
						t.Errorf("%s GET %s: %d, want 200", u, p.path, st)
					}
					continue
				}
				denied(t, u, "GET "+p.path, st, body)
			}
		}
		// The case list holds the case only for those whose jurisdiction it is in.
		inList := map[string]bool{"station-520102": true, "county-520102": true, "supervisor-5201": true}
		for _, u := range matrixUsers {
			if u == "admin" {
				continue
			}
			_, body := b[u].get("/staff/cases")
			if got := strings.Contains(body, no); got != inList[u] {
				t.Errorf("%s's case list shows the case: %v, want %v", u, got, inList[u])
			}
		}
		// Outside a session every page sends the browser to the sign-in page.
		anon := &cpBrowser{t: t, base: w.env.URL, c: &http.Client{}}
		if res, _ := anon.do(http.MethodGet, "/staff/cases/"+no, nil, nil); res.Request.URL.Path != "/staff/login" {
			t.Fatalf("anonymous case page ended at %s", res.Request.URL)
		}
	})

	// The case page and each action, status by status: only the role of the
	// action in the case's jurisdiction may act; every other account is
	// refused and the case stays as it was.
	steps := []struct {
		status domain.Status
		see    []string // accounts that may open the case page in this status
		action string
		form   url.Values
		actor  string
		next   domain.Status
	}{
		{domain.StatusSubmitted, []string{"station-520102", "county-520102", "supervisor-5201"},
			"precheck", url.Values{"decision": {"approve"}}, "station-520102", domain.StatusAccepted},
		{domain.StatusAccepted, []string{"station-520102", "county-520102", "supervisor-5201"},
			"review", url.Values{"decision": {"approve"}}, "county-520102", domain.StatusIssued},
		{domain.StatusIssued, []string{"station-520102", "county-520102", "production", "supervisor-5201"},
			"produce", url.Values{}, "production", domain.StatusProduced},
		{domain.StatusProduced, []string{"station-520102", "county-520102", "production", "supervisor-5201"},
			"ship", url.Values{}, "production", domain.StatusShipped},
		{domain.StatusShipped, []string{"station-520102", "county-520102", "production", "supervisor-5201"},
			"arrive", url.Values{}, "station-520102", domain.StatusReadyForPickup},
	}
	for _, s := range steps {
		t.Run(string(s.status), func(t *testing.T) {
			if got := w.caseRow(no).Status; got != string(s.status) {
				t.Fatalf("case is %s, want %s", got, s.status)
			}
			see := map[string]bool{}
			for _, u := range s.see {
				see[u] = true
			}
			for _, u := range matrixUsers {
				st, body := b[u].get("/staff/cases/" + no)
				if see[u] {
					if st != http.StatusOK {
						t.Errorf("%s cannot open the case page in %s: %d", u, s.status, st)
					}
					cpHas(t, u+" case page", body, no, maskedID) // so the refusals' absence means something
					continue
				}
				denied(t, u, "case page in "+string(s.status), st, body)
			}
			before := w.caseRow(no)
			for _, u := range matrixUsers {
				if u == s.actor {
					continue
				}
				form := url.Values{"version": {fmt.Sprint(before.Version)}}
				for k, v := range s.form {
					form[k] = v
				}
				st, body := b[u].post("/staff/cases/"+no+"/"+s.action, form)
				after := w.caseRow(no)
				if after.Status != before.Status || after.Version != before.Version {
					t.Fatalf("%s could %s: the case moved to %s", u, s.action, after.Status)
				}
				denied(t, u, s.action, st, body)
			}
			form := url.Values{"version": {fmt.Sprint(before.Version)}}
			for k, v := range s.form {
				form[k] = v
			}
			if st, body := b[s.actor].post("/staff/cases/"+no+"/"+s.action, form); st != http.StatusOK {
				t.Fatalf("%s %s: %d\n%s", s.actor, s.action, st, cpExcerpt(body))
			}
			if got := w.caseRow(no).Status; got != string(s.next) {
				t.Fatalf("%s %s: case is %s, want %s", s.actor, s.action, got, s.next)
			}
		})
	}
}

// mustPersonName is the registry name of the case's person and the masked
// ID number pages show.
func (w *cpWorld) mustPersonName(no string) (string, string) {
	w.t.Helper()
	p, err := w.env.Store.Q(w.ctx).Person(w.caseRow(no).PersonID)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Name, pii.MaskIDNumber(p.IDNumber)
}
