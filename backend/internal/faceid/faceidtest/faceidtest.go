// Package faceidtest is a local fake of Tencent Cloud FaceID (API 3.0,
// service faceid, version 2018-03-01) for tests. Every request is checked
// by tc3test (POST, Content-Type, X-TC-* headers, TC3-HMAC-SHA256
// signature), then its RuleId. DetectAuth answers a BizToken and a Url on
// the fake itself; that page (GET /h5?token=…) sends the browser to the
// request's RedirectUrl with token=<BizToken> appended, as FaceID does.
// A test marks a BizToken passed or failed for an ID number and name;
// GetDetectInfoEnhanced answers its Text accordingly.
package faceidtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/tc3test"
)

// Options describe the account the fake knows.
type Options struct {
	SecretID  string
	SecretKey string
	RuleID    string
	Clock     func() time.Time
}

// Check is one DetectAuth the fake accepted.
type Check struct {
	BizToken    string
	IDCard      string
	Name        string
	RedirectURL string
}

type result struct {
	errCode      int
	idCard, name string
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	srv  *httptest.Server
	opts Options

	mu      sync.Mutex
	checks  map[string]Check
	results map[string]result
	down    bool
	infoIn  []string // InfoType of each GetDetectInfoEnhanced
}

// New starts a fake; Close stops it.
func New(o Options) *Server {
	s := &Server{opts: o, checks: map[string]Check{}, results: map[string]result{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", s.serveAPI)
	mux.HandleFunc("GET /h5", s.servePage)
	s.srv = httptest.NewServer(mux)
	return s
}

// Endpoint is the fake's address for the provider's Endpoint.
func (s *Server) Endpoint() string { return s.srv.URL }

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// SetDown makes the fake answer HTTP 500 (true) or serve again (false).
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// Checks returns the accepted DetectAuth calls by BizToken.
func (s *Server) Checks() map[string]Check {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Check, len(s.checks))
	for k, v := range s.checks {
		out[k] = v
	}
	return out
}

// Pass marks token's face check passed for idCard and name (FaceID's
// final result: who was actually verified).
func (s *Server) Pass(token, idCard, name string) { s.mark(token, result{0, idCard, name}) }

// Fail marks token's face check failed with errCode (e.g. -1101, 人脸检测失败).
func (s *Server) Fail(token string, errCode int) {
	c := s.Checks()[token]
	s.mark(token, result{errCode, c.IDCard, c.Name})
}

func (s *Server) mark(token string, r result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results[token] = r
}

// InfoTypes returns the InfoType of each GetDetectInfoEnhanced, in order.
func (s *Server) InfoTypes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.infoIn...)
}

// servePage is FaceID's H5 page, reduced to its redirect: back to
// RedirectUrl with token appended to the query.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.Checks()[r.URL.Query().Get("token")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	u, err := url.Parse(c.RedirectURL)
	if err != nil {
		http.Error(w, "bad RedirectUrl", http.StatusBadRequest)
		return
	}
	q := u.Query()
	q.Set("token", c.BizToken)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		refuse(w, "InvalidParameter", "cannot read the body")
		return
	}
	if code, msg := tc3test.Check(r, body, tc3test.Want{SecretID: s.opts.SecretID, SecretKey: s.opts.SecretKey,
		Service: "faceid", Version: "2018-03-01", Actions: []string{"DetectAuth", "GetDetectInfoEnhanced"},
		Clock: s.opts.Clock}); code != "" {
		refuse(w, code, msg)
		return
	}
	var req struct {
		RuleId, IdCard, Name, RedirectUrl, BizToken, InfoType *string
	}
	if err := json.Unmarshal(body, &req); err != nil {
		refuse(w, "InvalidParameter", "the body is not JSON")
		return
	}
	if req.RuleId == nil || *req.RuleId != s.opts.RuleID {
		refuse(w, "InvalidParameterValue.RuleIdNotExist", "unknown RuleId")
		return
	}
	switch r.Header.Get("X-TC-Action") {
	case "DetectAuth":
		if req.RedirectUrl == nil || !strings.HasPrefix(*req.RedirectUrl, "http") {
			refuse(w, "InvalidParameter", "RedirectUrl")
			return
		}
		c := Check{BizToken: newToken(), RedirectURL: *req.RedirectUrl}
		if req.IdCard != nil {
			c.IDCard = *req.IdCard
		}
		if req.Name != nil {
			c.Name = *req.Name
		}
		s.mu.Lock()
		s.checks[c.BizToken] = c
		s.mu.Unlock()
		tc3test.Answer(w, map[string]any{"Url": s.srv.URL + "/h5?token=" + c.BizToken, "BizToken": c.BizToken, "RequestId": newToken()})
	case "GetDetectInfoEnhanced":
		if req.BizToken == nil {
			refuse(w, "MissingParameter", "BizToken")
			return
		}
		s.mu.Lock()
		_, known := s.checks[*req.BizToken]
		res, done := s.results[*req.BizToken]
		if req.InfoType != nil {
			s.infoIn = append(s.infoIn, *req.InfoType)
		}
		s.mu.Unlock()
		if !known {
			refuse(w, "InvalidParameterValue.BizTokenIllegal", "unknown BizToken")
			return
		}
		text := map[string]any{"ErrCode": nil, "ErrMsg": nil, "IdCard": "", "Name": ""}
		if done {
			msg := "成功"
			if res.errCode != 0 {
				msg = "人脸检测失败"
			}
			text = map[string]any{"ErrCode": res.errCode, "ErrMsg": msg, "IdCard": res.idCard, "Name": res.name, "LiveStatus": res.errCode}
		}
		tc3test.Answer(w, map[string]any{"Text": text, "RequestId": newToken()})
	}
}

func refuse(w http.ResponseWriter, code, msg string) { tc3test.Refuse(w, code, msg, newToken()) }

// newToken is a BizToken-shaped UUID.
func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := strings.ToUpper(hex.EncodeToString(b))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
