package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/fault"
	"github.com/gzga/idcard/backend/internal/service"
)

// pages holds every staff page, parsed once at start-up: each page file is
// parsed together with layout.html, so a broken or missing template stops
// the service before it serves.
type pages map[string]*template.Template

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"statusLabel":     func(s string) string { return domain.Status(s).Label() },
		"kindLabel":       func(s string) string { return domain.Kind(s).Label() },
		"collectionLabel": func(s string) string { return domain.Collection(s).Label() },
		"roleLabel":       func(s string) string { return domain.Role(s).Label() },
		"actionLabel":     func(s string) string { return domain.Action(s).Label() },
		"short": func(s string) string { // RFC 3339 → "2006-01-02 15:04"
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return t.In(calendar.Location()).Format("2006-01-02 15:04")
		},
		"shortp": func(s *string) string {
			if s == nil {
				return "—"
			}
			t, err := time.Parse(time.RFC3339, *s)
			if err != nil {
				return *s
			}
			return t.In(calendar.Location()).Format("2006-01-02 15:04")
		},
		"deref": func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		},
		"derefInt": func(i *int) int {
			if i == nil {
				return 0
			}
			return *i
		},
		"hasPrefix": strings.HasPrefix,
		"add":       func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
	}
}

// loadPages parses templates/layout.html with every other .html file,
// each with its /static/ links rewritten to the assets' hashed URLs.
func loadPages(fsys fs.FS, rewrite func(string) string) (pages, error) {
	parse := func(t *template.Template, p string) (*template.Template, error) {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		if name := path.Base(p); name != t.Name() {
			t = t.New(name)
		}
		return t.Parse(rewrite(string(b)))
	}
	layout, err := parse(template.New("layout.html").Funcs(templateFuncs()), "layout.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	out := pages{}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" || p == "layout.html" {
			return err
		}
		t, err := parse(template.Must(layout.Clone()), p)
		if err != nil {
			return fmt.Errorf("templates: %s: %w", p, err)
		}
		out[p] = t
		return nil
	})
	return out, err
}

// Names lists the parsed pages.
func (p pages) Names() []string {
	out := make([]string, 0, len(p))
	for n := range p {
		out = append(out, n)
	}
	return out
}

// pageData is what every page gets.
type pageData struct {
	Title string
	Me    *service.StaffMe
	Nav   string // the active menu entry
	Flash string
	Error string
	Data  any
}

// render writes a page; a rendering error is logged and answered 500
// without a half-written page.
func (s *Server) render(c *gin.Context, status int, name string, d pageData) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such page", "page", name)
		c.String(http.StatusInternalServerError, "页面不存在")
		return
	}
	if s.deps.Sessions != nil {
		if d.Flash == "" {
			d.Flash = s.deps.Sessions.Staff.PopString(c.Request.Context(), "flash")
		}
		if d.Error == "" {
			d.Error = s.popError(c)
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", d); err != nil {
		s.log.Error("render", "page", name, "error", err)
		c.String(http.StatusInternalServerError, "页面渲染失败")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// flash keeps a message for the next page the staff member sees.
func (s *Server) flash(c *gin.Context, msg string) {
	s.deps.Sessions.Staff.Put(c.Request.Context(), "flash", msg)
}

// flashError keeps a refusal for the next page, shown once in red (after a
// redirect-after-post that did not go through).
func (s *Server) flashError(c *gin.Context, msg string) {
	s.deps.Sessions.Staff.Put(c.Request.Context(), "flash_error", msg)
}

// popError takes the refusal kept by flashError, if any.
func (s *Server) popError(c *gin.Context) string {
	return s.deps.Sessions.Staff.PopString(c.Request.Context(), "flash_error")
}

// staffPage is the signed-in staff member of a page request, or a redirect
// to the sign-in page.
func (s *Server) staffPage(c *gin.Context) (service.Actor, *service.StaffMe, bool) {
	id := s.deps.Sessions.Staff.GetInt64(c.Request.Context(), keyStaff)
	if id == 0 {
		c.Redirect(http.StatusSeeOther, "/staff/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return service.Actor{}, nil, false
	}
	// One load gives both the actor and what the layout shows of it.
	a, me, err := s.deps.Service.StaffSession(c.Request.Context(), id, c.ClientIP())
	if err != nil && !signedOut(err) {
		s.pageError(c, nil, err)
		return service.Actor{}, nil, false
	}
	if err != nil {
		_ = s.deps.Sessions.Staff.Destroy(c.Request.Context())
		c.Redirect(http.StatusSeeOther, "/staff/login")
		c.Abort()
		return service.Actor{}, nil, false
	}
	if !s.firstThings(c, a, &me) {
		return service.Actor{}, nil, false
	}
	return a, &me, true
}

// pageError shows an error page with the code's Chinese message and status;
// a denial shows no data.
func (s *Server) pageError(c *gin.Context, me *service.StaffMe, err error) {
	err = fault.Classify(err)
	code := domain.ErrorCode(err)
	status := httpStatus(code)
	s.render(c, status, "staff/error.html", pageData{Title: "无法完成", Me: me, Error: domain.ErrorMessage(err),
		Data: map[string]any{"Title": errorTitle(status), "Code": string(code), "Status": status, "Back": c.Request.Referer()}})
	c.Abort()
}

// requireRole answers FORBIDDEN unless the actor has one of the roles.
func (s *Server) requireRole(c *gin.Context, a service.Actor, me *service.StaffMe, roles ...domain.Role) bool {
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	s.pageError(c, me, domain.Errorf(domain.CodeForbidden, "您的岗位（%s）无权使用此页面", a.Role.Label()))
	return false
}
