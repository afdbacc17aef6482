package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// fuzzedBodies are the request types the API binds. The handlers' own
// anonymous bodies are one struct here: every field they read, with their
// names and types.
var fuzzedBodies = []struct {
	name       string
	allowEmpty bool
	new        func() any
}{
	{"SubmitInput", false, func() any { return new(service.SubmitInput) }},
	{"decisionBody", true, func() any { return new(decisionBody) }},
	{"versionBody", true, func() any { return new(versionBody) }},
	{"anonymous bodies", false, func() any {
		return new(struct {
			Code            string  `json:"code"`
			Phone           string  `json:"phone"`
			Name            string  `json:"name"`
			IDNumber        string  `json:"id_number"`
			Username        string  `json:"username"`
			Password        string  `json:"password"`
			CardNo          string  `json:"card_no"`
			Token           string  `json:"token"`
			OldCardReturned bool    `json:"old_card_returned"`
			IDs             []int64 `json:"ids"`
			TrackingNo      string  `json:"tracking_no"`
			SignedBy        string  `json:"signed_by"`
			Days            int     `json:"days"`
			Reason          string  `json:"reason"`
			Version         *int    `json:"version"`
		})
	}},
}

// bindRefusals are the codes a refused body may carry.
var bindRefusals = []domain.Code{domain.CodeBadRequest, domain.CodeTooLarge}

// boundTextChecks are the properties of every string a bound body holds.
// The input sanitiser's rule joins this list when bindJSON applies it.
var boundTextChecks = []struct {
	name string
	ok   func(string) bool
}{
	{"valid UTF-8", utf8.ValidString},
}

// FuzzBindJSON checks bindJSON on any body into every request type: nothing
// panics; a refusal is a 4xx JSON error with one of bindRefusals and a
// message (413 exactly when the body is too long), never a 500; only JSON is
// accepted; every string it binds passes boundTextChecks; and a bound value
// encoded again binds to itself.
func FuzzBindJSON(f *testing.F) {
	for _, s := range []string{
		`{"kind":"expiry","station_id":1,"collection":"mail","mail":{"recipient":"张三","phone":"13800001234","division_code":"520102","address":"贵阳市"}}`,
		`{"decision":"approve","reason":"\u0000\u0000","version":3}`, `{"version":null}`, `{"ids":[1,2,3]}`, `{"ids":[1.5]}`,
		`{"token":"1abc.def","old_card_returned":true}`, `{"days":"7"}`, `{"phone":"\ud800"}`, "{\"name\":\"\xff\"}",
		``, `null`, `[]`, `{`, `{"kind":1}`, `{"mail":[]}`, `{"version":1e400}`, `"x"`, `{} {}`, ` {"code":"a"} `,
	} {
		f.Add([]byte(s))
	}
	e := gin.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, b := range fuzzedBodies {
			dst := b.new()
			w := bindOnce(t, e, body, dst, b.allowEmpty)
			if w == nil {
				if len(body) > 0 && !json.Valid(body) {
					t.Fatalf("%s: bound %q, which is not JSON", b.name, body)
				}
				checkBound(t, e, b.name, b.allowEmpty, dst, b.new())
			} else {
				checkRefusal(t, b.name, body, w)
			}
		}
	})
}

// bindOnce runs bindJSON on a JSON POST of body and returns its answer, or
// nil when it bound the body into dst. It is the targets' one call of it;
// e is any engine, made once because making one is slow.
func bindOnce(t *testing.T, e *gin.Engine, body []byte, dst any, allowEmpty bool) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	c := gin.CreateTestContextOnly(w, e)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/fuzz", bytes.NewReader(body))
	c.Request.Header.Set("Content-Type", "application/json")
	if !bindJSON(c, dst, allowEmpty) {
		return w
	}
	if c.Writer.Written() || c.IsAborted() {
		t.Fatalf("bindJSON(%q) bound and answered %d %q", body, w.Code, w.Body)
	}
	return nil
}

// checkRefusal asserts that a refusal is a client error with a known code.
func checkRefusal(t *testing.T, name string, body []byte, w *httptest.ResponseRecorder) {
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Message == "" {
		t.Fatalf("%s: refused %q with %d %q, not a JSON error", name, body, w.Code, w.Body)
	}
	code := domain.Code(e.Error.Code)
	if w.Code < 400 || w.Code >= 500 || w.Code != httpStatus(code) || !slices.Contains(bindRefusals, code) {
		t.Fatalf("%s: refused %q with %d %s; want a 4xx with one of %v", name, body, w.Code, code, bindRefusals)
	}
	if tooLarge := len(body) > maxJSONBody; tooLarge != (code == domain.CodeTooLarge) {
		t.Fatalf("%s: a %d-byte body answered %s", name, len(body), code)
	}
}

// checkBound asserts the properties of a bound value: its strings pass
// boundTextChecks, and encoded again it binds to an equal value.
func checkBound(t *testing.T, e *gin.Engine, name string, allowEmpty bool, dst, fresh any) {
	for _, s := range boundStrings(reflect.ValueOf(dst)) {
		for _, c := range boundTextChecks {
			if !c.ok(s) {
				t.Fatalf("%s: bound string %q is not %s", name, s, c.name)
			}
		}
	}
	again, err := json.Marshal(dst)
	if err != nil {
		t.Fatalf("%s: bound %+v does not encode: %v", name, dst, err)
	}
	if w := bindOnce(t, e, again, fresh, allowEmpty); w != nil || !reflect.DeepEqual(dst, fresh) {
		t.Fatalf("%s: %s binds as %+v; want %+v", name, again, fresh, dst)
	}
}

// boundStrings lists the strings inside v, following pointers, structs and
// slices.
func boundStrings(v reflect.Value) []string {
	switch v.Kind() {
	case reflect.String:
		return []string{v.String()}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return boundStrings(v.Elem())
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			out = append(out, boundStrings(v.Field(i))...)
		}
		return out
	case reflect.Slice, reflect.Array:
		var out []string
		for i := range v.Len() {
			out = append(out, boundStrings(v.Index(i))...)
		}
		return out
	}
	return nil
}
