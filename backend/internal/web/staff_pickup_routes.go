package web

import "github.com/gin-gonic/gin"

func (s *Server) pickupPageRoutes(g *gin.RouterGroup) {}
