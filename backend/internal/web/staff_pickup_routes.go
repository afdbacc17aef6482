package web

import "github.com/gin-gonic/gin"

// pickupPageRoutes registers the station window's pickup pages: the scan
// page (handheld scanner or camera), the check page a token or a fallback
// look-up leads to, and the handover.
func (s *Server) pickupPageRoutes(g *gin.RouterGroup) {
	g.GET("/pickup", s.pickupScanPage)
	g.POST("/pickup/verify", s.pickupVerifySubmit)
	g.POST("/pickup/lookup", s.pickupLookupSubmit)
	g.POST("/pickup/handover", s.pickupHandoverSubmit)
}
