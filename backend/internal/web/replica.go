package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/service"
)

// wroteCookie marks a browser that has just sent a state-changing staff
// request: for wroteWindow its lists are read from the primary too, so an
// officer who acted on a case finds the list already showing it, whatever
// the replicas' lag (which the store keeps under a few seconds anyway).
const (
	wroteCookie = "idcard_wrote"
	wroteWindow = 10 // seconds
)

// stickyPrimary sets wroteCookie on every state-changing request under
// /staff and /api/v1/staff, before the handler answers (a redirect after a
// form post must carry it).
func stickyPrimary() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if p := c.Request.URL.Path; strings.HasPrefix(p, "/staff/") || strings.HasPrefix(p, "/api/v1/staff/") {
				http.SetCookie(c.Writer, &http.Cookie{Name: wroteCookie, Value: "1", Path: "/", MaxAge: wroteWindow,
					HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil})
			}
		}
		c.Next()
	}
}

// fromReplica lets h's reads be answered by a read replica — staff lists,
// dashboards and exports — unless the browser wrote a moment ago.
func fromReplica(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if _, err := c.Request.Cookie(wroteCookie); err != nil {
			c.Request = c.Request.WithContext(service.ReplicaReads(c.Request.Context()))
		}
		h(c)
	}
}
