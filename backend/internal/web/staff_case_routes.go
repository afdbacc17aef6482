package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// casePageRoutes registers the case list, the case page with its action
// forms, batch actions, staff photos and the temporary card list.
func (s *Server) casePageRoutes(g *gin.RouterGroup) {
	g.GET("/cases", fromReplica(s.caseListPage))
	g.POST("/cases/batch", s.caseBatchSubmit)
	g.GET("/cases/:no", s.caseDetailPage)
	g.POST("/cases/:no/full", s.caseFullSubmit)
	g.POST("/cases/:no/precheck", s.casePrecheckSubmit)
	g.POST("/cases/:no/review", s.caseReviewSubmit)
	g.POST("/cases/:no/produce", s.caseProduceSubmit)
	g.POST("/cases/:no/ship", s.caseShipSubmit)
	g.POST("/cases/:no/deliver", s.caseDeliverSubmit)
	g.POST("/cases/:no/arrive", s.caseArriveSubmit)
	g.POST("/cases/:no/extend", s.caseExtendSubmit)
	g.POST("/cases/:no/reopen", s.caseReopenSubmit)
	// A form address opened by GET (a sign-in that returns to it, a
	// bookmark) leads to the page the form belongs to.
	g.GET("/cases/:no/:action", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, casePath(c.Param("no"))) })
	g.GET("/photos/:id", s.staffPhoto)
	g.GET("/temporary-cards", s.temporaryCardsPage)
	g.POST("/temporary-cards/:no/issue", s.temporaryCardIssueSubmit)
	g.GET("/temporary-cards/:no/issue", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/staff/temporary-cards") })
}
