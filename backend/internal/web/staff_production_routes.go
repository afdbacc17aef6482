package web

import "github.com/gin-gonic/gin"

func (s *Server) productionPageRoutes(g *gin.RouterGroup) {}
