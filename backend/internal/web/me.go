package web

import "github.com/gin-gonic/gin"

// me: GET /api/v1/me.
func (s *Server) me(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	m, err := s.deps.Service.Me(c.Request.Context(), a)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, m)
}

// meIdentity: POST /api/v1/me/identity {"name","id_number"}.
func (s *Server) meIdentity(c *gin.Context) {
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
	m, err := s.deps.Service.BindIdentity(c.Request.Context(), a, in.Name, in.IDNumber)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, m)
}
