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
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/tc3test"
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

const service = "sms"

var e164CN = regexp.MustCompile(`^\+861[3-9][0-9]{9}$`)

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
	tc3test.Answer(w, map[string]any{"SendStatusSet": set, "RequestId": randomID()})
}

// check verifies the protocol and the signature (tc3test); it returns the
// error code and message to answer, or "" for a good request.
func (s *Server) check(r *http.Request, body []byte) (code, msg string) {
	return tc3test.Check(r, body, tc3test.Want{SecretID: s.opts.SecretID, SecretKey: s.opts.SecretKey, Service: service,
		Version: "2021-01-11", Actions: []string{"SendSms"}, Region: smsRegion, Clock: s.opts.Clock})
}

// smsRegion reports the regions SMS API 3.0 serves.
func smsRegion(r string) bool {
	return r == "ap-guangzhou" || r == "ap-beijing" || r == "ap-nanjing"
}

func (s *Server) refuse(w http.ResponseWriter, code, msg string) {
	s.mu.Lock()
	s.refusals = append(s.refusals, code)
	s.mu.Unlock()
	tc3test.Refuse(w, code, msg, randomID())
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
