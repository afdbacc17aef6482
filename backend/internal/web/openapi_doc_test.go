package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

func oaLoadEmbeddedDoc(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapiYAML)
	if err != nil {
		t.Fatalf("embedded openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("embedded openapi.yaml is not valid OpenAPI 3: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Fatalf("openapi: %s, want 3.0.3", doc.OpenAPI)
	}
	return doc
}

var oaGinParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestOpenAPIDocumentsEveryRoute compares the router with the document:
// every route of the API and the service endpoints is documented, and
// every documented operation is routed.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := oaLoadEmbeddedDoc(t)
	s, err := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Service: &service.Service{}})
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, r := range s.engine.Routes() {
		switch {
		case r.Path == "/healthz", r.Path == "/readyz", r.Path == "/metrics", len(r.Path) > 5 && r.Path[:5] == "/api/":
			routed[r.Method+" "+oaGinParam.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	var undocumented, unrouted []string
	for op := range routed {
		if !documented[op] {
			undocumented = append(undocumented, op)
		}
	}
	for op := range documented {
		if !routed[op] {
			unrouted = append(unrouted, op)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unrouted)
	if len(undocumented) > 0 {
		t.Errorf("routes missing from openapi.yaml: %v", undocumented)
	}
	if len(unrouted) > 0 {
		t.Errorf("operations of openapi.yaml that no route serves: %v", unrouted)
	}
}

// TestOpenAPIErrorCodes checks the error schemas against the code: the
// ErrorCode enum is domain.AllCodes, and each status's schema lists exactly
// the codes that httpStatus maps to that status.
func TestOpenAPIErrorCodes(t *testing.T) {
	doc := oaLoadEmbeddedDoc(t)
	enum := func(s *openapi3.Schema) []string {
		var out []string
		for _, v := range s.Enum {
			out = append(out, v.(string))
		}
		sort.Strings(out)
		return out
	}
	var all []string
	byStatus := map[int][]string{}
	for _, c := range domain.AllCodes() {
		all = append(all, string(c))
		if c != domain.CodeInternal {
			st := httpStatus(c)
			byStatus[st] = append(byStatus[st], string(c))
			// A sign-in answers some codes with another status (BAD_OTP: 401).
			if si := signInStatus(c); si != st {
				byStatus[si] = append(byStatus[si], string(c))
			}
		}
	}
	sort.Strings(all)
	if got := enum(doc.Components.Schemas["ErrorCode"].Value); !slices.Equal(got, all) {
		t.Errorf("ErrorCode enum\n got %v\nwant %v", got, all)
	}
	for st, codes := range byStatus {
		sort.Strings(codes)
		name := "Error" + strconv.Itoa(st)
		ref := doc.Components.Schemas[name]
		if ref == nil {
			t.Errorf("no schema %s for %v", name, codes)
			continue
		}
		code := ref.Value.AllOf[1].Value.Properties["error"].Value.Properties["code"].Value
		if got := enum(code); !slices.Equal(got, codes) {
			t.Errorf("%s codes\n got %v\nwant %v", name, got, codes)
		}
	}
	// Every error answer of every operation uses the schema of its status.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status, rr := range op.Responses.Map() {
				n, _ := strconv.Atoi(status)
				if n < 400 || (path == "/readyz" && n == 503) {
					continue
				}
				mt := rr.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/Error"+status {
					t.Errorf("%s %s %s: the answer is not #/components/schemas/Error%s", method, path, status, status)
				}
				if n == http.StatusTooManyRequests && rr.Value.Headers["Retry-After"] == nil {
					t.Errorf("%s %s 429 without Retry-After", method, path)
				}
			}
		}
	}
}

// TestOpenAPIHandler serves the embedded document as application/yaml.
func TestOpenAPIHandler(t *testing.T) {
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, "/api/openapi.yaml", nil)
	(&Server{}).openapi(c)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/yaml" || rec.Body.String() != string(openapiYAML) {
		t.Fatalf("%d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}
