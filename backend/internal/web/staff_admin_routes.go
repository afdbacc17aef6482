package web

import "github.com/gin-gonic/gin"

func (s *Server) adminPageRoutes(g *gin.RouterGroup) {}
