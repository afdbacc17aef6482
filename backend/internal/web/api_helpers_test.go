package web_test

// Helpers of the contract tests (openapi_test.go, api_matrix_test.go): an
// HTTP client that sends real requests to a running service and checks each
// request and answer against openapi.yaml with kin-openapi.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

func init() {
	openapi3filter.RegisterBodyDecoder("image/png", openapi3filter.FileBodyDecoder)
}

// contract is openapi.yaml loaded and validated, with a router for the
// running server and a record of which answers were seen.
type oaContract struct {
	doc    *openapi3.T
	router routers.Router
	mu     sync.Mutex
	seen   map[string]map[int]bool // "GET /api/v1/cases/{no}" → statuses
}

// loadContract loads openapi.yaml, validates it as OpenAPI 3 and routes it
// to baseURL.
func oaLoadContract(t testing.TB, baseURL string) *oaContract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("openapi.yaml")
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI 3: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: baseURL}}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return &oaContract{doc: doc, router: r, seen: map[string]map[int]bool{}}
}

func (ct *oaContract) record(method, path string, status int) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	k := method + " " + path
	if ct.seen[k] == nil {
		ct.seen[k] = map[int]bool{}
	}
	ct.seen[k][status] = true
}

// operations lists every documented operation as "METHOD path".
func (ct *oaContract) operations() []string {
	var out []string
	for path, item := range ct.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// checkCoverage fails t for every documented operation that never gave a
// 2xx answer, and logs the documented statuses that were never seen.
func (ct *oaContract) checkCoverage(t testing.TB) {
	t.Helper()
	ct.mu.Lock()
	defer ct.mu.Unlock()
	var missing []string
	for _, op := range ct.operations() {
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

// oaUndocumented returns the paths of fields in v that no schema of ss
// declares (kin-openapi allows extra fields by default; the contract tests
// do not, so the document lists every field the code sends).
func oaUndocumented(ss []*openapi3.Schema, v any, at string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
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
		for k, val := range v {
			p, ok := props[k]
			switch {
			case ok:
				out = append(out, oaUndocumented(p, val, at+"."+k)...)
			case len(extra) > 0:
				out = append(out, oaUndocumented(extra, val, at+"."+k)...)
			case !open:
				out = append(out, at+"."+k)
			}
		}
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
		for i, e := range v {
			out = append(out, oaUndocumented(items, e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	return out
}

// oaReply is one answer.
type oaReply struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

func (r oaReply) String() string {
	b := r.body
	if len(b) > 600 {
		b = b[:600]
	}
	return fmt.Sprintf("%s %s → %d %s", r.method, r.path, r.status, b)
}

// obj decodes the body as a JSON object.
func (r oaReply) obj() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return m
}

// code is the error code of an error answer.
func (r oaReply) code() string {
	e, _ := r.obj()["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// str returns a string field of the JSON object (dotted path).
func (r oaReply) str(path string) string {
	v := oaDig(r.obj(), path)
	s, _ := v.(string)
	return s
}

// num returns a number field of the JSON object (dotted path).
func (r oaReply) num(path string) int64 {
	f, _ := oaDig(r.obj(), path).(float64)
	return int64(f)
}

func oaDig(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// oaRaw is sent as is with Content-Type application/json and skips the
// request check: the malformed-request tests send what the document forbids.
type oaRaw []byte

// oaUpload is a multipart/form-data upload of one file.
type oaUpload struct {
	field, filename string
	data            []byte
}

// oaClient sends requests to the service: with a cookie jar (the H5 and
// staff pages) or a bearer token (the mini-program and outside systems).
type oaClient struct {
	t      testing.TB
	base   string
	hc     *http.Client
	token  string
	ct     *oaContract // nil: no contract checks
	reqChk bool        // also check requests against the document
}

func oaNewClient(t testing.TB, base string, ct *oaContract) *oaClient {
	jar, _ := cookiejar.New(nil)
	return &oaClient{t: t, base: base, ct: ct, reqChk: true,
		hc: &http.Client{Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// bearer returns a client that authenticates with the token and no cookies.
func (c *oaClient) bearer(token string) *oaClient {
	n := oaNewClient(c.t, c.base, c.ct)
	n.reqChk, n.token = c.reqChk, token
	return n
}

// unchecked returns the same client without the request check, for
// requests that break the document on purpose (the answer is still checked).
func (c *oaClient) unchecked() *oaClient {
	n := *c
	n.reqChk = false
	return &n
}

// anonymous returns a client with no session, sharing the contract.
func (c *oaClient) anonymous() *oaClient {
	n := oaNewClient(c.t, c.base, c.ct)
	n.reqChk = c.reqChk
	return n
}

func (c *oaClient) get(path string) oaReply { return c.do(http.MethodGet, path, nil, nil) }

func (c *oaClient) post(path string, body any) oaReply { return c.do(http.MethodPost, path, body, nil) }

// do sends one request and checks it and its answer against the contract.
// body is nil (none), oaRaw, oaUpload, or a value sent as JSON.
func (c *oaClient) do(method, path string, body any, hdr map[string]string) oaReply {
	c.t.Helper()
	var data []byte
	ctype := ""
	checkReq := c.reqChk
	switch b := body.(type) {
	case nil:
	case oaRaw:
		data, ctype, checkReq = b, "application/json", false
	case oaUpload:
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		if b.field != "" {
			fw, err := w.CreateFormFile(b.field, b.filename)
			if err != nil {
				c.t.Fatal(err)
			}
			_, _ = fw.Write(b.data)
		} else {
			_ = w.WriteField("note", "no file")
		}
		_ = w.Close()
		data, ctype = buf.Bytes(), w.FormDataContentType()
		// kin-openapi cannot check a binary part against the schema's
		// string; the answer is what counts here.
		checkReq = false
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			c.t.Fatal(err)
		}
		ctype = "application/json"
	}
	newReq := func() *http.Request {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(data)
		}
		req, err := http.NewRequest(method, c.base+path, rd)
		if err != nil {
			c.t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Accept", "application/json")
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return req
	}
	var in *openapi3filter.RequestValidationInput
	if c.ct != nil {
		req := newReq()
		route, params, err := c.ct.router.FindRoute(req)
		if err != nil {
			c.t.Errorf("%s %s: not in openapi.yaml: %v", method, path, err)
		} else {
			in = &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
			if checkReq {
				if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
					c.t.Errorf("%s %s: request does not follow openapi.yaml: %v", method, path, err)
				}
			}
		}
	}
	// Errorf, not Fatalf: do may run on other goroutines.
	res, err := c.hc.Do(newReq())
	if err != nil {
		c.t.Errorf("%s %s: %v", method, path, err)
		return oaReply{method: method, path: path}
	}
	defer res.Body.Close()
	rb, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Errorf("%s %s: read: %v", method, path, err)
	}
	r := oaReply{method: method, path: path, status: res.StatusCode, header: res.Header, body: rb}
	if r.status >= 500 {
		c.t.Errorf("server error: %s", r)
	}
	if in != nil {
		c.ct.record(method, in.Route.Path, r.status)
		rin := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.status, Header: res.Header,
			Body: io.NopCloser(bytes.NewReader(rb)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
		if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
			c.t.Errorf("answer does not follow openapi.yaml: %s\n%v", r, err)
		} else if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && len(rb) > 0 {
			if rr := in.Route.Operation.Responses.Status(r.status); rr != nil && rr.Value != nil {
				if mt := rr.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					var v any
					_ = json.Unmarshal(rb, &v)
					if extra := oaUndocumented([]*openapi3.Schema{mt.Schema.Value}, v, "$"); len(extra) > 0 {
						sort.Strings(extra)
						c.t.Errorf("%s %s → %d: fields not in openapi.yaml: %v", method, in.Route.Path, r.status, extra)
					}
				}
			}
		}
	}
	return r
}

// oaWant fails t unless r has the status and, for an error, the code.
func oaWant(t testing.TB, r oaReply, status int, code string) oaReply {
	t.Helper()
	if r.status != status || (code != "" && r.code() != code) {
		t.Fatalf("want %d %s, got %s", status, code, r)
	}
	return r
}

// oaSMSSignIn signs c in by phone and SMS code.
func oaSMSSignIn(t testing.TB, c *oaClient, codeOf func(string) string, phone string) oaReply {
	t.Helper()
	oaWant(t, c.post("/api/v1/auth/sms", map[string]any{"phone": phone}), http.StatusNoContent, "")
	code := codeOf(phone)
	if code == "" {
		t.Fatalf("no SMS code logged for %s", phone)
	}
	return oaWant(t, c.post("/api/v1/auth/phone", map[string]any{"phone": phone, "code": code}), http.StatusOK, "")
}

// oaStaff signs a demo staff member in and returns the bearer client.
func oaStaff(t testing.TB, c *oaClient, username string) *oaClient {
	t.Helper()
	r := oaWant(t, c.anonymous().post("/api/v1/staff/auth/login", map[string]any{"username": username, "password": "demo1234"}), http.StatusOK, "")
	return c.bearer(r.str("token"))
}

// oaPhoto is a JPEG that meets GA 461: 358×441 on a white background with
// a grey head and shoulders.
func oaPhoto(t testing.TB, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 358, 441))
	for y := 0; y < 441; y++ {
		for x := 0; x < 358; x++ {
			c := color.RGBA{255, 255, 255, 255}
			dx, dy := float64(x-179)/70, float64(y-200)/90
			if dx*dx+dy*dy < 1 || (y > 320 && x > 60 && x < 298) {
				c = color.RGBA{shade, shade, shade, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
