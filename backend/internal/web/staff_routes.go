package web

import "github.com/gin-gonic/gin"

// staffRoutes registers the staff pages (/staff/...). Each area keeps its
// handlers in its own files.
func (s *Server) staffRoutes(g *gin.RouterGroup) {
	g.GET("/login", s.staffLoginPage)
	g.POST("/login", s.staffLoginSubmit)
	g.POST("/logout", s.staffLogoutSubmit)
	g.GET("/", s.staffHome)
	s.casePageRoutes(g)
	s.pickupPageRoutes(g)
	s.productionPageRoutes(g)
	s.supervisorPageRoutes(g)
	s.adminPageRoutes(g)
	s.securityPageRoutes(g)
}
