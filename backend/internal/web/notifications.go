package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// notifications: GET /api/v1/notifications.
func (s *Server) notifications(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	list, err := s.deps.Service.Notifications(c.Request.Context(), a)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, items(list))
}

// notificationsRead: POST /api/v1/notifications/read {"ids":[...]} (empty = all).
func (s *Server) notificationsRead(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if !bindJSON(c, &in, true) {
		return
	}
	if err := s.deps.Service.MarkNotificationsRead(c.Request.Context(), a, in.IDs); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
