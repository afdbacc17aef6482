package web

import "github.com/gin-gonic/gin"

// apiRoutes registers /api/v1 (openapi.yaml). One file per resource holds the
// handlers.
func (s *Server) apiRoutes(g *gin.RouterGroup) {
	g.POST("/auth/wechat", s.authWeChat)
	g.POST("/auth/sms", s.authSMS)
	g.POST("/auth/phone", s.authPhone)
	g.POST("/auth/logout", s.authLogout)

	g.GET("/me", s.me)
	g.GET("/me/access-log", s.meAccessLog)
	g.POST("/me/identity", s.meIdentity)
	g.POST("/me/verification", s.meVerification)
	g.GET("/me/wards", s.meWards)
	g.POST("/me/wards", s.meWardAdd)
	g.POST("/progress", s.progress)

	g.GET("/offices", s.offices)
	g.GET("/divisions", s.divisions)
	g.GET("/eligibility", s.eligibility)
	g.GET("/deadline", s.deadline)
	g.GET("/config", s.clientConfig)

	g.POST("/photos", s.photoUpload)

	g.POST("/cases", s.caseSubmit)
	g.GET("/cases", s.caseList)
	g.GET("/cases/:no", s.caseGet)
	g.POST("/cases/:no/cancel", s.caseCancel)
	g.POST("/cases/:no/change", s.caseChange)
	g.GET("/cases/:no/pickup-token", s.casePickupToken)
	g.GET("/cases/:no/pickup-qr.png", s.casePickupQR)
	g.POST("/cases/:no/temporary-card", s.caseTemporaryCard)
	g.POST("/cases/:no/payment", s.casePayment)
	g.POST("/payments/wechat/notify", s.paymentNotifyWeChat)

	g.GET("/notifications", s.notifications)
	g.POST("/notifications/read", s.notificationsRead)

	st := g.Group("/staff")
	st.POST("/auth/login", s.staffLogin)
	st.POST("/auth/logout", s.staffLogout)
	st.GET("/me", s.staffMe)
	st.POST("/me/otp", s.staffOTPStart)
	st.POST("/me/otp/confirm", s.staffOTPConfirm)
	st.GET("/cases", fromReplica(s.staffCaseList))
	st.GET("/cases/:no", s.staffCaseGet)
	st.POST("/cases/:no/precheck", s.staffPrecheck)
	st.POST("/cases/:no/review", s.staffReview)
	st.POST("/cases/:no/produce", s.staffProduce)
	st.POST("/cases/:no/ship", s.staffShip)
	st.POST("/cases/:no/arrive", s.staffArrive)
	st.POST("/cases/:no/deliver", s.staffDeliver)
	st.POST("/cases/:no/extend", s.staffExtend)
	st.POST("/cases/:no/reopen-pickup", s.staffReopen)
	st.POST("/cases/:no/temporary-card", s.staffTemporaryCard)
	st.POST("/pickup/verify", s.pickupVerify)
	st.POST("/pickup/handover", s.pickupHandover)
}
