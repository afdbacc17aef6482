package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/signin"
)

func (s *Server) applicantSignedIn(c *gin.Context, in signin.Applicant) {
	ctx := c.Request.Context()
	tok, exp, err := signIn(ctx, s.deps.Sessions.Applicant, keyApplicant, in.ApplicantID)
	if err != nil {
		writeError(c, err)
		return
	}
	bound := in.Bound
	ok(c, tokenAnswer{Token: tok, ExpiresAt: calendar.FormatTime(exp), Bound: &bound})
}

// authWeChat: POST /api/v1/auth/wechat {"code"} — mini-program sign-in.
func (s *Server) authWeChat(c *gin.Context) {
	var in struct {
		Code string `json:"code"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	res, err := s.deps.SignIn.SignInWeChat(c.Request.Context(), in.Code, c.ClientIP())
	if err != nil {
		writeError(c, err)
		return
	}
	s.applicantSignedIn(c, res)
}

// authSMS: POST /api/v1/auth/sms {"phone"} — sends a sign-in code.
func (s *Server) authSMS(c *gin.Context) {
	var in struct {
		Phone string `json:"phone"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	if err := s.deps.SignIn.SendSignInCode(c.Request.Context(), in.Phone, c.ClientIP()); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// authPhone: POST /api/v1/auth/phone {"phone","code"}.
func (s *Server) authPhone(c *gin.Context) {
	var in struct {
		Phone string `json:"phone"`
		Code  string `json:"code"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	res, err := s.deps.SignIn.SignInPhone(c.Request.Context(), in.Phone, in.Code, c.ClientIP())
	if err != nil {
		writeError(c, err)
		return
	}
	s.applicantSignedIn(c, res)
}

// authLogout: POST /api/v1/auth/logout — ends the applicant's session.
func (s *Server) authLogout(c *gin.Context) {
	if err := s.deps.Sessions.Applicant.Destroy(c.Request.Context()); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
