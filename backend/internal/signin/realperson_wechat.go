package signin

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/gzga/idcard/backend/internal/wechat"
)

// WeChatRealPerson is the WeChat 人脸核身 provider: the mini-program runs
// wx.startFacialRecognitionVerify itself and hands over the verify_result,
// which Confirm reads back from WeChat (face/identify/getinfo) with the
// mini-program's client.
type WeChatRealPerson struct {
	Client *wechat.Client
}

// Name is "wechat".
func (WeChatRealPerson) Name() string { return "wechat" }

// Start returns "": the mini-program verifies by itself. WeChat documents no
// face-verification page for official-account H5 pages (docs/architecture.md).
func (WeChatRealPerson) Start(context.Context, Claim, string) (string, error) { return "", nil }

// faceMismatch etc. are the applicant's reasons a face result did not pass.
const (
	faceFailed        = "人脸核身未通过"
	faceOtherIdentity = "人脸核身结果与绑定的身份不一致"
	faceOtherAccount  = "人脸核身结果不属于当前微信账号"
)

// Confirm passes only a face check WeChat says passed (identify_ret 0),
// made by this account's WeChat user (its mini-program or official-account
// openid), for exactly the claimed ID number and name (WeChat gives their
// MD5s). A verify_result WeChat does not know (errcode 84xxx) does not pass.
func (p WeChatRealPerson) Confirm(ctx context.Context, c Claim) (Verdict, error) {
	sum := sha256.Sum256([]byte(c.VerifyResult))
	v := Verdict{Ref: "wechat:" + hex.EncodeToString(sum[:]), Reason: faceFailed}
	r, err := p.Client.FaceInfo(ctx, c.VerifyResult)
	if err != nil {
		if code := wechat.ErrCode(err); code >= 84000 && code < 85000 {
			return v, nil
		}
		return Verdict{}, err
	}
	v.At = r.IdentifyTime
	switch {
	case r.IdentifyRet != 0:
	case r.OpenID == "" || !isAccountOpenID(c, r.OpenID):
		v.Reason = faceOtherAccount
	case !strings.EqualFold(r.IDCardNumberMD5, md5Hex(c.IDNumber)) || !strings.EqualFold(r.NameUTF8MD5, md5Hex(c.Name)):
		v.Reason = faceOtherIdentity
	default:
		v.Passed, v.Reason = true, ""
	}
	return v, nil
}

func isAccountOpenID(c Claim, openid string) bool {
	a := c.Account
	return (a.WechatOpenid != nil && *a.WechatOpenid == openid) || (a.WechatMpOpenid != nil && *a.WechatMpOpenid == openid)
}

// md5Hex is how WeChat hashes the ID number and name of a face result.
func md5Hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}
