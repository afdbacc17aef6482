package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// maxTokenLen bounds what the token field takes: a token is about 50
// characters, so anything much longer is not one.
const maxTokenLen = 256

// pickupScanData is the scan page. The token field always comes back
// empty, so the next scan is not appended to a refused token; the look-up
// fields keep what was typed, and the form that failed gets the focus.
type pickupScanData struct {
	No     string
	IDTail string
	Code   string // the error code of a refusal, for the helpdesk
	Lookup bool   // focus the look-up form instead of the token field
}

// pickupCheckData is the check page of one card: reached by a token or by
// the fallback look-up, whose fields ride along to the handover.
type pickupCheckData struct {
	service.PickupPage
	Token    string
	No       string
	IDTail   string
	ByLookup bool
}

// pickupFatal says an error replaces the page: a denial or a failure shows
// no form and no data.
func pickupFatal(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.CodeForbidden, domain.CodeUnauthenticated, domain.CodeInternal, domain.CodeUnavailable:
		return true
	}
	return false
}

// pickupOfficer is the signed-in station officer of a pickup request, or
// an error page for anyone else.
func (s *Server) pickupOfficer(c *gin.Context) (service.Actor, *service.StaffMe, bool) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleStationOfficer) {
		return service.Actor{}, nil, false
	}
	return a, me, true
}

// pickupScanPage: GET /staff/pickup — the token field (focused, for a
// handheld scanner that types the token and Enter), the camera scanner and
// the fallback look-up.
func (s *Server) pickupScanPage(c *gin.Context) {
	_, me, ok := s.pickupOfficer(c)
	if !ok {
		return
	}
	msg := s.popError(c)
	s.render(c, http.StatusOK, "staff/pickup/scan.html", pageData{Title: "领证发放", Me: me, Nav: "pickup", Error: msg,
		Data: pickupScanData{}})
}

// pickupRefused shows the scan page again with the refusal explained and
// the typed values kept.
func (s *Server) pickupRefused(c *gin.Context, me *service.StaffMe, err error, d pickupScanData) {
	if pickupFatal(err) {
		s.pageError(c, me, err)
		return
	}
	d.Code = string(domain.ErrorCode(err))
	s.render(c, httpStatus(domain.ErrorCode(err)), "staff/pickup/scan.html", pageData{Title: "领证发放", Me: me, Nav: "pickup",
		Error: domain.ErrorMessage(err), Data: d})
}

// pickupVerifySubmit: POST /staff/pickup/verify (token) — what a handheld
// scanner's Enter or the camera scanner sends. A valid token shows the
// check page; nothing changes until the handover.
func (s *Server) pickupVerifySubmit(c *gin.Context) {
	a, me, ok := s.pickupOfficer(c)
	if !ok {
		return
	}
	token := strings.TrimSpace(c.PostForm("token"))
	if token == "" {
		s.pickupRefused(c, me, domain.Errorf(domain.CodeValidationFailed, "请扫描申请人手机上的领证二维码，或在输入框中输入领证码后按回车。"), pickupScanData{})
		return
	}
	if len(token) > maxTokenLen {
		s.pickupRefused(c, me, domain.E(domain.CodeTokenInvalid), pickupScanData{})
		return
	}
	p, err := s.deps.Service.VerifyPickupPage(c.Request.Context(), a, token)
	if err != nil {
		s.pickupRefused(c, me, err, pickupScanData{})
		return
	}
	s.renderPickupCheck(c, me, http.StatusOK, "", pickupCheckData{PickupPage: p, Token: token})
}

// renderPickupCheck shows the check page of one card.
func (s *Server) renderPickupCheck(c *gin.Context, me *service.StaffMe, status int, errMsg string, d pickupCheckData) {
	s.render(c, status, "staff/pickup/check.html", pageData{Title: "核对发证 " + d.Case.No, Me: me, Nav: "pickup",
		Error: errMsg, Data: d})
}

// SexLabel is the holder's sex as the page shows it.
func (d pickupCheckData) SexLabel() string {
	switch d.Person.Sex {
	case "male":
		return "男"
	case "female":
		return "女"
	}
	return d.Person.Sex
}
