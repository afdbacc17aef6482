package web

import "github.com/gin-gonic/gin"

func (s *Server) supervisorPageRoutes(g *gin.RouterGroup) {}
