package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// staffHome: GET /staff/ — the role's work queues.
func (s *Server) staffHome(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok {
		return
	}
	var queues []service.Queue
	if a.Role != domain.RoleAdmin {
		var err error
		if queues, err = s.deps.Service.StaffQueues(c.Request.Context(), a); err != nil {
			s.pageError(c, me, err)
			return
		}
	}
	s.render(c, http.StatusOK, "staff/home.html", pageData{Title: "工作台", Me: me, Nav: "home", Data: queues})
}
