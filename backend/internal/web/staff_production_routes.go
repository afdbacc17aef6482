package web

import "github.com/gin-gonic/gin"

// productionPageRoutes registers the production centre's dispatch pages:
// the day's dispatch list with its CSV and XLSX downloads, shipping mail
// cards with EMS numbers, and recording EMS deliveries.
func (s *Server) productionPageRoutes(g *gin.RouterGroup) {
	g.GET("/dispatch", s.dispatchPage)
	g.GET("/dispatch.csv", fromReplica(s.dispatchCSV))
	g.GET("/dispatch.xlsx", fromReplica(s.dispatchXLSX))
	g.GET("/ship-mail", s.shipMailPage)
	g.POST("/ship-mail", s.shipMailSubmit)
	g.GET("/deliveries", s.deliveriesPage)
	g.POST("/deliveries", s.deliveriesSubmit)
}
