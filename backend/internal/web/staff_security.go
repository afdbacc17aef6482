package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/twofactor"
)

// securityPath is the page of a staff member's own sign-in security: the
// second factor's enrolment and the password change. An account that must
// enrol or change its password first is sent here from every other page.
const securityPath = "/staff/security"

// securityPageRoutes registers the security page and its forms.
func (s *Server) securityPageRoutes(g *gin.RouterGroup) {
	g.GET("/security", s.securityPage)
	g.GET("/security/otp.png", s.securityOTPQR)
	g.POST("/security/otp", s.securityOTPStart)
	g.POST("/security/otp/confirm", s.securityOTPConfirm)
	g.POST("/security/password", s.securityPassword)
}

// securityView is the security page's data.
type securityView struct {
	Pending      *twofactor.Enrolment
	OTPEnabled   bool
	MustEnrol    bool
	MustChange   bool
	Warn         bool
	PasswordDue  string
	MinPass      int
	PasswordRule string
	ExpiredMsg   string
}

// securityPage: GET /staff/security.
func (s *Server) securityPage(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	s.renderSecurity(c, a, me, http.StatusOK, "")
}

func (s *Server) renderSecurity(c *gin.Context, a service.Actor, me *service.StaffMe, status int, errMsg string) {
	v := securityView{OTPEnabled: me.OTPEnabled, MustEnrol: a.MustEnrolOTP, MustChange: s.deps.Service.PasswordExpired(*me),
		Warn: s.deps.Service.PasswordWarn(*me), MinPass: domain.PasswordMinLength, PasswordRule: domain.CodePasswordPolicy.Message(),
		ExpiredMsg: domain.CodePasswordExpired.Message()}
	if !me.PasswordDue.IsZero() {
		v.PasswordDue = calendar.FormatDate(me.PasswordDue)
	}
	if e, ok, err := s.deps.Service.PendingOTP(c.Request.Context(), a); err != nil {
		s.pageError(c, me, err)
		return
	} else if ok {
		v.Pending = &e
	}
	s.render(c, status, "staff/security.html", pageData{Title: "账号安全", Me: me, Nav: "security", Error: errMsg, Data: v})
}

// securityOTPStart: POST /staff/security/otp — a new secret to scan.
func (s *Server) securityOTPStart(c *gin.Context) {
	a, _, ok := s.staffPage(c)
	if !ok {
		return
	}
	if _, err := s.deps.Service.StartOTP(c.Request.Context(), a); err != nil {
		s.adminFail(c, securityPath, err)
		return
	}
	c.Redirect(http.StatusSeeOther, securityPath)
}

// securityOTPQR: GET /staff/security/otp.png — the pending secret's QR code.
func (s *Server) securityOTPQR(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	e, pending, err := s.deps.Service.PendingOTP(c.Request.Context(), a)
	if err == nil && !pending {
		err = domain.E(domain.CodeNotFound)
	}
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	png, err := twofactor.QR(e.URL)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", png)
}

// securityOTPConfirm: POST /staff/security/otp/confirm {code}.
func (s *Server) securityOTPConfirm(c *gin.Context) {
	a, _, ok := s.staffPage(c)
	if !ok {
		return
	}
	if err := s.deps.Service.ConfirmOTP(c.Request.Context(), a, strings.TrimSpace(c.PostForm("code"))); err != nil {
		s.adminFail(c, securityPath, err)
		return
	}
	s.flash(c, "已绑定身份验证器：今后登录须输入动态口令")
	c.Redirect(http.StatusSeeOther, "/staff/")
}

// securityPassword: POST /staff/security/password {current, password, confirm}.
func (s *Server) securityPassword(c *gin.Context) {
	a, _, ok := s.staffPage(c)
	if !ok {
		return
	}
	if c.PostForm("password") != c.PostForm("confirm") {
		s.adminFail(c, securityPath, domain.Errorf(domain.CodeValidationFailed, "两次输入的新密码不一致"))
		return
	}
	if err := s.deps.Service.ChangeOwnPassword(c.Request.Context(), a, c.PostForm("current"), c.PostForm("password")); err != nil {
		s.adminFail(c, securityPath, err)
		return
	}
	s.flash(c, "密码已修改")
	c.Redirect(http.StatusSeeOther, "/staff/")
}

// firstThings sends an account that must enrol its second factor or change
// its password to the security page before any other page; it reports
// whether the request may go on.
func (s *Server) firstThings(c *gin.Context, a service.Actor, me *service.StaffMe) bool {
	if strings.HasPrefix(c.Request.URL.Path, securityPath) {
		return true
	}
	if a.MustEnrolOTP || s.deps.Service.PasswordExpired(*me) {
		c.Redirect(http.StatusSeeOther, securityPath)
		c.Abort()
		return false
	}
	return true
}
