package webtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Client sends requests to a running service as a test would: with a cookie
// jar (the H5 and the staff pages) or a bearer token (the mini-program, the
// staff API and outside systems). It never follows redirects unless made
// with Following, and it checks every request and answer against the
// OpenAPI document when it has a Contract.
type Client struct {
	t        testing.TB
	base     string
	hc       *http.Client
	token    string
	contract *Contract
	reqCheck bool
	follow   bool
	// unavailableOK lets a 503 through without failing the test (a test
	// that takes a dependency down on purpose).
	unavailableOK bool
}

// NewClient returns a client of the service at base with an empty cookie
// jar and no contract checks.
func NewClient(t testing.TB, base string) *Client {
	return newClient(t, base, nil, false)
}

func newClient(t testing.TB, base string, ct *Contract, follow bool) *Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{t: t, base: base, contract: ct, reqCheck: true, follow: follow}
	c.hc = &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		if c.follow {
			return nil
		}
		return http.ErrUseLastResponse
	}}
	return c
}

// Unchecked returns the same client without the request check, for requests
// that break the document on purpose (the answer is still checked).
func (c *Client) Unchecked() *Client {
	n := c.copy()
	n.reqCheck = false
	return n
}

// Unavailable returns the same client, sharing its cookies, for a test that
// takes a dependency down: a 503 answer is then what it checks, not a
// failure.
func (c *Client) Unavailable() *Client {
	n := c.copy()
	n.unavailableOK = true
	return n
}

// Following returns the same client, sharing its cookies, that follows
// redirects as a browser does; Reply.URL is then the page it landed on.
func (c *Client) Following() *Client {
	n := c.copy()
	n.follow = true
	return n
}

// copy shares the cookie jar but has its own redirect policy.
func (c *Client) copy() *Client {
	n := *c
	hc := *c.hc
	n.hc = &hc
	p := &n
	hc.CheckRedirect = func(*http.Request, []*http.Request) error {
		if p.follow {
			return nil
		}
		return http.ErrUseLastResponse
	}
	return p
}

// Bearer returns a client that authenticates with the token and no cookies,
// with the same contract.
func (c *Client) Bearer(token string) *Client {
	n := newClient(c.t, c.base, c.contract, c.follow)
	n.reqCheck, n.token = c.reqCheck, token
	return n
}

// Anonymous returns a client with no session and the same contract.
func (c *Client) Anonymous() *Client {
	n := newClient(c.t, c.base, c.contract, c.follow)
	n.reqCheck = c.reqCheck
	return n
}

// Raw is a request body sent as is with Content-Type application/json; it
// skips the request check, as the malformed-request tests send what the
// document forbids.
type Raw []byte

// Upload is a multipart/form-data body: the fields of Fields, then one file
// in the part Field; an empty Field sends no file.
type Upload struct {
	Field, Filename string
	Data            []byte
	Fields          url.Values
}

// Get sends a GET.
func (c *Client) Get(path string) Reply { c.t.Helper(); return c.Do(http.MethodGet, path, nil, nil) }

// Post sends a POST; body is encoded as Do says.
func (c *Client) Post(path string, body any) Reply {
	c.t.Helper()
	return c.Do(http.MethodPost, path, body, nil)
}

// Do sends one request with the extra headers hdr. body is nil (none),
// url.Values (an HTML form), Upload, Raw, or any other value, sent as JSON.
// A 5xx answer fails the test; with a contract the request and the answer
// are checked against the document.
func (c *Client) Do(method, path string, body any, hdr map[string]string) Reply {
	c.t.Helper()
	data, ctype, checkReq := c.encode(body)
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
		if c.contract != nil {
			req.Header.Set("Accept", "application/json")
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return req
	}
	var in *checkIn
	if c.contract != nil {
		in = c.contract.checkRequest(c.t, newReq(), checkReq)
	}
	// Errorf, not Fatalf: Do may run on other goroutines.
	res, err := c.hc.Do(newReq())
	if err != nil {
		c.t.Errorf("%s %s: %v", method, path, err)
		return Reply{Method: method, Path: path}
	}
	defer res.Body.Close()
	rb, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Errorf("%s %s: read: %v", method, path, err)
	}
	r := Reply{Method: method, Path: path, Status: res.StatusCode, Header: res.Header, Body: rb, URL: res.Request.URL}
	if r.Status >= 500 && !(c.unavailableOK && r.Status == http.StatusServiceUnavailable) {
		c.t.Errorf("server error: %s", r)
	}
	if in != nil {
		c.contract.checkReply(c.t, in, r)
	}
	return r
}

// encode makes the request body, its content type, and whether the request
// may be checked against the document.
func (c *Client) encode(body any) ([]byte, string, bool) {
	switch b := body.(type) {
	case nil:
		return nil, "", c.reqCheck
	case url.Values:
		return []byte(b.Encode()), "application/x-www-form-urlencoded", c.reqCheck
	case Raw:
		return b, "application/json", false
	case Upload:
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, vs := range b.Fields {
			for _, v := range vs {
				_ = w.WriteField(k, v)
			}
		}
		if b.Field != "" {
			fw, err := w.CreateFormFile(b.Field, b.Filename)
			if err != nil {
				c.t.Fatal(err)
			}
			_, _ = fw.Write(b.Data)
		} else if len(b.Fields) == 0 {
			_ = w.WriteField("note", "no file")
		}
		_ = w.Close()
		// kin-openapi cannot check a binary part against the schema's
		// string; the answer is what counts here.
		return buf.Bytes(), w.FormDataContentType(), false
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		return data, "application/json", c.reqCheck
	}
}

// Reply is one answer.
type Reply struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         []byte
	URL          *url.URL // the URL answered, after any redirects followed
}

// String sums the answer up for failure messages.
func (r Reply) String() string {
	b := r.Body
	if len(b) > 600 {
		b = b[:600]
	}
	return fmt.Sprintf("%s %s → %d %s", r.Method, r.Path, r.Status, b)
}

// Text is the body as a string.
func (r Reply) Text() string { return string(r.Body) }

// Page is the status and the body text, for page tests that check both.
func (r Reply) Page() (int, string) { return r.Status, string(r.Body) }

// Location is the redirect target of the answer.
func (r Reply) Location() string { return r.Header.Get("Location") }

// Obj decodes the body as a JSON object (nil if it is not one).
func (r Reply) Obj() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// JSON returns a field of the JSON body by dotted path (a number steps into
// an array: "items.0.no"), nil if absent.
func (r Reply) JSON(path string) any {
	var v any = r.Obj()
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// Str returns a string field of the JSON body (dotted path).
func (r Reply) Str(path string) string { s, _ := r.JSON(path).(string); return s }

// Num returns a number field of the JSON body (dotted path).
func (r Reply) Num(path string) int64 { f, _ := r.JSON(path).(float64); return int64(f) }

// Code is the error code of an error answer.
func (r Reply) Code() string { return r.Str("error.code") }
