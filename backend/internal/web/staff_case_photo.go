package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
)

// staffPhoto: GET /staff/photos/:id?case=<no> — an ID photo (application
// upload or registry photo) of a case in the staff member's jurisdiction.
// Anything else answers 404, so photos outside it do not leak.
func (s *Server) staffPhoto(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		s.pageError(c, me, domain.E(domain.CodeNotFound))
		return
	}
	p, err := s.deps.Service.StaffPhoto(c.Request.Context(), a, id, c.Query("case"))
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", "inline")
	c.Data(http.StatusOK, "image/jpeg", p.Data)
}
