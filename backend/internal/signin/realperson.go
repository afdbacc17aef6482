package signin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// Claim is who an applicant says they are when they bind their account:
// the registry name and ID number, and the verify_result their client got
// from the real-person provider (实人认证).
type Claim struct {
	Account      store.Applicant
	Name         string
	IDNumber     string // normalised: 18 characters, upper-case X
	VerifyResult string
}

// Verdict is a provider's answer about one verify_result.
type Verdict struct {
	// Passed: the face check succeeded, for this account's WeChat user (or
	// the provider's own session) and for exactly the claimed name and ID
	// number.
	Passed bool
	// Reason says, in Chinese for the applicant, why it did not pass.
	Reason string
	// At is when the face check was done, by the provider's clock.
	At time.Time
	// Ref identifies the verification at the provider; one Ref binds at
	// most once.
	Ref string
}

// RealPersonProvider confirms real-person verifications. Implementations:
// the WeChat 人脸核身 provider (the mini-program's
// wx.startFacialRecognitionVerify), Tencent Cloud FaceID's H5 face check
// for the H5 in any browser (package faceid) and the demo provider (demo
// mode only).
type RealPersonProvider interface {
	// Name is the provider's name as the API shows it ("wechat", "demo").
	Name() string
	// Start begins a verification for the H5: the URL of the provider's
	// face page, which returns to returnURL with the verify_result. An
	// empty URL means the client verifies by itself (the mini-program).
	Start(ctx context.Context, c Claim, returnURL string) (verifyURL string, err error)
	// Confirm asks the provider what c.VerifyResult says. A verify_result
	// the provider does not know is a Verdict that did not pass, not an
	// error; an error means the provider could not be asked.
	Confirm(ctx context.Context, c Claim) (Verdict, error)
}

// Verification freshness: a face check older than this does not bind, nor
// one dated more than verifySkew in the future (a clock out of step).
const (
	verifyFresh = 10 * time.Minute
	verifySkew  = time.Minute
)

// Proof is a confirmed real-person verification, ready to be spent by the
// binding: the service records its Ref once, in the binding's transaction.
type Proof = domain.RealPersonProof

// realPersonFailed is REAL_PERSON_FAILED with the reason the applicant
// should read.
func realPersonFailed(reason string) error {
	if reason == "" {
		return domain.E(domain.CodeRealPersonFailed)
	}
	return domain.Errorf(domain.CodeRealPersonFailed, "实人认证未通过：%s", reason)
}

// FaceIDPrefix starts the verify_result of the browser's provider
// (Tencent Cloud FaceID): "faceid:<BizToken>".
const FaceIDPrefix = "faceid:"

// provider chooses who confirms verifyResult by its prefix: "dev:" goes
// to the demo provider (demo mode only), "faceid:" to the browser's
// provider, everything else to the mini-program's (nil when the chosen
// one is not configured).
func (s *Service) provider(verifyResult string) RealPersonProvider {
	switch {
	case s.demo && strings.HasPrefix(verifyResult, "dev:"):
		return demoRealPerson{now: s.clock}
	case strings.HasPrefix(verifyResult, FaceIDPrefix):
		return s.realPersonWeb
	}
	return s.realPerson
}

// H5ReturnURL reports whether r may be where a provider's face page sends
// the browser back to: a hash route of this site's H5 ("/m/#/…"), at most
// 512 bytes, without CR, LF or backslash.
func H5ReturnURL(r string) bool {
	return strings.HasPrefix(r, "/m/#/") && !strings.ContainsAny(r, "\\\r\n") && len(r) <= 512
}

