package web

import (
	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/service"
)

// progress: POST /api/v1/progress {"case_no","name","id_last6"} — a case's
// status and dates without sign-in; one 404 for any mismatch, 429 with
// Retry-After past the budgets.
func (s *Server) progress(c *gin.Context) {
	var in service.ProgressInput
	if !bindJSON(c, &in, false) {
		return
	}
	c.Header("Cache-Control", "no-store")
	v, err := s.deps.Service.Progress(c.Request.Context(), c.ClientIP(), in)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, v)
}
