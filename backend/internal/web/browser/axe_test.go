package browser

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAxeFindsSeriousFaults: the check reports what it is there to catch —
// white text on WeUI's #07c160 (2.38:1), an unlabelled field, an image
// without alt and a list holding a button — with the element, and reports
// nothing on the same page made right.
func TestAxeFindsSeriousFaults(t *testing.T) {
	pages := map[string]string{
		"/bad": `<!doctype html><html lang="zh-CN"><head><title>坏页</title></head><body><main>
			<button style="background:#07c160;color:#fff;font-size:17px;border:0;padding:12px" id="submit">提交</button>
			<input id="name" type="text"><img src="/x.png" id="logo">
			<ul id="kinds"><button>选择</button></ul></main></body></html>`,
		"/good": `<!doctype html><html lang="zh-CN"><head><title>好页</title></head><body><main>
			<button style="background:#06794a;color:#fff;font-size:17px;border:0;padding:12px" id="submit">提交</button>
			<label for="name">姓名</label><input id="name" type="text"><img src="/x.png" id="logo" alt="徽标">
			<ul id="kinds"><li><button>选择</button></li></ul></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(pages[r.URL.Path]))
	}))
	t.Cleanup(srv.Close)
	ctx := New(t, Phone)

	Do(t, ctx, "bad page", chromedp.Navigate(srv.URL+"/bad"), chromedp.WaitVisible(chromedp.ID("submit")))
	var got []string
	for _, f := range AxeFaults(t, ctx) {
		if f.Impact != "critical" && f.Impact != "serious" {
			t.Errorf("a %s fault was reported: %v", f.Impact, f)
		}
		got = append(got, f.Rule+" "+f.Target)
	}
	sort.Strings(got)
	want := []string{"color-contrast #submit", "image-alt #logo", "label #name", "list #kinds"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("axe on the bad page found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	Do(t, ctx, "good page", chromedp.Navigate(srv.URL+"/good"), chromedp.WaitVisible(chromedp.ID("submit")))
	if n := Axe(t, ctx, "good-page"); n != 0 {
		t.Fatalf("axe found %d faults on the good page", n)
	}
}
