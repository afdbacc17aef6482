package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseSubmit: POST /api/v1/cases with an optional Idempotency-Key header.
func (s *Server) caseSubmit(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	var in service.SubmitInput
	if !bindJSON(c, &in, false) {
		return
	}
	v, err := s.deps.Service.Submit(c.Request.Context(), a, in, c.GetHeader("Idempotency-Key"))
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

// caseList: GET /api/v1/cases — the applicant's cases, newest first.
func (s *Server) caseList(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	list, err := s.deps.Service.MyCases(c.Request.Context(), a)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, items(list))
}

// caseGet: GET /api/v1/cases/:no — 404 for anyone else's case.
func (s *Server) caseGet(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	v, err := s.deps.Service.Case(c.Request.Context(), a, c.Param("no"))
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, v)
}

// caseCancel: POST /api/v1/cases/:no/cancel.
func (s *Server) caseCancel(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	v, err := s.deps.Service.Cancel(c.Request.Context(), a, c.Param("no"))
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, v)
}

// casePickupToken: GET /api/v1/cases/:no/pickup-token.
func (s *Server) casePickupToken(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	t, err := s.deps.Service.IssuePickupToken(c.Request.Context(), a, c.Param("no"))
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	ok(c, t)
}

// casePickupQR: GET /api/v1/cases/:no/pickup-qr.png — a QR code of a fresh token.
func (s *Server) casePickupQR(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	t, err := s.deps.Service.IssuePickupToken(c.Request.Context(), a, c.Param("no"))
	if err != nil {
		writeError(c, err)
		return
	}
	png, err := pickup.PNG(t.Token, 0)
	if err != nil {
		writeError(c, domain.Wrap(domain.CodeInternal, err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("X-Token-Expires-At", t.ExpiresAt)
	c.Data(http.StatusOK, "image/png", png)
}

// caseTemporaryCard: POST /api/v1/cases/:no/temporary-card — ask for a
// temporary ID card while the case runs.
func (s *Server) caseTemporaryCard(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	t, err := s.deps.Service.RequestTemporaryCard(c.Request.Context(), a, c.Param("no"))
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, t)
}
