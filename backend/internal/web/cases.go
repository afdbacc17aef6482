package web

import (
	"context"
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

// onOwnCase runs an applicant's call on the case named in the path and
// answers its result with status (404 for anyone else's case).
func onOwnCase[T any](s *Server, c *gin.Context, status int, run func(ctx context.Context, a service.Actor, no string) (T, error)) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	v, err := run(c.Request.Context(), a, c.Param("no"))
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(status, v)
}

// caseGet: GET /api/v1/cases/:no — 404 for anyone else's case.
func (s *Server) caseGet(c *gin.Context) { onOwnCase(s, c, http.StatusOK, s.deps.Service.Case) }

// caseCancel: POST /api/v1/cases/:no/cancel.
func (s *Server) caseCancel(c *gin.Context) { onOwnCase(s, c, http.StatusOK, s.deps.Service.Cancel) }

// caseChange: POST /api/v1/cases/:no/change {"station_id"?,"collection"?,"mail"?,"version"?}.
func (s *Server) caseChange(c *gin.Context) {
	var in service.ChangeInput
	if !bindJSON(c, &in, false) {
		return
	}
	onOwnCase(s, c, http.StatusOK, func(ctx context.Context, a service.Actor, no string) (service.CaseView, error) {
		return s.deps.Service.Change(ctx, a, no, in)
	})
}

// casePickupToken: GET /api/v1/cases/:no/pickup-token.
func (s *Server) casePickupToken(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	onOwnCase(s, c, http.StatusOK, s.deps.Service.IssuePickupToken)
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
	onOwnCase(s, c, http.StatusCreated, s.deps.Service.RequestTemporaryCard)
}
