package web

import "github.com/gin-gonic/gin"

func (s *Server) casePageRoutes(g *gin.RouterGroup) {}
