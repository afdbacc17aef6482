package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/faceid"
	"github.com/gzga/idcard/backend/internal/faceid/faceidtest"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestFaceIDBinding: the H5 in any browser binds through Tencent Cloud
// FaceID end to end — POST /me/verification gives the fake's face page,
// which returns to our /m/verified with token=…, which sends the browser
// 303 to the hash route with verify_result=faceid:…, which binds once.
func TestFaceIDBinding(t *testing.T) {
	t.Parallel()
	fake := faceidtest.New(faceidtest.Options{SecretID: "AKIDweb", SecretKey: "web-secret", RuleID: "3"})
	t.Cleanup(fake.Close)
	env := webtest.StartWith(t, webtest.Options{RealPersonWeb: func(pub string, rdb redis.UniversalClient, prefix string) signin.RealPersonProvider {
		p, err := faceid.New(faceid.Config{SecretID: "AKIDweb", SecretKey: "web-secret", RuleID: "3", Endpoint: fake.Endpoint(),
			PublicURL: pub, Redis: rdb, KeyPrefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}})
	zs := webtest.ZhangSan
	app := webtest.NewClient(t, env.URL)
	app.SignInSMS(env, zs.Phone)

	start := webtest.Want(t, app.Post("/api/v1/me/verification", map[string]any{"name": zs.Name, "id_number": zs.ID,
		"return_url": "/m/#/bind?next=/apply"}), http.StatusOK, "")
	verifyURL := start.Str("verify_url")
	if start.Str("provider") != "faceid" || !strings.HasPrefix(verifyURL, fake.Endpoint()+"/") {
		t.Fatalf("verification start: %s", start)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	hop := func(u string, status int) string {
		t.Helper()
		resp, err := browser.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Fatalf("GET %s: %d, want %d", u, resp.StatusCode, status)
		}
		return resp.Header.Get("Location")
	}
	// FaceID's page, done by the person: back to our route with the token.
	back := hop(verifyURL, http.StatusFound)
	if !strings.HasPrefix(back, env.URL+"/m/verified?") {
		t.Fatalf("the face page returns to %q", back)
	}
	bu, _ := url.Parse(back)
	token := bu.Query().Get("token")
	fake.Pass(token, zs.ID, zs.Name)
	hash := hop(back, http.StatusSeeOther)
	want := "/m/#/bind?next=/apply&verify_result=" + url.QueryEscape("faceid:"+token)
	if hash != want {
		t.Fatalf("/m/verified sends to %q, want %q", hash, want)
	}
	result := "faceid:" + token

	me := webtest.Want(t, app.Post("/api/v1/me/identity", map[string]any{"name": zs.Name, "id_number": zs.ID, "verify_result": result}),
		http.StatusOK, "")
	if me.JSON("bound") != true {
		t.Fatalf("not bound: %s", me)
	}
	// The same result again, from another account: spent.
	other := webtest.NewClient(t, env.URL)
	other.SignInSMS(env, "13900000077")
	webtest.Want(t, other.Post("/api/v1/me/identity", map[string]any{"name": zs.Name, "id_number": zs.ID, "verify_result": result}),
		http.StatusUnprocessableEntity, "REAL_PERSON_FAILED")
	webtest.Want(t, app.Post("/api/v1/me/identity", map[string]any{"name": zs.Name, "id_number": zs.ID, "verify_result": result}),
		http.StatusUnprocessableEntity, "REAL_PERSON_FAILED")
}

// TestFaceIDReturnRoute: /m/verified goes only to the H5's hash routes and
// reflects nothing but the token, escaped.
func TestFaceIDReturnRoute(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	c := webtest.NewClient(t, env.URL)
	for _, bad := range []string{"r=https://evil.example/&token=T", "r=/m/bind&token=T", "r=//evil.example&token=T",
		"r=" + url.QueryEscape("/m/#/bind\r\nSet-Cookie: x=1") + "&token=T", "r=" + url.QueryEscape("/m/#/a") + "&token=",
		"r=" + url.QueryEscape("/m/#/"+strings.Repeat("a", 600)) + "&token=T", "token=T"} {
		if r := c.Get("/m/verified?" + bad); r.Status != http.StatusBadRequest || r.Location() != "" {
			t.Fatalf("%s: %s", bad, r)
		}
	}
	r := c.Get("/m/verified?r=" + url.QueryEscape("/m/#/bind") + "&token=" + url.QueryEscape("A&b=#<x>") + "&other=1")
	if r.Status != http.StatusSeeOther || r.Location() != "/m/#/bind?verify_result=faceid%3AA%26b%3D%23%3Cx%3E" {
		t.Fatalf("good return: %s %q", r, r.Location())
	}
}
