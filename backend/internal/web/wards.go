package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// meWards: GET /api/v1/me/wards — the children under 16 bound to the account.
func (s *Server) meWards(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	list, err := s.deps.Service.Wards(c.Request.Context(), a)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, items(list))
}

// meWardAdd: POST /api/v1/me/wards {"name","id_number"} — binds a child the
// registry records the account's person as the guardian of.
func (s *Server) meWardAdd(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	var in struct {
		Name     string `json:"name"`
		IDNumber string `json:"id_number"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	w, err := s.deps.Service.AddWard(c.Request.Context(), a, in.Name, in.IDNumber)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, w)
}
