package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

func init() {
	openapi3filter.RegisterBodyDecoder("image/png", openapi3filter.FileBodyDecoder)
}

// Contract is an OpenAPI document loaded and validated, with a router for
// the running server and a record of which answers were seen. A Client with
// a Contract checks every request and answer against it, and fails on
// fields the document does not declare.
type Contract struct {
	doc    *openapi3.T
	router routers.Router
	mu     sync.Mutex
	seen   map[string]map[int]bool // "GET /api/v1/cases/{no}" → statuses
}

// LoadContract loads the OpenAPI document file, validates it as OpenAPI 3
// and routes it to baseURL.
func LoadContract(t testing.TB, file, baseURL string) *Contract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(file)
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("%s is not valid OpenAPI 3: %v", file, err)
	}
	doc.Servers = openapi3.Servers{{URL: baseURL}}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return &Contract{doc: doc, router: r, seen: map[string]map[int]bool{}}
}

// AlsoServe routes the document to a second server too (one configured
// differently, such as with another payment provider), so that its answers
// count for the same coverage.
func (ct *Contract) AlsoServe(t testing.TB, baseURL string) {
	t.Helper()
	ct.mu.Lock()
	defer ct.mu.Unlock()
	ct.doc.Servers = append(ct.doc.Servers, &openapi3.Server{URL: baseURL})
	r, err := gorillamux.NewRouter(ct.doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	ct.router = r
}

// Client returns a new client of baseURL with an empty cookie jar that
// checks everything against the contract.
func (ct *Contract) Client(t testing.TB, baseURL string) *Client {
	return newClient(t, baseURL, ct, false)
}

func (ct *Contract) record(method, path string, status int) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	k := method + " " + path
	if ct.seen[k] == nil {
		ct.seen[k] = map[int]bool{}
	}
	ct.seen[k][status] = true
}

// Operations lists every documented operation as "METHOD path".
func (ct *Contract) Operations() []string {
	var out []string
	for path, item := range ct.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// CheckCoverage fails t for every documented operation that never gave a
// 2xx answer, and logs the documented statuses that were never seen.
func (ct *Contract) CheckCoverage(t testing.TB) {
	t.Helper()
	ct.mu.Lock()
	defer ct.mu.Unlock()
	var missing []string
	for _, op := range ct.Operations() {
		ok := false
		for st := range ct.seen[op] {
			if st >= 200 && st < 300 {
				ok = true
			}
		}
		if !ok {
			missing = append(missing, op)
		}
		method, path, _ := strings.Cut(op, " ")
		var unseen []string
		for code := range ct.doc.Paths.Find(path).GetOperation(method).Responses.Map() {
			var n int
			if _, err := fmt.Sscan(code, &n); err == nil && !ct.seen[op][n] && n != 503 {
				unseen = append(unseen, code)
			}
		}
		if len(unseen) > 0 {
			slices.Sort(unseen)
			t.Logf("documented but not exercised: %s → %s", op, strings.Join(unseen, ","))
		}
	}
	if len(missing) > 0 {
		t.Errorf("operations never answered with success: %s", strings.Join(missing, "; "))
	}
}

// checkIn is a request found in the document, kept to check its answer.
type checkIn = openapi3filter.RequestValidationInput

// checkRequest finds req in the document and, with checkBody, validates it.
// It returns nil (and fails t) for a request the document lacks.
func (ct *Contract) checkRequest(t testing.TB, req *http.Request, checkBody bool) *checkIn {
	t.Helper()
	ct.mu.Lock()
	router := ct.router
	ct.mu.Unlock()
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: not in the OpenAPI document: %v", req.Method, req.URL.RequestURI(), err)
		return nil
	}
	in := &checkIn{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if checkBody {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s: request does not follow the OpenAPI document: %v", req.Method, req.URL.RequestURI(), err)
		}
	}
	return in
}

// checkReply records the answer and validates it, with no undeclared field.
func (ct *Contract) checkReply(t testing.TB, in *checkIn, r Reply) {
	t.Helper()
	ct.record(r.Method, in.Route.Path, r.Status)
	rin := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Body: io.NopCloser(bytes.NewReader(r.Body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		t.Errorf("answer does not follow the OpenAPI document: %s\n%v", r, err)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || len(r.Body) == 0 {
		return
	}
	rr := in.Route.Operation.Responses.Status(r.Status)
	if rr == nil || rr.Value == nil {
		return
	}
	if mt := rr.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
		var v any
		_ = json.Unmarshal(r.Body, &v)
		if extra := undocumented([]*openapi3.Schema{mt.Schema.Value}, v, "$"); len(extra) > 0 {
			sort.Strings(extra)
			t.Errorf("%s %s → %d: fields not in the OpenAPI document: %v", r.Method, in.Route.Path, r.Status, extra)
		}
	}
}

// undocumented returns the paths of fields in v that no schema of ss
// declares (kin-openapi allows extra fields by default; the contract tests
// do not, so the document lists every field the code sends).
func undocumented(ss []*openapi3.Schema, v any, at string) []string {
	switch v := v.(type) {
	case map[string]any:
		return undocumentedFields(ss, v, at)
	case []any:
		var items []*openapi3.Schema
		var collect func(s *openapi3.Schema)
		collect = func(s *openapi3.Schema) {
			if s == nil {
				return
			}
			if s.Items != nil {
				items = append(items, s.Items.Value)
			}
			for _, sub := range s.AllOf {
				collect(sub.Value)
			}
		}
		for _, s := range ss {
			collect(s)
		}
		var out []string
		for i, e := range v {
			out = append(out, undocumented(items, e, fmt.Sprintf("%s[%d]", at, i))...)
		}
		return out
	}
	return nil
}

// undocumentedFields is undocumented for an object.
func undocumentedFields(ss []*openapi3.Schema, v map[string]any, at string) []string {
	props := map[string][]*openapi3.Schema{}
	var extra []*openapi3.Schema
	open := false
	var collect func(s *openapi3.Schema)
	collect = func(s *openapi3.Schema) {
		if s == nil {
			return
		}
		for k, p := range s.Properties {
			props[k] = append(props[k], p.Value)
		}
		if ap := s.AdditionalProperties; ap.Schema != nil {
			extra = append(extra, ap.Schema.Value)
		} else if ap.Has != nil && *ap.Has {
			open = true
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range group {
				collect(sub.Value)
			}
		}
	}
	for _, s := range ss {
		collect(s)
	}
	if len(props) == 0 && len(extra) == 0 {
		return nil // a free-form object
	}
	var out []string
	for k, val := range v {
		p, ok := props[k]
		switch {
		case ok:
			out = append(out, undocumented(p, val, at+"."+k)...)
		case len(extra) > 0:
			out = append(out, undocumented(extra, val, at+"."+k)...)
		case !open:
			out = append(out, at+"."+k)
		}
	}
	return out
}
