package webtest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// recorder is a testing.TB that keeps the failures a Client reports.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) failures() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

// TestContractClientReports proves the hook checks: an answer that follows
// the document passes, a path the document lacks and a request body it
// forbids are reported, and Unchecked skips only the request check.
func TestContractClientReports(t *testing.T) {
	env := Start(t)
	ct := LoadContract(t, "../openapi.yaml", env.URL)

	ok := &recorder{TB: t}
	Want(t, ct.Client(ok, env.URL).Get("/api/v1/config"), http.StatusOK, "")
	if f := ok.failures(); f != "" {
		t.Fatalf("a documented answer was reported: %s", f)
	}

	lost := &recorder{TB: t}
	ct.Client(lost, env.URL).Get("/api/v1/no-such-thing")
	if f := lost.failures(); !strings.Contains(f, "not in the OpenAPI document") {
		t.Fatalf("an undocumented path was not reported: %q", f)
	}

	bad := &recorder{TB: t}
	ct.Client(bad, env.URL).Post("/api/v1/auth/sms", map[string]any{"phone": 13800000001})
	if f := bad.failures(); !strings.Contains(f, "request does not follow") {
		t.Fatalf("a request against the schema was not reported: %q", f)
	}
	raw := &recorder{TB: t}
	Want(t, ct.Client(raw, env.URL).Unchecked().Post("/api/v1/auth/sms", map[string]any{"phone": 13800000001}), http.StatusBadRequest, "")
	if f := raw.failures(); f != "" {
		t.Fatalf("an unchecked request was reported: %s", f)
	}
}

// TestUndocumentedFields lists the fields no schema declares, through
// allOf and arrays, and none of an open object's.
func TestUndocumentedFields(t *testing.T) {
	str := openapi3.NewStringSchema()
	item := openapi3.NewObjectSchema().WithProperty("no", str)
	base := openapi3.NewObjectSchema().WithProperty("id", str)
	s := &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: base}, {Value: openapi3.NewObjectSchema().WithProperty("items", openapi3.NewArraySchema().WithItems(item))}}}
	v := map[string]any{"id": "1", "extra": 1, "items": []any{map[string]any{"no": "GZ1", "secret": "x"}}}
	got := strings.Join(undocumented([]*openapi3.Schema{s}, v, "$"), " ")
	if !strings.Contains(got, "$.extra") || !strings.Contains(got, "$.items[0].secret") || strings.Contains(got, "$.id") || strings.Contains(got, ".no") {
		t.Fatalf("undocumented: %q", got)
	}
	open := openapi3.NewObjectSchema().WithProperty("a", str).WithAnyAdditionalProperties()
	if got := undocumented([]*openapi3.Schema{open}, map[string]any{"a": "x", "b": 1}, "$"); len(got) != 0 {
		t.Fatalf("an open object's extra field was listed: %v", got)
	}
}
