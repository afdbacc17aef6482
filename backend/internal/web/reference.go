package web

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
)

// offices: GET /api/v1/offices?kind=station&division=CODE (public).
func (s *Server) offices(c *gin.Context) {
	list, err := s.deps.Service.Offices(c.Request.Context(), c.Query("kind"), c.Query("division"))
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, items(list))
}

// divisions: GET /api/v1/divisions?parent=CODE (public).
func (s *Server) divisions(c *gin.Context) {
	list, err := s.deps.Service.Divisions(c.Request.Context(), c.Query("parent"))
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, items(list))
}

// eligibility: GET /api/v1/eligibility.
func (s *Server) eligibility(c *gin.Context) {
	a, okA := s.applicantActor(c)
	if !okA {
		return
	}
	var wardID *int64
	if v := c.Query("ward_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			writeError(c, domain.Errorf(domain.CodeBadRequest, "ward_id 应为数字"))
			return
		}
		wardID = &id
	}
	e, err := s.deps.Service.Eligibility(c.Request.Context(), a, wardID)
	if err != nil {
		writeError(c, err)
		return
	}
	ok(c, e)
}

// deadline: GET /api/v1/deadline?from=RFC3339|now — every due time of the
// procedure for an event at that time (public; the H5 shows the legal due
// date before submitting).
func (s *Server) deadline(c *gin.Context) {
	from := time.Now()
	if v := c.Query("from"); v != "" && v != "now" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(c, domain.Errorf(domain.CodeBadRequest, "from 应为RFC 3339时间，如 2026-10-01T09:00:00+08:00"))
			return
		}
		from = t
	}
	ok(c, s.deps.Service.Calendar().Deadlines(from))
}

// clientConfig: GET /api/v1/config — what clients may offer (public).
func (s *Server) clientConfig(c *gin.Context) {
	ok(c, gin.H{"demo": s.deps.SignIn.Demo(), "wechat_oauth": s.deps.OfficialAccount != nil})
}
