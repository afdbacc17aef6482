package web_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

var (
	staffRowRe   = regexp.MustCompile(`<tr data-username="([^"]+)"`)
	staffTotalRe = regexp.MustCompile(`id="staff-total">共 (\d+) 个账号`)
	staffNextRe  = regexp.MustCompile(`href="([^"]+)" id="next-page"`)
	staffPrevRe  = regexp.MustCompile(`href="([^"]+)" id="prev-page"`)
)

// TestAdminStaffPagesAndSearch: the admin's account list shows 50 accounts
// a page with the total, pages forward and back keeping the search, and the
// search by the start of a username or name narrows list and total.
func TestAdminStaffPagesAndSearch(t *testing.T) {
	env := webtest.Start(t)
	q := env.Store.Q(context.Background())
	office := env.Staff(t, "station-520102").OfficeID
	for i := range 70 {
		if err := q.InsertStaff(&store.Staff{Username: fmt.Sprintf("zz-clerk-%02d", i), Name: fmt.Sprintf("测试文员%02d", i),
			PasswordHash: "x", Role: "station_officer", OfficeID: &office, ScopeDivision: "520102", Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := q.CountStaff()
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.StaffPages(t, env, "security-admin")
	get := func(url string) (string, []string) {
		t.Helper()
		body := c.Get(url).Text()
		var users []string
		for _, m := range staffRowRe.FindAllStringSubmatch(body, -1) {
			users = append(users, m[1])
		}
		return body, users
	}
	body, users := get("/staff/admin/staff")
	if m := staffTotalRe.FindStringSubmatch(body); m == nil || m[1] != fmt.Sprint(all) || len(users) != 50 {
		t.Fatalf("first page: total %v of %d, %d rows", m, all, len(users))
	}
	if staffPrevRe.MatchString(body) {
		t.Fatal("the first page links to a page before it")
	}

	body, users = get("/staff/admin/staff?q=zz-clerk")
	if m := staffTotalRe.FindStringSubmatch(body); m == nil || m[1] != "70" || len(users) != 50 || users[0] != "zz-clerk-00" {
		t.Fatalf("search: total %v, %d rows from %v", m, len(users), users)
	}
	m := staffNextRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no next page")
	}
	next := html.UnescapeString(m[1])
	if !strings.Contains(next, "q=zz-clerk") || !strings.Contains(next, "page=2") {
		t.Fatalf("next link %s", next)
	}
	body, users = get(next)
	if len(users) != 20 || users[0] != "zz-clerk-50" || staffNextRe.MatchString(body) || !strings.Contains(body, "第 2/2 页") {
		t.Fatalf("page 2: %v", users)
	}
	m = staffPrevRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link back from page 2")
	}
	if _, back := get(html.UnescapeString(m[1])); len(back) != 50 || back[0] != "zz-clerk-00" {
		t.Fatalf("back to page 1: %v", back)
	}

	body, users = get("/staff/admin/staff?q=" + "测试文员6")
	if m := staffTotalRe.FindStringSubmatch(body); m == nil || m[1] != "10" || len(users) != 10 || staffNextRe.MatchString(body) {
		t.Fatalf("search by name: %v %v", m, users)
	}
}

var officeRowRe = regexp.MustCompile(`<tr data-code="([^"]+)">`)

// TestAdminOfficesTotalAndBack: the office list counts the matching
// offices over every page, and 上一页 gives back exactly the page before.
func TestAdminOfficesTotalAndBack(t *testing.T) {
	env := webtest.Start(t)
	all, err := env.Store.Q(context.Background()).ListOffices(store.OfficeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) <= 100 {
		t.Fatalf("the demo data has %d offices: too few for three pages", len(all))
	}
	c := webtest.StaffPages(t, env, "admin")
	codes := func(body string) []string {
		var out []string
		for _, m := range officeRowRe.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	first := c.Get("/staff/admin/offices").Text()
	webtest.Has(t, "offices", first, fmt.Sprintf(`id="office-total">共 %d 个机构`, len(all)))
	if staffPrevRe.MatchString(first) {
		t.Fatal("the first page links to a page before it")
	}
	m := staffNextRe.FindStringSubmatch(first)
	second := c.Get(html.UnescapeString(m[1])).Text()
	m = staffNextRe.FindStringSubmatch(second)
	third := c.Get(html.UnescapeString(m[1])).Text()
	back := c.Get(html.UnescapeString(staffPrevRe.FindStringSubmatch(third)[1])).Text()
	if got, want := codes(back), codes(second); len(want) != 50 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("back from page 3: %v, want %v", got, want)
	}
	back = c.Get(html.UnescapeString(staffPrevRe.FindStringSubmatch(back)[1])).Text()
	if got, want := codes(back), codes(first); strings.Join(got, ",") != strings.Join(want, ",") || staffPrevRe.MatchString(back) {
		t.Fatalf("back to page 1: %v, want %v", got, want)
	}
}
