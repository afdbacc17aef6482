package faceid_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/faceid"
	"github.com/gzga/idcard/backend/internal/faceid/faceidtest"
	"github.com/gzga/idcard/backend/internal/signin"
	"github.com/gzga/idcard/backend/internal/store"
)

const (
	testID   = "520102199001011234"
	testName = "张三"
)

type kit struct {
	fake *faceidtest.Server
	mr   *miniredis.Miniredis
	p    *faceid.Provider
}

func newKit(t *testing.T, secret string) kit {
	t.Helper()
	fake := faceidtest.New(faceidtest.Options{SecretID: "AKIDface", SecretKey: "face-secret", RuleID: "7"})
	t.Cleanup(fake.Close)
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	p, err := faceid.New(faceid.Config{SecretID: "AKIDface", SecretKey: secret, RuleID: "7", Endpoint: fake.Endpoint(),
		PublicURL: "https://id.example.cn/", Redis: rdb})
	if err != nil {
		t.Fatal(err)
	}
	return kit{fake: fake, mr: mr, p: p}
}

func claim(account int64, id, name, result string) signin.Claim {
	return signin.Claim{Account: store.Applicant{ID: account}, IDNumber: id, Name: name, VerifyResult: result}
}

// start runs DetectAuth for account 1 and returns the BizToken.
func (k kit) start(t *testing.T) string {
	t.Helper()
	u, err := k.p.Start(context.Background(), claim(1, testID, testName, ""), "/m/#/bind?next=/apply")
	if err != nil {
		t.Fatal(err)
	}
	pu, err := url.Parse(u)
	if err != nil || !strings.HasPrefix(u, k.fake.Endpoint()+"/h5?") {
		t.Fatalf("verify URL %q is not the fake's page", u)
	}
	tok := pu.Query().Get("token")
	c, ok := k.fake.Checks()[tok]
	if !ok || c.IDCard != testID || c.Name != testName {
		t.Fatalf("DetectAuth got %+v", c)
	}
	if want := "https://id.example.cn/m/verified?r=" + url.QueryEscape("/m/#/bind?next=/apply"); c.RedirectURL != want {
		t.Fatalf("RedirectUrl %q, want %q", c.RedirectURL, want)
	}
	return tok
}

// TestConfirm: only a passed check of the claimed person, started by this
// account, passes, once; everything else is a reason, not an error.
func TestConfirm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newKit(t, "face-secret")

	tok := k.start(t)
	for _, k2 := range k.mr.Keys() {
		if strings.Contains(k2, testID) {
			t.Fatalf("Redis key %q names the ID number", k2)
		}
		if v, _ := k.mr.Get(k2); strings.Contains(v, testID) {
			t.Fatalf("Redis holds the ID number in clear: %s", v)
		}
	}
	res := "faceid:" + tok
	// Not finished yet: ErrCode null.
	if v, err := k.p.Confirm(ctx, claim(1, testID, testName, res)); err != nil || v.Passed {
		t.Fatalf("unfinished check: %+v %v", v, err)
	}
	k.fake.Pass(tok, testID, testName)
	if v, err := k.p.Confirm(ctx, claim(2, testID, testName, res)); err != nil || v.Passed || v.Reason != "人脸核身结果不属于当前账号" {
		t.Fatalf("other account: %+v %v", v, err)
	}
	if v, err := k.p.Confirm(ctx, claim(1, "520102199001015678", testName, res)); err != nil || v.Passed || v.Reason != "人脸核身结果与绑定的身份不一致" {
		t.Fatalf("other ID number: %+v %v", v, err)
	}
	v, err := k.p.Confirm(ctx, claim(1, testID, testName, res))
	if err != nil || !v.Passed || v.Ref != res || v.At.IsZero() || time.Since(v.At) > time.Minute {
		t.Fatalf("passed check: %+v %v", v, err)
	}
	if got := k.fake.InfoTypes(); len(got) == 0 || got[len(got)-1] != "1" {
		t.Fatalf("InfoType %v, want text only (1)", got)
	}
	if v, err := k.p.Confirm(ctx, claim(1, testID, testName, res)); err != nil || v.Passed || v.Reason != "核身结果已失效，请重新完成人脸核身" {
		t.Fatalf("second confirm: %+v %v", v, err)
	}
}

func TestConfirmRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newKit(t, "face-secret")

	failed := k.start(t)
	k.fake.Fail(failed, -1101)
	if v, err := k.p.Confirm(ctx, claim(1, testID, testName, "faceid:"+failed)); err != nil || v.Passed || v.Reason != "人脸核身未通过" {
		t.Fatalf("failed face: %+v %v", v, err)
	}

	other := k.start(t)
	k.fake.Pass(other, "520102199001015678", "李四") // someone else's face and card
	if v, err := k.p.Confirm(ctx, claim(1, testID, testName, "faceid:"+other)); err != nil || v.Passed || v.Reason != "人脸核身结果与绑定的身份不一致" {
		t.Fatalf("other person: %+v %v", v, err)
	}

	for _, res := range []string{"faceid:00000000-0000-0000-0000-000000000000", "faceid:", "faceid:a b\r\n"} {
		if v, err := k.p.Confirm(ctx, claim(1, testID, testName, res)); err != nil || v.Passed || v.Reason != "核身结果已失效，请重新完成人脸核身" {
			t.Fatalf("unknown %q: %+v %v", res, v, err)
		}
	}

	expired := k.start(t)
	k.fake.Pass(expired, testID, testName)
	k.mr.FastForward(16 * time.Minute)
	if v, err := k.p.Confirm(ctx, claim(1, testID, testName, "faceid:"+expired)); err != nil || v.Passed || v.Reason != "核身结果已失效，请重新完成人脸核身" {
		t.Fatalf("expired: %+v %v", v, err)
	}
}

// TestUnavailable: FaceID down is UNAVAILABLE for Start and Confirm.
func TestUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newKit(t, "face-secret")
	tok := k.start(t)
	k.fake.Pass(tok, testID, testName)
	k.fake.SetDown(true)
	if _, err := k.p.Start(ctx, claim(1, testID, testName, ""), "/m/#/bind"); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("Start with FaceID down: %v", err)
	}
	if _, err := k.p.Confirm(ctx, claim(1, testID, testName, "faceid:"+tok)); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("Confirm with FaceID down: %v", err)
	}
	k.fake.Close()
	if _, err := k.p.Start(ctx, claim(1, testID, testName, ""), "/m/#/bind"); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("Start with FaceID gone: %v", err)
	}
}

// TestSignatureChecked: the fake refuses a wrong secret (so the provider's
// requests are really signed as documented), and Start reports it.
func TestSignatureChecked(t *testing.T) {
	t.Parallel()
	k := newKit(t, "wrong-secret")
	_, err := k.p.Start(context.Background(), claim(1, testID, testName, ""), "/m/#/bind")
	if err == nil || !strings.Contains(err.Error(), "AuthFailure.SignatureFailure") {
		t.Fatalf("a wrongly signed DetectAuth: %v", err)
	}
}

// TestStartReturnURL: only hash routes of the H5 are returned to.
func TestStartReturnURL(t *testing.T) {
	t.Parallel()
	k := newKit(t, "face-secret")
	for _, r := range []string{"/m/bind", "https://evil.example/", "/m/#/bind\r\nX: y", "/m/#/" + strings.Repeat("a", 600)} {
		if _, err := k.p.Start(context.Background(), claim(1, testID, testName, ""), r); domain.ErrorCode(err) != domain.CodeValidationFailed {
			t.Fatalf("return URL %q: %v", r, err)
		}
	}
	if len(k.fake.Checks()) != 0 {
		t.Fatal("DetectAuth called for a refused return URL")
	}
}
