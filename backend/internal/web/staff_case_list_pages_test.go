package web_test

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

var (
	cpPrevLinkRe = regexp.MustCompile(`href="([^"]+)" id="prev-page"`)
	cpTotalRe    = regexp.MustCompile(`id="case-total">共 <b>(\d+)</b> 件`)
	cpRowNoRe    = regexp.MustCompile(`<a class="mono" href="/staff/cases/[^"]+">([^<]+)</a>`)
	cpActRe      = regexp.MustCompile(`<td class="act-col"><a class="btn[^"]*" href="([^"]+)" aria-label="([^ "]+) ([^"]+)">`)
)

// cpRows are the case numbers of a list page, in order.
func cpRows(body string) []string {
	var out []string
	for _, m := range cpRowNoRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestCaseListTotalAndBackPages: the list says how many cases match over
// all its pages, and from any page the 上一页 link gives back exactly the
// page before (both orders), up to the first page, which has none.
func TestCaseListTotalAndBackPages(t *testing.T) {
	env := webtest.Start(t)
	var own []string
	for range 5 {
		own = append(own, env.NewCase(t, webtest.CaseSpec{}))
	}
	b := webtest.StaffPages(t, env, "station-520102")
	for _, order := range []string{"", "due"} {
		url := "/staff/cases?status=submitted&limit=2&order=" + order
		var pages [][]string
		for url != "" {
			body := b.Get(url).Text()
			if m := cpTotalRe.FindStringSubmatch(body); m == nil || m[1] != "5" {
				t.Fatalf("order %q %s: total %v, want 5", order, url, m)
			}
			pages = append(pages, cpRows(body))
			if len(pages) == 1 && cpPrevLinkRe.MatchString(body) {
				t.Fatalf("order %q: the first page links to a page before it", order)
			}
			url = ""
			if m := cpNextLinkRe.FindStringSubmatch(body); m != nil {
				url = html.UnescapeString(m[1])
			}
		}
		if len(pages) != 3 || len(slices.Concat(pages...)) != 5 {
			t.Fatalf("order %q: pages %v", order, pages)
		}
		// Walk back from the last page.
		body := b.Get(lastURL(t, b, "/staff/cases?status=submitted&limit=2&order="+order)).Text()
		for i := len(pages) - 2; i >= 0; i-- {
			m := cpPrevLinkRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("order %q: no 上一页 towards page %d", order, i+1)
			}
			prev := html.UnescapeString(m[1])
			for _, keep := range []string{"status=submitted", "limit=2", "before="} {
				if !strings.Contains(prev, keep) {
					t.Fatalf("prev link %q lost %s", prev, keep)
				}
			}
			body = b.Get(prev).Text()
			if got := cpRows(body); !slices.Equal(got, pages[i]) {
				t.Fatalf("order %q: back to page %d gave %v, want %v", order, i+1, got, pages[i])
			}
		}
		if cpPrevLinkRe.MatchString(body) {
			t.Fatalf("order %q: back on the first page there is still a 上一页", order)
		}
		if !cpNextLinkRe.MatchString(body) {
			t.Fatalf("order %q: back on the first page there is no 下一页", order)
		}
	}
}

// lastURL follows the 下一页 links from url to the last page's address.
func lastURL(t *testing.T, b *webtest.Client, url string) string {
	t.Helper()
	for {
		m := cpNextLinkRe.FindStringSubmatch(b.Get(url).Text())
		if m == nil {
			return url
		}
		url = html.UnescapeString(m[1])
	}
}

// TestCaseListActionColumn: each row of a queue has an action button named
// after what the role does next, leading to the case's action forms; a
// role with nothing to do on a case gets 查看.
func TestCaseListActionColumn(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{})
	want := func(user, label, link string) {
		t.Helper()
		body := webtest.StaffPages(t, env, user).Get("/staff/cases").Text()
		webtest.Has(t, user, body, "<th>操作</th>")
		for _, m := range cpActRe.FindAllStringSubmatch(body, -1) {
			if m[3] == no {
				if m[2] != label || m[1] != link {
					t.Fatalf("%s: action %q → %s, want %q → %s", user, m[2], m[1], label, link)
				}
				return
			}
		}
		t.Fatalf("%s: no action for %s in\n%s", user, no, body)
	}
	want("station-520102", "核验", "/staff/cases/"+no+"#actions")
	want("supervisor-5201", "查看", "/staff/cases/"+no)
}
