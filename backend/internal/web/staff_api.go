package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// staffLogin: POST /api/v1/staff/auth/login {"username","password","otp"?}.
func (s *Server) staffLogin(c *gin.Context) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		OTP      string `json:"otp"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	res, err := s.deps.SignIn.StaffLogin(c.Request.Context(), in.Username, in.Password, in.OTP, c.ClientIP())
	if err != nil {
		writeSignInError(c, err)
		return
	}
	tok, exp, err := signIn(c.Request.Context(), s.deps.Sessions.Staff, keyStaff, res.StaffID)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, tokenAnswer{Token: tok, ExpiresAt: calendar.FormatTime(exp), Role: string(res.Role)})
}

// staffLogout: POST /api/v1/staff/auth/logout.
func (s *Server) staffLogout(c *gin.Context) {
	if err := s.deps.Sessions.Staff.Destroy(c.Request.Context()); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// staffMe: GET /api/v1/staff/me.
func (s *Server) staffMe(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	m, err := s.deps.Service.StaffMe(c.Request.Context(), a)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, m)
}

// staffOTPStart: POST /api/v1/staff/me/otp {} — a new TOTP secret,
// pending until confirmed.
func (s *Server) staffOTPStart(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	var in struct{}
	if !bindJSON(c, &in, true) {
		return
	}
	e, err := s.deps.Service.StartOTP(c.Request.Context(), a)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, e)
}

// staffOTPConfirm: POST /api/v1/staff/me/otp/confirm {"code"} — 204, and
// from now on sign-in needs the code.
func (s *Server) staffOTPConfirm(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	var in struct {
		Code string `json:"code"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	if err := s.deps.Service.ConfirmOTP(c.Request.Context(), a, in.Code); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// staffCaseList: GET /api/v1/staff/cases?status=&office_id=&overdue=1&q=&cursor=&limit=
func (s *Server) staffCaseList(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	limit, okQ := queryInt64(c, "limit")
	if !okQ {
		return
	}
	cq, err := caseQueryFrom(c, domain.CodeBadRequest)
	if err != nil {
		writeError(c, err)
		return
	}
	cq.Limit = int(limit)
	page, err := s.deps.Service.StaffCases(c.Request.Context(), a, cq)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, page)
}

// staffCaseGet: GET /api/v1/staff/cases/:no — with the person (audited).
func (s *Server) staffCaseGet(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	v, err := s.deps.Service.StaffCase(c.Request.Context(), a, c.Param("no"))
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, v)
}

// staffAction runs one staff action whose body is decoded into in.
func staffAction[T any](s *Server, c *gin.Context, run func(a service.Actor, no string, in T) (service.CaseView, error)) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	var in T
	if !bindJSON(c, &in, true) {
		return
	}
	v, err := run(a, c.Param("no"), in)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, v)
}

type decisionBody struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	Version  *int   `json:"version"`
}

func (b decisionBody) decision() (service.Decision, error) {
	switch b.Decision {
	case "approve", "reject":
		return service.Decision{Approve: b.Decision == "approve", Reason: b.Reason, Version: b.Version}, nil
	}
	return service.Decision{}, domain.Errorf(domain.CodeBadRequest, "decision 只能是 approve 或 reject")
}

type versionBody struct {
	Version *int `json:"version"`
}

func (s *Server) staffPrecheck(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in decisionBody) (service.CaseView, error) {
		d, err := in.decision()
		if err != nil {
			return service.CaseView{}, err
		}
		return s.deps.Service.Precheck(c.Request.Context(), a, no, d)
	})
}

func (s *Server) staffReview(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in decisionBody) (service.CaseView, error) {
		d, err := in.decision()
		if err != nil {
			return service.CaseView{}, err
		}
		return s.deps.Service.Review(c.Request.Context(), a, no, d)
	})
}

func (s *Server) staffProduce(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in versionBody) (service.CaseView, error) {
		return s.deps.Service.Produce(c.Request.Context(), a, no, in.Version)
	})
}

func (s *Server) staffShip(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in struct {
		TrackingNo string `json:"tracking_no"`
		Version    *int   `json:"version"`
	}) (service.CaseView, error) {
		return s.deps.Service.Ship(c.Request.Context(), a, no, in.TrackingNo, in.Version)
	})
}

func (s *Server) staffArrive(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in versionBody) (service.CaseView, error) {
		return s.deps.Service.Arrive(c.Request.Context(), a, no, in.Version)
	})
}

func (s *Server) staffDeliver(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in struct {
		SignedBy string `json:"signed_by"`
		Version  *int   `json:"version"`
	}) (service.CaseView, error) {
		return s.deps.Service.Deliver(c.Request.Context(), a, no, in.SignedBy, in.Version)
	})
}

func (s *Server) staffExtend(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in struct {
		Days    int    `json:"days"`
		Reason  string `json:"reason"`
		Version *int   `json:"version"`
	}) (service.CaseView, error) {
		return s.deps.Service.Extend(c.Request.Context(), a, no, in.Days, in.Reason, in.Version)
	})
}

func (s *Server) staffReopen(c *gin.Context) {
	staffAction(s, c, func(a service.Actor, no string, in struct {
		Reason  string `json:"reason"`
		Version *int   `json:"version"`
	}) (service.CaseView, error) {
		return s.deps.Service.ReopenPickup(c.Request.Context(), a, no, in.Reason, in.Version)
	})
}

// staffTemporaryCard: POST /api/v1/staff/cases/:no/temporary-card {"card_no"}.
func (s *Server) staffTemporaryCard(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	var in struct {
		CardNo string `json:"card_no"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	t, err := s.deps.Service.IssueTemporaryCard(c.Request.Context(), a, c.Param("no"), in.CardNo)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, t)
}

// pickupVerify: POST /api/v1/staff/pickup/verify {"token"}.
func (s *Server) pickupVerify(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	var in struct {
		Token string `json:"token"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	r, err := s.deps.Service.VerifyPickup(c.Request.Context(), a, in.Token)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, r)
}

// pickupHandover: POST /api/v1/staff/pickup/handover {"token","old_card_returned"}.
func (s *Server) pickupHandover(c *gin.Context) {
	a, okA := s.staffActor(c)
	if !okA {
		return
	}
	var in struct {
		Token           string `json:"token"`
		OldCardReturned bool   `json:"old_card_returned"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	v, err := s.deps.Service.Handover(c.Request.Context(), a, in.Token, in.OldCardReturned)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, v)
}