// ConfirmRealPerson asks the provider whether verifyResult is a passed
// face check of this account's user for exactly this name and ID number,
// done within the last 10 minutes. Returns the Proof to spend on binding,
// REAL_PERSON_FAILED with the reason otherwise, RATE_LIMITED past twenty
// results an hour for the account, and UNAVAILABLE when the provider
// cannot be asked. It does not spend the verification.
func (s *Service) ConfirmRealPerson(ctx context.Context, applicantID int64, name string, id domain.IDNumber, verifyResult string) (Proof, error) {
	verifyResult = strings.TrimSpace(verifyResult)
	if verifyResult == "" {
		return Proof{}, realPersonFailed("请先完成人脸核身")
	}
	if len(verifyResult) > 512 {
		return Proof{}, realPersonFailed("核身结果无效")
	}
	p := s.provider(verifyResult)
	if p == nil {
		return Proof{}, realPersonFailed("核身结果无效")
	}
	if err := s.allow(ctx, confirmRules(applicantID)); err != nil {
		return Proof{}, err
	}
	ap, err := s.st.Q(ctx).Applicant(applicantID)
	if errors.Is(err, store.ErrNotFound) {
		return Proof{}, domain.E(domain.CodeUnauthenticated)
	}
	if err != nil {
		return Proof{}, s.internal(ctx, "real person", err)
	}
	v, err := p.Confirm(ctx, Claim{Account: ap, Name: name, IDNumber: string(id), VerifyResult: verifyResult})
	if err != nil {
		return Proof{}, s.internal(ctx, "real person", err)
	}
	now := s.clock()
	switch {
	case !v.Passed:
		return Proof{}, realPersonFailed(v.Reason)
	case v.At.Before(now.Add(-verifyFresh)):
		return Proof{}, realPersonFailed("核身结果已过期，请重新完成人脸核身")
	case v.At.After(now.Add(verifySkew)):
		return Proof{}, realPersonFailed("核身结果时间异常，请重新完成人脸核身")
	case v.Ref == "":
		return Proof{}, realPersonFailed("核身结果无效")
	}
	return Proof{Provider: p.Name(), Ref: v.Ref, At: v.At}, nil
}

// StartRealPerson begins a verification for the H5: the provider and the
// page to open (none when the client verifies by itself). A browser sends
// the page to return to, the mini-program none: with a returnURL the
// browser's provider (FaceID) serves when configured (also in demo mode,
// where an operator named it); otherwise the demo one in demo mode, else
// the mini-program's (WeChat, no page), else the browser's. returnURL must
// be a path of this site's H5 (/m/...), so the provider's page can never
// send the applicant elsewhere. Returns VALIDATION_FAILED for another
// return URL, RATE_LIMITED when started too often, UNAVAILABLE when no
// provider is configured or it cannot be asked.
func (s *Service) StartRealPerson(ctx context.Context, applicantID int64, name string, id domain.IDNumber, returnURL string) (provider, verifyURL string, err error) {
	if returnURL != "" && (!strings.HasPrefix(returnURL, "/m/") || strings.ContainsAny(returnURL, "\\\r\n") || len(returnURL) > 512) {
		return "", "", domain.Errorf(domain.CodeValidationFailed, "返回地址须为本站“/m/”下的页面")
	}
	if err := s.allow(ctx, verifyRules(applicantID)); err != nil {
		return "", "", err
	}
	var p RealPersonProvider
	switch {
	case returnURL != "" && s.realPersonWeb != nil:
		p = s.realPersonWeb
	case s.demo:
		p = demoRealPerson{now: s.clock}
	case s.realPerson != nil:
		p = s.realPerson
	default:
		p = s.realPersonWeb
	}
	if p == nil {
		return "", "", domain.Errorf(domain.CodeUnavailable, "实人认证服务暂未开通，请稍后再试")
	}
	ap, err := s.st.Q(ctx).Applicant(applicantID)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", domain.E(domain.CodeUnauthenticated)
	}
	if err != nil {
		return "", "", s.internal(ctx, "real person start", err)
	}
	u, err := p.Start(ctx, Claim{Account: ap, Name: name, IDNumber: string(id)}, returnURL)
	if err != nil {
		return "", "", s.internal(ctx, "real person start", err)
	}
	return p.Name(), u, nil
}

// demoRealPerson is the demo provider (demo mode only): "dev:pass" is a
// face check passed just now, "dev:fail" one that failed. Each passed
// check gets its own reference, so the demo values can be used again.
type demoRealPerson struct{ now func() time.Time }

// Name is "demo".
func (demoRealPerson) Name() string { return "demo" }

// Start sends the H5 to its demo face page, which returns to returnURL
// with dev:pass or dev:fail.
func (demoRealPerson) Start(_ context.Context, _ Claim, returnURL string) (string, error) {
	if returnURL == "" {
		returnURL = "/m/#/bind"
	}
	return "/m/#/verify/demo?" + url.Values{"return": {returnURL}}.Encode(), nil
}

// Confirm passes dev:pass and fails everything else.
func (d demoRealPerson) Confirm(_ context.Context, c Claim) (Verdict, error) {
	if c.VerifyResult != "dev:pass" {
		return Verdict{Reason: "演示核身未通过"}, nil
	}
	ref := make([]byte, 12)
	if _, err := rand.Read(ref); err != nil {
		return Verdict{}, err
	}
	return Verdict{Passed: true, At: d.now(), Ref: "demo:" + hex.EncodeToString(ref)}, nil
}
