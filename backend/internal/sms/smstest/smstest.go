// Package smstest is a local fake of Tencent Cloud SMS (API 3.0, action
// SendSms, version 2021-01-11) for tests. It checks each request as
// Tencent documents it — POST, the JSON Content-Type, the X-TC-* headers,
// a timestamp within 5 minutes of its clock and a TC3-HMAC-SHA256
// signature it recomputes itself from the documented algorithm — then the
// app id, sign, template and its number of parameters and the phone
// numbers, and records what it accepted. It answers as Tencent does: HTTP
// 200 with Response.Error for a refused request, Response.SendStatusSet
// with a code per number otherwise.
package smstest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options describe the account the fake knows.
type Options struct {
	SecretID  string
	SecretKey string
	AppID     string         // SmsSdkAppId
	Sign      string         // SignName
	Templates map[string]int // approved template id → number of parameters
	Clock     func() time.Time
}

// Message is one accepted SMS.
type Message struct {
	Phone      string // as sent: +86…
	TemplateID string
	Params     []string
}

// Server is the fake gateway. It is safe for concurrent use.
type Server struct {
	srv  *httptest.Server
	opts Options

	mu       sync.Mutex
	messages []Message
	failures map[string]string // phone (+86…) → status code to answer
	down     bool              // answer HTTP 500
	refusals []string          // Response.Error codes answered, in order
}

// New starts a fake gateway; Close stops it.
func New(o Options) *Server {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	s := &Server{opts: o, failures: map[string]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the fake's address for sms.TencentConfig.Endpoint.
func (s *Server) Endpoint() string { return s.srv.URL }

// Close stops the fake: later requests find nobody listening.
func (s *Server) Close() { s.srv.Close() }

// Messages returns the accepted messages in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// Refusals returns the Response.Error codes answered so far, in order.
func (s *Server) Refusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.refusals)
}

// FailPhone makes the fake answer status code for phone (+86…), e.g.
// FailedOperation.PhoneNumberInBlacklist; "" sends to it again.
func (s *Server) FailPhone(phone, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == "" {
		delete(s.failures, phone)
		return
	}
	s.failures[phone] = code
}

// SetDown makes the fake answer HTTP 500 (true) or serve again (false).
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

const (
	wantContentType = "application/json; charset=utf-8"
	algorithm       = "TC3-HMAC-SHA256"
	service         = "sms"
	maxSkew         = 5 * time.Minute
)

var (
	authRe = regexp.MustCompile(`^TC3-HMAC-SHA256 Credential=([^/,\s]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, SignedHeaders=([a-z0-9;\-]+), Signature=([0-9a-f]{64})$`)
	e164CN = regexp.MustCompile(`^\+861[3-9][0-9]{9}$`)
)

type sendSms struct {
	SmsSdkAppId      *string  `json:"SmsSdkAppId"`
	SignName         *string  `json:"SignName"`
	TemplateId       *string  `json:"TemplateId"`
	PhoneNumberSet   []string `json:"PhoneNumberSet"`
	TemplateParamSet []string `json:"TemplateParamSet"`
}

