// Package wechattest is a local fake of the WeChat server API that the
// wechat client uses. It checks what WeChat checks — the app's credentials,
// a valid unexpired access_token on every call, JSON bodies with the
// required fields and the subscribe template's value rules — and records
// what it was sent.
package wechattest

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// Face is a face verification the test registers under a verify_result.
type Face struct {
	OpenID   string
	IDNumber string
	Name     string
	Passed   bool
	At       time.Time
}

// Message is a subscribe or template message the fake received.
type Message struct {
	AppID      string // the app whose token sent it
	ToUser     string
	TemplateID string
	Page       string // subscribe: page
	URL        string // template: url
	State      string // subscribe: miniprogram_state
	Lang       string // subscribe: lang
	Data       map[string]string
}

// User is who a sign-in code belongs to.
type User struct{ OpenID, UnionID string }

type token struct {
	appID   string
	expired bool
	invalid bool
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server

	mu         sync.Mutex
	secrets    map[string]string // appid → secret
	tokens     map[string]*token
	fetches    map[string]int
	codes      map[string]User // code → user, single use
	faces      map[string]Face
	refused    map[string]bool
	subscribes []Message
	templates  []Message
	failing    bool
	stalled    bool
	stop       chan struct{} // closed by Close: releases stalled calls
	stopOnce   sync.Once
}

// New starts a fake that knows the apps (appid → secret); it stops with t.
func New(t testing.TB, apps map[string]string) *Server {
	s := &Server{secrets: map[string]string{}, tokens: map[string]*token{}, fetches: map[string]int{},
		codes: map[string]User{}, faces: map[string]Face{}, refused: map[string]bool{}, stop: make(chan struct{})}
	for id, secret := range apps {
		s.secrets[id] = secret
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cgi-bin/token", s.token)
	mux.HandleFunc("GET /sns/jscode2session", s.code("js_code"))
	mux.HandleFunc("GET /sns/oauth2/access_token", s.code("code"))
	mux.HandleFunc("POST /cityservice/face/identify/getinfo", s.faceInfo)
	mux.HandleFunc("POST /cgi-bin/message/subscribe/send", s.subscribe)
	mux.HandleFunc("POST /cgi-bin/message/template/send", s.template)
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		failing, stalled := s.failing, s.stalled
		s.mu.Unlock()
		if stalled { // hold the call until the client gives up
			select {
			case <-r.Context().Done():
			case <-s.stop:
			}
			return
		}
		if failing {
			http.Error(w, "system error", http.StatusInternalServerError)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// URL is the fake's base URL (the client's BaseURL).
func (s *Server) URL() string { return s.srv.URL }

// Close stops the fake: every later call fails to connect.
func (s *Server) Close() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.srv.Close()
}

// Fail makes every answer HTTP 500 (on) or normal again (off).
func (s *Server) Fail(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing = on
}

// Stall makes every call hang until the client gives up (on) or answer
// normally again (off).
func (s *Server) Stall(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stalled = on
}

// ExpireTokens makes every token issued so far expired (errcode 42001).
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.expired = true
	}
}

// InvalidateTokens makes every token issued so far invalid (errcode 40001,
// as when the secret was reset).
func (s *Server) InvalidateTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.invalid = true
	}
}

// TokenFetches is how many tokens app has been issued.
func (s *Server) TokenFetches(appID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches[appID]
}

// AddCode registers a single-use sign-in code of app (wx.login or OAuth).
func (s *Server) AddCode(appID, code string, u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[appID+"\x00"+code] = u
}

// AddFace registers the face verification behind verifyResult.
func (s *Server) AddFace(verifyResult string, f Face) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faces[verifyResult] = f
}

// RefuseConsent makes subscribe messages to openid fail with 43101.
func (s *Server) RefuseConsent(openid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[openid] = true
}

// Subscribes are the subscribe messages accepted so far.
func (s *Server) Subscribes() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.subscribes...)
}

// Templates are the template messages accepted so far.
func (s *Server) Templates() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.templates...)
}

// MD5 is how WeChat hashes the ID number and name in a face result: the
// lower-case hex MD5 of the UTF-8 text.
func MD5(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, msg string) {
	answer(w, map[string]any{"errcode": code, "errmsg": msg})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("grant_type") != "client_credential" {
		fail(w, 40002, "invalid grant_type")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	secret, ok := s.secrets[q.Get("appid")]
	switch {
	case !ok:
		fail(w, 40013, "invalid appid")
		return
	case q.Get("secret") != secret:
		fail(w, 40125, "invalid appsecret")
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "tok-" + hex.EncodeToString(b)
	s.tokens[tok] = &token{appID: q.Get("appid")}
	s.fetches[q.Get("appid")]++
	answer(w, map[string]any{"access_token": tok, "expires_in": 7200})
}

func (s *Server) code(param string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		s.mu.Lock()
		defer s.mu.Unlock()
		secret, ok := s.secrets[q.Get("appid")]
		switch {
		case q.Get("grant_type") != "authorization_code":
			fail(w, 40002, "invalid grant_type")
			return
		case !ok:
			fail(w, 40013, "invalid appid")
			return
		case q.Get("secret") != secret:
			fail(w, 40125, "invalid appsecret")
			return
		}
		k := q.Get("appid") + "\x00" + q.Get(param)
		u, ok := s.codes[k]
		if !ok {
			fail(w, 40029, "invalid code")
			return
		}
		delete(s.codes, k)
		out := map[string]any{"openid": u.OpenID, "session_key": "sk"}
		if param == "code" {
			out = map[string]any{"access_token": "user-token", "expires_in": 7200, "refresh_token": "rt", "openid": u.OpenID, "scope": "snsapi_base"}
		}
		if u.UnionID != "" {
			out["unionid"] = u.UnionID
		}
		answer(w, out)
	}
}

// authorized checks the access_token and the JSON body of a POST and
// decodes it into v; it answers the error itself and returns "" then.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request, v any) string {
	tok := r.URL.Query().Get("access_token")
	s.mu.Lock()
	t, ok := s.tokens[tok]
	var appID string
	switch {
	case tok == "":
		s.mu.Unlock()
		fail(w, 41001, "access_token missing")
		return ""
	case !ok:
		s.mu.Unlock()
		fail(w, 40014, "invalid access_token")
		return ""
	case t.invalid:
		s.mu.Unlock()
		fail(w, 40001, "invalid credential, access_token is invalid or not latest")
		return ""
	case t.expired:
		s.mu.Unlock()
		fail(w, 42001, "access_token expired")
		return ""
	}
	appID = t.appID
	s.mu.Unlock()
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		fail(w, 47001, "data format error: not JSON")
		return ""
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		fail(w, 47001, "data format error")
		return ""
	}
	return appID
}

