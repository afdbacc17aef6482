// Package web is the HTTP side of the service: the /api/v1 JSON API, the
// staff pages, the citizen H5, service endpoints and the middleware around
// them. Handlers call the service layer; they never touch the database.
package web

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/session"
	"github.com/gzga/idcard/backend/internal/signin"
)

// Check is one dependency that /readyz asks.
type Check struct {
	Name string
	Ping func(context.Context) error
}

// Deps is what the HTTP layer needs; main builds it.
type Deps struct {
	Logger   *slog.Logger
	Checks   []Check
	DB       *sql.DB // pool metrics only
	Sessions *session.Managers
	Service  *service.Service
	SignIn   *signin.Service
	// OfficialAccount is the 贵州110 account's web authorization; nil in
	// demo mode, where /m/wechat/login signs in with a demo openid.
	OfficialAccount *signin.OfficialAccount
	Frontend        fs.FS    // the citizen H5, served at /m/
	Static          fs.FS    // staff assets and vendored npm files, served at /static/
	Templates       fs.FS    // staff pages (html/template), parsed at start-up
	TrustedProxies  []string // load balancers allowed to set X-Forwarded-For
	// Draining reports that the instance is about to stop: /readyz then
	// answers 503 so the load balancer sends no new requests. Nil = never.
	Draining func() bool
}

// Server routes requests; it is an http.Handler.
type Server struct {
	deps    Deps
	log     *slog.Logger
	metrics *metrics
	engine  *gin.Engine
	handler http.Handler
	pages   pages
	assets  *assets // the H5 and the staff assets, hashed and compressed
}

// New builds the router with every route and middleware.
func New(d Deps) (*Server, error) {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{deps: d, log: d.Logger, metrics: newMetrics(d.DB, d.Service)}
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RemoveExtraSlash = true
	// Only the configured proxies (loopback by default) are trusted for
	// X-Forwarded-For, so a client cannot pick the IP its rate limits and
	// audit entries are keyed by.
	proxies := d.TrustedProxies
	if proxies == nil {
		proxies = []string{"127.0.0.1", "::1"}
	}
	if err := e.SetTrustedProxies(proxies); err != nil {
		return nil, fmt.Errorf("IDCARD_TRUSTED_PROXIES: %w", err)
	}
	e.Use(s.observeRequests(), s.recoverPanics(), securityHeaders(d.Sessions != nil && d.Sessions.Staff.Cookie.Secure), stickyPrimary())
	as, err := newAssets(
		assetMount{prefix: "/m/", fsys: d.Frontend, docBase: "/m/"},
		assetMount{prefix: "/static/", fsys: d.Static},
	)
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	s.assets = as
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	e.GET("/api/openapi.yaml", s.openapi)
	if d.Frontend != nil {
		e.GET("/m/*path", s.h5())
		e.HEAD("/m/*path", s.h5())
		e.GET("/m", func(c *gin.Context) { c.Redirect(http.StatusFound, "/m/") })
		e.HEAD("/m", func(c *gin.Context) { c.Redirect(http.StatusFound, "/m/") })
	}
	if d.Static != nil {
		e.GET("/static/*path", s.staticFiles)
		e.HEAD("/static/*path", s.staticFiles)
	}
	e.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, "/m/") })
	e.NoRoute(func(c *gin.Context) { writeError(c, errNotFound) })
	e.NoMethod(func(c *gin.Context) { writeError(c, errMethod) })
	if d.Service != nil {
		s.apiRoutes(e.Group("/api/v1"))
	}
	if d.Templates != nil && d.Service != nil {
		p, err := loadPages(d.Templates, as.RewriteHTML)
		if err != nil {
			return nil, err
		}
		s.pages = p
		e.GET("/staff", func(c *gin.Context) { c.Redirect(http.StatusFound, "/staff/") })
		s.staffRoutes(e.Group("/staff"))
	}
	s.engine = e
	// Cross-origin state-changing browser requests are refused (CSRF); bearer
	// clients send no Origin or Sec-Fetch-Site and pass.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answerError(w, r, http.StatusForbidden, domain.CodeForbidden, "跨站请求已被拒绝")
	}))
	s.handler = s.withErrorPages(cop.Handler(s.withSessions(e)))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// healthz says the process is alive; it asks nothing else.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz asks every dependency, each within a short bound, and answers 503
// naming the ones that do not answer — or naming "instance" while the
// instance drains before a stop.
func (s *Server) readyz(c *gin.Context) {
	if s.deps.Draining != nil && s.deps.Draining() {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "down": []string{"instance"}, "checks": gin.H{"instance": "down"}})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	type result struct {
		name string
		err  error
	}
	ch := make(chan result, len(s.deps.Checks))
	for _, chk := range s.deps.Checks {
		go func() { ch <- result{chk.Name, chk.Ping(ctx)} }()
	}
	status := gin.H{}
	var down []string
	for range s.deps.Checks {
		r := <-ch
		if r.err != nil {
			status[r.name] = "down"
			down = append(down, r.name)
			s.log.Warn("readiness check failed", "dependency", r.name, "error", r.err)
		} else {
			status[r.name] = "ok"
		}
	}
	if len(down) > 0 {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "down": down, "checks": status})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": status})
}