type sendStatus struct {
	SerialNo       string `json:"SerialNo"`
	PhoneNumber    string `json:"PhoneNumber"`
	Fee            int    `json:"Fee"`
	SessionContext string `json:"SessionContext"`
	Code           string `json:"Code"`
	Message        string `json:"Message"`
	IsoCode        string `json:"IsoCode"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		s.refuse(w, "InvalidParameter", "cannot read the body")
		return
	}
	if code, msg := s.check(r, body); code != "" {
		s.refuse(w, code, msg)
		return
	}
	var req sendSms
	if err := json.Unmarshal(body, &req); err != nil {
		s.refuse(w, "InvalidParameter", "the body is not JSON: "+err.Error())
		return
	}
	switch {
	case req.SmsSdkAppId == nil || req.SignName == nil || req.TemplateId == nil || req.PhoneNumberSet == nil:
		s.refuse(w, "MissingParameter", "SmsSdkAppId, SignName, TemplateId and PhoneNumberSet are required")
		return
	case *req.SmsSdkAppId != s.opts.AppID:
		s.refuse(w, "InvalidParameterValue.SdkAppIdNotExist", "unknown SmsSdkAppId")
		return
	case *req.SignName != s.opts.Sign:
		s.refuse(w, "FailedOperation.SignatureIncorrectOrUnapproved", "the sign is not approved")
		return
	case len(req.PhoneNumberSet) == 0 || len(req.PhoneNumberSet) > 200:
		s.refuse(w, "LimitExceeded.PhoneNumberCountLimit", "1 to 200 numbers per request")
		return
	}
	n, ok := s.opts.Templates[*req.TemplateId]
	if !ok {
		s.refuse(w, "FailedOperation.TemplateIncorrectOrUnapproved", "the template is not approved")
		return
	}
	if len(req.TemplateParamSet) != n {
		s.refuse(w, "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
			fmt.Sprintf("template %s takes %d parameters, got %d", *req.TemplateId, n, len(req.TemplateParamSet)))
		return
	}
	set := make([]sendStatus, 0, len(req.PhoneNumberSet))
	s.mu.Lock()
	for _, p := range req.PhoneNumberSet {
		st := sendStatus{SerialNo: randomID(), PhoneNumber: p, IsoCode: "CN"}
		switch code, failing := s.failures[p]; {
		case !e164CN.MatchString(p):
			st.Code, st.Message = "InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number"
		case failing:
			st.Code, st.Message = code, "refused by the test"
		default:
			st.Code, st.Message, st.Fee = "Ok", "send success", 1
			s.messages = append(s.messages, Message{Phone: p, TemplateID: *req.TemplateId, Params: slices.Clone(req.TemplateParamSet)})
		}
		set = append(set, st)
	}
	s.mu.Unlock()
	answer(w, map[string]any{"SendStatusSet": set, "RequestId": randomID()})
}

// check verifies the protocol and the signature; it returns the error code
// and message to answer, or "" for a good request.
func (s *Server) check(r *http.Request, body []byte) (code, msg string) {
	if r.Method != http.MethodPost {
		return "InvalidParameter", "SendSms is sent by POST here"
	}
	if r.URL.Path != "/" || r.URL.RawQuery != "" {
		return "InvalidParameter", "POST to / without a query"
	}
	if ct := r.Header.Get("Content-Type"); ct != wantContentType {
		return "InvalidParameter", fmt.Sprintf("Content-Type %q, want %q", ct, wantContentType)
	}
	if a := r.Header.Get("X-TC-Action"); a != "SendSms" {
		return "InvalidAction", fmt.Sprintf("action %q", a)
	}
	if v := r.Header.Get("X-TC-Version"); v != "2021-01-11" {
		return "NoSuchVersion", fmt.Sprintf("version %q", v)
	}
	region := r.Header.Get("X-TC-Region")
	if region == "" {
		return "MissingParameter", "X-TC-Region"
	}
	if !smsRegion(region) {
		return "UnsupportedRegion", region
	}
	ts := r.Header.Get("X-TC-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "MissingParameter", "X-TC-Timestamp"
	}
	at := time.Unix(sec, 0).UTC()
	if d := s.opts.Clock().Sub(at); d > maxSkew || d < -maxSkew {
		return "AuthFailure.SignatureExpire", "the timestamp is more than 5 minutes off"
	}
	m := authRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return "AuthFailure.InvalidAuthorization", "Authorization is not TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…"
	}
	secretID, date, svc, signedHeaders, signature := m[1], m[2], m[3], m[4], m[5]
	if secretID != s.opts.SecretID {
		return "AuthFailure.SecretIdNotFound", "unknown SecretId"
	}
	if svc != service {
		return "AuthFailure.InvalidAuthorization", "the credential scope names service " + svc
	}
	if date != at.Format("2006-01-02") {
		return "AuthFailure.SignatureFailure", "the credential date is not the UTC date of X-TC-Timestamp"
	}
	names := strings.Split(signedHeaders, ";")
	if !slices.Contains(names, "content-type") || !slices.Contains(names, "host") || !slices.IsSorted(names) {
		return "AuthFailure.InvalidAuthorization", "SignedHeaders must be sorted and hold content-type and host"
	}
	want := Sign(s.opts.SecretKey, service, r.Method, canonicalHeaders(r, names), signedHeaders, body, ts, date)
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return "AuthFailure.SignatureFailure", "the signature does not match"
	}
	return "", ""
}

// smsRegion reports the regions SMS API 3.0 serves.
func smsRegion(r string) bool {
	return r == "ap-guangzhou" || r == "ap-beijing" || r == "ap-nanjing"
}

// canonicalHeaders is "name:value\n" for each signed header, names and
// values lower case and trimmed, as the TC3 canonical request has them.
func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		b.WriteString(n + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
	}
	return b.String()
}

// Sign computes the TC3-HMAC-SHA256 signature of a POST to / with an empty
// query for service, as Tencent Cloud API 3.0 documents it:
//
//	CanonicalRequest = Method \n / \n "" \n CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
//	StringToSign     = TC3-HMAC-SHA256 \n Timestamp \n date/service/tc3_request \n hex(SHA256(CanonicalRequest))
//	key = HMAC(HMAC(HMAC("TC3"+SecretKey, date), service), "tc3_request")
//	Signature = hex(HMAC(key, StringToSign))
func Sign(secretKey, service, method, canonHeaders, signedHeaders string, body []byte, timestamp, date string) string {
	canonical := strings.Join([]string{method, "/", "", canonHeaders, signedHeaders, sha256Hex(body)}, "\n")
	scope := date + "/" + service + "/tc3_request"
	toSign := strings.Join([]string{algorithm, timestamp, scope, sha256Hex([]byte(canonical))}, "\n")
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func (s *Server) refuse(w http.ResponseWriter, code, msg string) {
	s.mu.Lock()
	s.refusals = append(s.refusals, code)
	s.mu.Unlock()
	answer(w, map[string]any{"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": randomID()})
}

func answer(w http.ResponseWriter, resp map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": resp})
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
