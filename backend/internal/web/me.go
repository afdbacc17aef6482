package web

import (
	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
)

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

// meAccessLog: GET /api/v1/me/access-log — who looked at my personal data.
func (s *Server) meAccessLog(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	l, err := s.deps.Service.MyAccessLog(c.Request.Context(), a)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, l)
}

// claim reads the name and ID number of a binding or a verification,
// checked as the registry compares them.
func claim(name, idNumber string) (string, domain.IDNumber, error) {
	id, err := domain.ParseIDNumber(idNumber)
	if err != nil {
		return "", "", err
	}
	name, err = domain.CleanText("姓名", name, 32)
	return name, id, err
}

// registryClaim reads a claim and checks it against the registry; on a bad
// one it writes the error and reports false.
func (s *Server) registryClaim(c *gin.Context, rawName, rawID string) (string, domain.IDNumber, bool) {
	name, id, err := claim(rawName, rawID)
	if err == nil {
		err = s.deps.Service.CheckIdentity(c.Request.Context(), name, id)
	}
	if err != nil {
		writeError(c, err)
		return "", "", false
	}
	return name, id, true
}

// meVerification: POST /api/v1/me/verification {"name","id_number","return_url"?}
// starts the H5's real-person verification. The registry is checked first,
// so a typo costs no face check.
func (s *Server) meVerification(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	var in struct {
		Name      string `json:"name"`
		IDNumber  string `json:"id_number"`
		ReturnURL string `json:"return_url"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	ctx := c.Request.Context()
	name, id, okC := s.registryClaim(c, in.Name, in.IDNumber)
	if !okC {
		return
	}
	provider, u, err := s.deps.SignIn.StartRealPerson(ctx, a.ID, name, id, in.ReturnURL)
	if err != nil {
		writeError(c, err)
		return
	}
	out := gin.H{"provider": provider}
	if u != "" {
		out["verify_url"] = u
	}
	ok(c, out)
}

// meIdentity: POST /api/v1/me/identity {"name","id_number","verify_result"}:
// the claim is checked against the registry, signin confirms the
// real-person verification, and the service spends it on the binding.
func (s *Server) meIdentity(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	var in struct {
		Name         string `json:"name"`
		IDNumber     string `json:"id_number"`
		VerifyResult string `json:"verify_result"`
	}
	if !bindJSON(c, &in, false) {
		return
	}
	ctx := c.Request.Context()
	name, id, okC := s.registryClaim(c, in.Name, in.IDNumber)
	if !okC {
		return
	}
	proof, err := s.deps.SignIn.ConfirmRealPerson(ctx, a.ID, name, id, in.VerifyResult)
	if err != nil {
		writeError(c, err)
		return
	}
	m, err := s.deps.Service.BindIdentity(ctx, a, name, string(id), proof)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, m)
}
