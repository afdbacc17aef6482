package signin

import (
	"context"
	"time"

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
// wx.startFacialRecognitionVerify and the H5 flow in the WeChat browser)
// and the demo provider (demo mode only).
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
