package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// pickupLookupSubmit: POST /staff/pickup/lookup (no, id_tail) — the
// fallback when the QR code cannot be scanned. Every look-up is audited.
func (s *Server) pickupLookupSubmit(c *gin.Context) {
	a, me, ok := s.pickupOfficer(c)
	if !ok {
		return
	}
	no, tail := strings.TrimSpace(c.PostForm("no")), strings.TrimSpace(c.PostForm("id_tail"))
	p, err := s.deps.Service.LookupPickup(c.Request.Context(), a, no, tail)
	if err != nil {
		s.pickupRefused(c, me, err, pickupScanData{No: pickupClip(no, 20), IDTail: pickupClip(tail, 6), Lookup: true})
		return
	}
	s.renderPickupCheck(c, me, http.StatusOK, "", pickupCheckData{PickupPage: p, No: p.Case.No, IDTail: strings.ToUpper(tail), ByLookup: true})
}

// pickupHandoverSubmit: POST /staff/pickup/handover — token, or no and
// id_tail after a look-up; face_match (required) and old_card_returned.
// Success goes back to the scan page, ready for the next applicant.
func (s *Server) pickupHandoverSubmit(c *gin.Context) {
	a, me, ok := s.pickupOfficer(c)
	if !ok {
		return
	}
	token := strings.TrimSpace(c.PostForm("token"))
	no, tail := strings.TrimSpace(c.PostForm("no")), strings.TrimSpace(c.PostForm("id_tail"))
	byLookup := c.PostForm("mode") == "lookup"
	chk := service.PickupChecks{FaceMatch: c.PostForm("face_match") == "1", OldCardReturned: c.PostForm("old_card_returned") == "1"}
	if !byLookup && (token == "" || len(token) > maxTokenLen) {
		s.pickupFailed(c, me, domain.E(domain.CodeTokenInvalid))
		return
	}
	if !chk.FaceMatch {
		s.pickupCheckAgain(c, a, me, token, no, tail, byLookup, domain.ErrorMessage(service.ErrFaceMatchRequired))
		return
	}
	var v service.CaseView
	var err error
	if byLookup {
		v, err = s.deps.Service.HandoverByLookup(c.Request.Context(), a, no, tail, chk)
	} else {
		v, err = s.deps.Service.Handover(c.Request.Context(), a, token, chk.OldCardReturned)
	}
	if domain.ErrorCode(err) == domain.CodeOldCardRequired {
		s.pickupCheckAgain(c, a, me, token, no, tail, byLookup, domain.ErrorMessage(err))
		return
	}
	if err != nil {
		s.pickupFailed(c, me, err)
		return
	}
	msg := "办件" + v.No + "已发证，证件已交申请人本人，办件办结。"
	if v.OldCardReturned != nil {
		msg += "旧证已收回。"
	}
	s.flash(c, msg)
	c.Redirect(http.StatusSeeOther, "/staff/pickup")
}

// pickupFailed sends a refused handover back to the scan page with the
// reason, or shows the error page for a denial.
func (s *Server) pickupFailed(c *gin.Context, me *service.StaffMe, err error) {
	if pickupFatal(err) {
		s.pageError(c, me, err)
		return
	}
	s.flashError(c, domain.ErrorMessage(err))
	c.Redirect(http.StatusSeeOther, "/staff/pickup")
}

// pickupCheckAgain shows the check page again with msg, asking for a
// missing tick; a token or case that went bad meanwhile goes back to the
// scan page.
func (s *Server) pickupCheckAgain(c *gin.Context, a service.Actor, me *service.StaffMe, token, no, tail string, byLookup bool, msg string) {
	var p service.PickupPage
	var err error
	if byLookup {
		p, err = s.deps.Service.LookupPickup(c.Request.Context(), a, no, tail)
	} else {
		p, err = s.deps.Service.VerifyPickupPage(c.Request.Context(), a, token)
	}
	if err != nil {
		s.pickupFailed(c, me, err)
		return
	}
	d := pickupCheckData{PickupPage: p, Token: token, ByLookup: byLookup}
	if byLookup {
		d.Token, d.No, d.IDTail = "", p.Case.No, strings.ToUpper(tail)
	}
	s.renderPickupCheck(c, me, http.StatusUnprocessableEntity, msg, d)
}

// pickupClip cuts typed text kept for a form to at most n runes.
func pickupClip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
