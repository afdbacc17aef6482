package web_test

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gzga/idcard/backend/internal/web/browser"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// The weight of the citizen H5 (issue 12): what a phone downloads to reach
// the sign-in form, on a first visit and on a repeat visit, at 400 kbps and
// 400 ms round trips.
const (
	firstLoadMaxBytes = 120 << 10
	repeatMaxBytes    = 15 << 10
	throttleLatencyMS = 400
	throttleBytesPerS = 400 * 1000 / 8 // 400 kbit/s
)

// netLog records the requests of a tab and the bytes each took over the
// wire (headers included; 0 for one served from the browser's cache).
type netLog struct {
	mu         sync.Mutex
	urls       map[network.RequestID]string
	wire       map[network.RequestID]float64
	start, end map[network.RequestID]float64 // monotonic seconds
	seq        []network.RequestID
}

func listenNet(t *testing.T, ctx context.Context) *netLog {
	t.Helper()
	n := &netLog{}
	n.reset()
	err := chromedp.Listen(ctx, func(ev any) {
		n.mu.Lock()
		defer n.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if strings.HasPrefix(e.Request.URL, "http") {
				if _, seen := n.urls[e.RequestID]; !seen {
					n.seq = append(n.seq, e.RequestID)
				}
				n.urls[e.RequestID] = e.Request.URL
				n.start[e.RequestID] = float64(e.Timestamp)
			}
		case *network.EventLoadingFinished:
			n.wire[e.RequestID] = e.EncodedDataLength
			n.end[e.RequestID] = float64(e.Timestamp)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	return n
}

func (n *netLog) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.urls, n.wire, n.seq = map[network.RequestID]string{}, map[network.RequestID]float64{}, nil
	n.start, n.end = map[network.RequestID]float64{}, map[network.RequestID]float64{}
}

// visit is one page load as the network saw it.
type visit struct {
	requests  []string // URL paths, in order, including those the browser's cache answered
	overWire  []string // those that went to the server
	bytes     int
	formAtMS  float64 // ms from navigation start until the sign-in form is usable
	byRequest map[string]int
	waterfall []string // for each request over the wire: ms from the first request to its start and end
}

func (n *netLog) visit(formAt float64) visit {
	n.mu.Lock()
	defer n.mu.Unlock()
	v := visit{formAtMS: formAt, byRequest: map[string]int{}}
	t0 := 0.0
	if len(n.seq) > 0 {
		t0 = n.start[n.seq[0]]
	}
	for _, id := range n.seq {
		u, _ := url.Parse(n.urls[id])
		p := u.Path
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		v.requests = append(v.requests, p)
		if b := int(n.wire[id]); b > 0 {
			v.overWire = append(v.overWire, p)
			v.bytes += b
			v.byRequest[p] += b
			v.waterfall = append(v.waterfall, fmt.Sprintf("%6d B %5.0f–%5.0f ms  %s", b, (n.start[id]-t0)*1000, (n.end[id]-t0)*1000, p))
		}
	}
	return v
}

// openSignIn loads /m/ in the tab and waits until the sign-in form is
// usable; it returns when that was, in ms from the navigation's start as
// the page's own clock tells.
func openSignIn(t *testing.T, ctx context.Context, base string) float64 {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/m/")); err != nil {
		t.Fatal(err)
	}
	at, err := chromedp.Run(ctx, chromedp.Poll[float64](`(() => {
		const phone = document.querySelector('#page[data-ready="true"] #phone');
		const login = document.querySelector('#page[data-ready="true"] #btn-login');
		const usable = phone && login && !phone.disabled && phone.offsetParent !== null && login.offsetParent !== null;
		return usable ? performance.now() : false;
	})()`))
	if err != nil {
		t.Fatalf("the sign-in form never became usable: %v", err)
	}
	return at
}

func throttle(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{
			Latency:            throttleLatencyMS,
			DownloadThroughput: throttleBytesPerS,
			UploadThroughput:   throttleBytesPerS,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestH5Weight is the weight benchmark of the H5 (make weight prints it):
// a fresh phone opens /m/ at 400 kbps / 400 ms RTT and signs-in form
// appears; then it comes back. It asserts the byte targets — first load
// ≤ 120 KB over the wire, repeat visit ≤ 15 KB — and that no URL is fetched
// twice and the sign-in page loads no other page's module; the time to a
// usable form is printed beside an unthrottled load in the same run, never
// asserted (timings are not deterministic).
func TestH5Weight(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)

	// Unthrottled baseline, in a browser of its own: a first load warms the
	// server's compressed variants (made on first request) and Chromium;
	// the ones measured start from an empty browser cache.
	base := browser.New(t, browser.Phone)
	baseNet := listenNet(t, base)
	// The faster of two such loads is the baseline (a busy test machine
	// slows one now and then).
	openSignIn(t, base, env.URL)
	var baseline visit
	for i := 0; i < 2; i++ {
		if _, err := chromedp.Call(base, network.ClearBrowserCache, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		baseNet.reset()
		if v := baseNet.visit(openSignIn(t, base, env.URL)); i == 0 || v.formAtMS < baseline.formAtMS {
			baseline = v
		}
	}

	ctx := browser.New(t, browser.Phone)
	n := listenNet(t, ctx)
	throttle(t, ctx)
	first := n.visit(openSignIn(t, ctx, env.URL))
	n.reset()
	repeat := n.visit(openSignIn(t, ctx, env.URL))

	report := func(name string, v visit, max int) {
		var b strings.Builder
		for _, w := range v.waterfall {
			b.WriteString("\n    " + w)
		}
		t.Logf("%s: %d requests, %d over the wire, %.1f KB over the wire (target ≤ %d KB); sign-in form usable at %.2f s%s",
			name, len(v.requests), len(v.overWire), float64(v.bytes)/1024, max>>10, v.formAtMS/1000, b.String())
		if v.bytes > max {
			t.Errorf("%s: %d bytes over the wire, more than the %d of the target", name, v.bytes, max)
		}
	}
	report("first load at 400 kbps / 400 ms", first, firstLoadMaxBytes)
	report("repeat visit at 400 kbps / 400 ms", repeat, repeatMaxBytes)
	t.Logf("unthrottled baseline: %d requests, %.1f KB, sign-in form usable at %.2f s; throttled first load %.2f s = %.1f× the baseline (target ≤ 3 s), repeat visit %.2f s",
		len(baseline.requests), float64(baseline.bytes)/1024, baseline.formAtMS/1000,
		first.formAtMS/1000, first.formAtMS/baseline.formAtMS, repeat.formAtMS/1000)

	for _, v := range []struct {
		name string
		v    visit
	}{{"first load", first}, {"repeat visit", repeat}, {"baseline", baseline}} {
		seen := map[string]bool{}
		for _, r := range v.v.overWire {
			if seen[r] {
				t.Errorf("%s: %s fetched twice (%v)", v.name, r, v.v.overWire)
			}
			seen[r] = true
		}
		for _, r := range v.v.requests {
			if strings.HasPrefix(r, "/m/js/pages/") && !strings.HasPrefix(path.Base(r), "login.") {
				t.Errorf("%s: the sign-in page loaded %s", v.name, r)
			}
		}
	}
	// Everything but the page itself and the API is cached for good: a
	// repeat visit fetches over the wire only /m/ (revalidated: 304) and /me.
	for _, r := range repeat.overWire {
		if r != "/m/" && !strings.HasPrefix(r, "/api/") {
			t.Errorf("repeat visit fetched %s over the wire again", r)
		}
	}
}
