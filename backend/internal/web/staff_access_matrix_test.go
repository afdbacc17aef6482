package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"context"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// The accounts of the matrix: each role in the case's jurisdiction and in
// another one.
var matrixUsers = []string{"station-520102", "station-520103", "county-520102", "county-520103",
	"production", "supervisor-5201", "supervisor-5202", "admin", "security-admin", "audit-admin"}

// TestStaffAccessMatrix checks every role against every staff page and every
// case action, in its own and in another jurisdiction, as docs/architecture.md says:
// allowed ones work, the others are refused, and a refusal shows no data.
func TestStaffAccessMatrix(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{}) // a 520102 person at the first station of 520102
	name, maskedID := mustPersonName(t, env, no)
	b := map[string]*webtest.Client{}
	for _, u := range matrixUsers {
		b[u] = webtest.StaffPages(t, env, u).Following()
	}
	denied := func(t *testing.T, who, what string, status int, body string) {
		t.Helper()
		if status < 400 {
			t.Fatalf("%s: %s was allowed (%d)", what, who, status)
		}
		webtest.Lacks(t, who+" denied "+what, body, name, maskedID, no)
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
			{"/staff/audit", []string{"supervisor-5201", "supervisor-5202", "audit-admin"}},
			{"/staff/admin/staff", []string{"security-admin"}},
			{"/staff/admin/offices", []string{"admin"}},
			{"/staff/admin/calendar", []string{"admin"}},
			{"/staff/admin/outbox", []string{"admin"}},
		}
		for _, p := range pages {
			allowed := map[string]bool{}
			for _, u := range p.roles {
				allowed[u] = true
			}
			for _, u := range matrixUsers {
				st, body := b[u].Get(p.path).Page()
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
			if strings.Contains(u, "admin") {
				continue
			}
			body := b[u].Get("/staff/cases").Text()
			if got := strings.Contains(body, no); got != inList[u] {
				t.Errorf("%s's case list shows the case: %v, want %v", u, got, inList[u])
			}
		}
		// Outside a session every page sends the browser to the sign-in page.
		anon := webtest.NewClient(t, env.URL).Following()
		if r := anon.Get("/staff/cases/" + no); r.URL.Path != "/staff/login" {
			t.Fatalf("anonymous case page ended at %s", r.URL)
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
			if got := env.Case(t, no).Status; got != string(s.status) {
				t.Fatalf("case is %s, want %s", got, s.status)
			}
			see := map[string]bool{}
			for _, u := range s.see {
				see[u] = true
			}
			for _, u := range matrixUsers {
				st, body := b[u].Get("/staff/cases/" + no).Page()
				if see[u] {
					if st != http.StatusOK {
						t.Errorf("%s cannot open the case page in %s: %d", u, s.status, st)
					}
					webtest.Has(t, u+" case page", body, no, maskedID) // so the refusals' absence means something
					continue
				}
				denied(t, u, "case page in "+string(s.status), st, body)
			}
			before := env.Case(t, no)
			for _, u := range matrixUsers {
				if u == s.actor {
					continue
				}
				form := url.Values{"version": {fmt.Sprint(before.Version)}}
				for k, v := range s.form {
					form[k] = v
				}
				st, body := b[u].Post("/staff/cases/"+no+"/"+s.action, form).Page()
				after := env.Case(t, no)
				if after.Status != before.Status || after.Version != before.Version {
					t.Fatalf("%s could %s: the case moved to %s", u, s.action, after.Status)
				}
				denied(t, u, s.action, st, body)
			}
			form := url.Values{"version": {fmt.Sprint(before.Version)}}
			for k, v := range s.form {
				form[k] = v
			}
			if st, body := b[s.actor].Post("/staff/cases/"+no+"/"+s.action, form).Page(); st != http.StatusOK {
				t.Fatalf("%s %s: %d\n%s", s.actor, s.action, st, webtest.Excerpt(body))
			}
			if got := env.Case(t, no).Status; got != string(s.next) {
				t.Fatalf("%s %s: case is %s, want %s", s.actor, s.action, got, s.next)
			}
		})
	}
}

// mustPersonName is the registry name of the case's person and the masked
// ID number pages show.
func mustPersonName(t *testing.T, env *webtest.Env, no string) (string, string) {
	t.Helper()
	p, err := env.Store.Q(context.Background()).Person(env.Case(t, no).PersonID)
	if err != nil {
		t.Fatal(err)
	}
	return p.Name, pii.MaskIDNumber(p.IDNumber)
}
