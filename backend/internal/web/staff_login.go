package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
)

// safeNext keeps a post-login redirect on our own staff pages.
func safeNext(n string) string {
	if strings.HasPrefix(n, "/staff/") && !strings.HasPrefix(n, "//") && !strings.Contains(n, "\\") {
		return n
	}
	return "/staff/"
}

// staffLoginPage: GET /staff/login.
func (s *Server) staffLoginPage(c *gin.Context) {
	s.render(c, http.StatusOK, "staff/login.html", pageData{Title: "工作人员登录",
		Data: map[string]any{"Next": safeNext(c.Query("next"))}})
}

// staffLoginSubmit: POST /staff/login — a new session on success.
func (s *Server) staffLoginSubmit(c *gin.Context) {
	username, next := c.PostForm("username"), safeNext(c.PostForm("next"))
	res, err := s.deps.SignIn.StaffLogin(c.Request.Context(), username, c.PostForm("password"), c.PostForm("otp"), c.ClientIP())
	if err != nil {
		var retry string
		if domain.ErrorCode(err) == domain.CodeRateLimited {
			retry = c.Writer.Header().Get("Retry-After")
		}
		code := domain.ErrorCode(err)
		s.render(c, signInStatus(code), "staff/login.html", pageData{Title: "工作人员登录",
			Error: domain.ErrorMessage(err), Data: map[string]any{"Next": next, "Username": username, "Retry": retry,
				"AskOTP": code == domain.CodeOTPRequired || code == domain.CodeBadOTP}})
		return
	}
	if _, _, err := signIn(c.Request.Context(), s.deps.Sessions.Staff, keyStaff, res.StaffID); err != nil {
		s.pageError(c, nil, err)
		return
	}
	c.Redirect(http.StatusSeeOther, next)
}

// staffLogoutSubmit: POST /staff/logout.
func (s *Server) staffLogoutSubmit(c *gin.Context) {
	_ = s.deps.Sessions.Staff.Destroy(c.Request.Context())
	c.Redirect(http.StatusSeeOther, "/staff/login")
}
