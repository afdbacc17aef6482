package web

import "github.com/gin-gonic/gin"

// supervisorPageRoutes registers the supervisor's pages: the dashboard, the
// case-list export and the audit log.
func (s *Server) supervisorPageRoutes(g *gin.RouterGroup) {
	g.GET("/dashboard", fromReplica(s.dashboardPage))
	g.GET("/cases/export.csv", fromReplica(s.caseExport("csv")))
	g.GET("/cases/export.xlsx", fromReplica(s.caseExport("xlsx")))
	g.GET("/audit", s.auditPage)
	g.GET("/audit/export.csv", s.auditExport)
	g.POST("/audit/verify", s.auditVerifySubmit)
}
