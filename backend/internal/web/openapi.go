package web

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openapiYAML is the OpenAPI 3 document of the whole API, the contract
// clients are written against. The tests check real responses of every endpoint
// against it, so it cannot drift from the code.
//
//go:embed openapi.yaml
var openapiYAML []byte

// openapi: GET /api/openapi.yaml — the OpenAPI 3 document (public).
func (s *Server) openapi(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/yaml", openapiYAML)
}