func (s *Server) faceInfo(w http.ResponseWriter, r *http.Request) {
	var in struct {
		VerifyResult string `json:"verify_result"`
	}
	if s.authorized(w, r, &in) == "" {
		return
	}
	if in.VerifyResult == "" {
		fail(w, 41002, "verify_result missing")
		return
	}
	s.mu.Lock()
	f, ok := s.faces[in.VerifyResult]
	s.mu.Unlock()
	if !ok {
		fail(w, 84001, "invalid identify id")
		return
	}
	ret := 10001 // WeChat's "face does not match"; any non-zero is a failure
	if f.Passed {
		ret = 0
	}
	answer(w, map[string]any{"errcode": 0, "errmsg": "ok", "identify_ret": ret, "identify_time": f.At.Unix(),
		"validate_data": "8013", "openid": f.OpenID, "user_id_key": "uik-" + MD5(in.VerifyResult)[:8],
		"finish_time": f.At.Add(2 * time.Second).Unix(), "id_card_number_md5": MD5(f.IDNumber), "name_utf8_md5": MD5(f.Name)})
}

type message struct {
	ToUser     string                       `json:"touser"`
	TemplateID string                       `json:"template_id"`
	Page       string                       `json:"page"`
	URL        string                       `json:"url"`
	State      string                       `json:"miniprogram_state"`
	Lang       string                       `json:"lang"`
	Data       map[string]map[string]string `json:"data"`
}

func (m message) record(appID string) Message {
	d := map[string]string{}
	for k, v := range m.Data {
		d[k] = v["value"]
	}
	return Message{AppID: appID, ToUser: m.ToUser, TemplateID: m.TemplateID, Page: m.Page, URL: m.URL, State: m.State, Lang: m.Lang, Data: d}
}

// required checks the fields both kinds of message need.
func (m message) required(w http.ResponseWriter) bool {
	switch {
	case m.ToUser == "":
		fail(w, 40003, "invalid openid")
	case m.TemplateID == "":
		fail(w, 40037, "invalid template_id")
	case len(m.Data) == 0:
		fail(w, 47003, "argument invalid! data is empty")
	default:
		for k, v := range m.Data {
			if _, ok := v["value"]; !ok {
				fail(w, 47003, "argument invalid! data."+k+".value is missing")
				return false
			}
		}
		return true
	}
	return false
}

var (
	keyKind   = regexp.MustCompile(`^([a-z_]+?)\d+$`)
	timeValue = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$|^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?$`)
)

// valueRule checks a subscribe value against its key's kind as WeChat's
// subscribe-message rules do; "" means it is fine.
func valueRule(key, v string) string {
	m := keyKind.FindStringSubmatch(key)
	if m == nil {
		return "unknown key " + key
	}
	switch m[1] {
	case "thing":
		if utf8.RuneCountInString(v) > 20 {
			return key + " longer than 20 characters"
		}
	case "character_string":
		if len(v) > 32 || strings.ContainsFunc(v, func(r rune) bool { return r > 0x7f }) {
			return key + " not up to 32 letters, digits and signs"
		}
	case "time":
		if !timeValue.MatchString(v) {
			return key + " not a time"
		}
	}
	if v == "" {
		return key + " is empty"
	}
	return ""
}

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	var m message
	appID := s.authorized(w, r, &m)
	if appID == "" || !m.required(w) {
		return
	}
	switch m.State {
	case "", "formal", "trial", "developer":
	default:
		fail(w, 47003, "argument invalid! miniprogram_state")
		return
	}
	for k, v := range m.Data {
		if msg := valueRule(k, v["value"]); msg != "" {
			fail(w, 47003, "argument invalid! data."+k+".value: "+msg)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refused[m.ToUser] {
		fail(w, 43101, "user refuse to accept the msg")
		return
	}
	s.subscribes = append(s.subscribes, m.record(appID))
	answer(w, map[string]any{"errcode": 0, "errmsg": "ok"})
}

func (s *Server) template(w http.ResponseWriter, r *http.Request) {
	var m message
	appID := s.authorized(w, r, &m)
	if appID == "" || !m.required(w) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.templates = append(s.templates, m.record(appID))
	answer(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": len(s.templates)})
}
