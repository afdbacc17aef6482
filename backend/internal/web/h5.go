package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/signin"
)

// h5 serves the citizen H5 at /m/, the official account's web
// authorization under /m/wechat/ and the return from FaceID's face page at
// /m/verified.
func (s *Server) h5() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Param("path") {
		case "/wechat/login":
			s.wechatLogin(c)
		case "/wechat/callback":
			s.wechatCallback(c)
		case "/verified":
			s.faceVerified(c)
		default:
			if !s.assets.serve(c.Writer, c.Request, "/m"+c.Param("path")) {
				http.NotFound(c.Writer, c.Request)
			}
		}
	}
}

const oauthStateCookie = "idcard_oauth_state"

// wechatLogin sends the browser to WeChat's snsapi_base authorization; in
// demo mode without an official account, straight to the callback with a
// demo code.
func (s *Server) wechatLogin(c *gin.Context) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	state := hex.EncodeToString(b)
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(oauthStateCookie, state, 600, "/m/wechat/", "", c.Request.TLS != nil, true)
	callback := scheme(c) + "://" + c.Request.Host + "/m/wechat/callback"
	if s.deps.OfficialAccount == nil {
		name := c.DefaultQuery("demo", "guest")
		c.Redirect(http.StatusFound, "/m/wechat/callback?state="+state+"&code=dev:"+urlSafe(name))
		return
	}
	c.Redirect(http.StatusFound, s.deps.OfficialAccount.AuthorizeURL(callback, state))
}

// wechatCallback signs the H5 in with the OAuth code and returns to the app.
func (s *Server) wechatCallback(c *gin.Context) {
	state, err := c.Cookie(oauthStateCookie)
	if err != nil || state == "" || state != c.Query("state") {
		writeError(c, domain.Errorf(domain.CodeBadRequest, "登录已过期，请重新进入"))
		return
	}
	c.SetCookie(oauthStateCookie, "", -1, "/m/wechat/", "", c.Request.TLS != nil, true)
	res, err := s.deps.SignIn.SignInOfficialAccount(c.Request.Context(), s.oauthProvider(), c.Query("code"), c.ClientIP())
	if err != nil {
		writeError(c, err)
		return
	}
	if _, _, err := signIn(c.Request.Context(), s.deps.Sessions.Applicant, keyApplicant, res.ApplicantID); err != nil {
		writeError(c, err)
		return
	}
	c.Redirect(http.StatusFound, "/m/")
}

func scheme(c *gin.Context) string {
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		return "https"
	}
	return "http"
}

func urlSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || b.Len() > 32 {
		return "guest"
	}
	return b.String()
}

// staticFiles serves the staff assets and vendored npm files at /static/.
func (s *Server) staticFiles(c *gin.Context) {
	if !s.assets.serve(c.Writer, c.Request, "/static"+c.Param("path")) {
		http.NotFound(c.Writer, c.Request)
	}
}

// oauthProvider is the official account, or none (demo codes only).
func (s *Server) oauthProvider() signin.WeChatProvider {
	if s.deps.OfficialAccount == nil {
		return nil
	}
	return *s.deps.OfficialAccount
}
