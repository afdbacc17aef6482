package web_test

import (
	"regexp"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

var homeTileRe = regexp.MustCompile(`(?s)<a class="tile[^"]*" href="[^"]+"><b>([^<]+)</b><span class="num">\d+</span>(.*?)</a>`)

// TestHomeSaysWhatCountsMean: on the supervisor's home each count says
// what it counts (what 在办 includes and leaves out, what makes a case
// 超期), and so does every queue of the other roles.
func TestHomeSaysWhatCountsMean(t *testing.T) {
	env := webtest.StartWith(t, webtest.Options{Cases: 20})
	body := webtest.StaffPages(t, env, "supervisor").Get("/staff/").Text()
	webtest.Has(t, "supervisor home", body, "尚未办结的办件", "不含已领取、已签收、已退回和已撤回", "已过本阶段期限")
	for _, user := range []string{"supervisor", "station-520102", "county-520102", "production"} {
		body := webtest.StaffPages(t, env, user).Get("/staff/").Text()
		tiles := homeTileRe.FindAllStringSubmatch(body, -1)
		if len(tiles) == 0 {
			t.Fatalf("%s: no count tiles", user)
		}
		for _, m := range tiles {
			if !regexp.MustCompile(`<span class="hint">[^<]{8,}</span>`).MatchString(m[2]) {
				t.Errorf("%s: the count %s does not say what it counts: %s", user, m[1], m[2])
			}
		}
	}
}
