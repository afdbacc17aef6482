// Package tc3test checks Tencent Cloud API 3.0 requests for the local fakes
// of Tencent services (smstest, faceidtest): POST to / without a query, the
// JSON Content-Type, the X-TC-* headers, a timestamp within 5 minutes of
// the fake's clock and a TC3-HMAC-SHA256 signature recomputed here from the
// documented algorithm, independently of the SDK that signs the requests.
package tc3test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// ContentType is the Content-Type API 3.0 documents for POST JSON.
	ContentType = "application/json; charset=utf-8"
	algorithm   = "TC3-HMAC-SHA256"
	maxSkew     = 5 * time.Minute
)

var authRe = regexp.MustCompile(`^TC3-HMAC-SHA256 Credential=([^/,\s]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, SignedHeaders=([a-z0-9;\-]+), Signature=([0-9a-f]{64})$`)

// Want is what a fake expects of every request.
type Want struct {
	SecretID  string
	SecretKey string
	Service   string // e.g. "sms", "faceid"
	Version   string // e.g. "2021-01-11"
	Actions   []string
	Region    func(string) bool // the regions the service serves; nil = any
	Clock     func() time.Time  // nil = time.Now
}

// Check verifies the protocol and the signature of r (whose body is body);
// it returns Tencent's error code and a message to answer, or "" for a good
// request.
func Check(r *http.Request, body []byte, w Want) (code, msg string) {
	clock := w.Clock
	if clock == nil {
		clock = time.Now
	}
	if r.Method != http.MethodPost {
		return "InvalidParameter", "requests are sent by POST here"
	}
	if r.URL.Path != "/" || r.URL.RawQuery != "" {
		return "InvalidParameter", "POST to / without a query"
	}
	if ct := r.Header.Get("Content-Type"); ct != ContentType {
		return "InvalidParameter", fmt.Sprintf("Content-Type %q, want %q", ct, ContentType)
	}
	if a := r.Header.Get("X-TC-Action"); !slices.Contains(w.Actions, a) {
		return "InvalidAction", fmt.Sprintf("action %q", a)
	}
	if v := r.Header.Get("X-TC-Version"); v != w.Version {
		return "NoSuchVersion", fmt.Sprintf("version %q", v)
	}
	region := r.Header.Get("X-TC-Region")
	if region == "" {
		return "MissingParameter", "X-TC-Region"
	}
	if w.Region != nil && !w.Region(region) {
		return "UnsupportedRegion", region
	}
	ts := r.Header.Get("X-TC-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "MissingParameter", "X-TC-Timestamp"
	}
	at := time.Unix(sec, 0).UTC()
	if d := clock().Sub(at); d > maxSkew || d < -maxSkew {
		return "AuthFailure.SignatureExpire", "the timestamp is more than 5 minutes off"
	}
	m := authRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return "AuthFailure.InvalidAuthorization", "Authorization is not TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…"
	}
	secretID, date, svc, signedHeaders, signature := m[1], m[2], m[3], m[4], m[5]
	if secretID != w.SecretID {
		return "AuthFailure.SecretIdNotFound", "unknown SecretId"
	}
	if svc != w.Service {
		return "AuthFailure.InvalidAuthorization", "the credential scope names service " + svc
	}
	if date != at.Format("2006-01-02") {
		return "AuthFailure.SignatureFailure", "the credential date is not the UTC date of X-TC-Timestamp"
	}
	names := strings.Split(signedHeaders, ";")
	if !slices.Contains(names, "content-type") || !slices.Contains(names, "host") || !slices.IsSorted(names) {
		return "AuthFailure.InvalidAuthorization", "SignedHeaders must be sorted and hold content-type and host"
	}
	want := Sign(w.SecretKey, w.Service, r.Method, canonicalHeaders(r, names), signedHeaders, body, ts, date)
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return "AuthFailure.SignatureFailure", "the signature does not match"
	}
	return "", ""
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

// Answer writes a Tencent Cloud API 3.0 answer: resp (which holds the
// RequestId) inside the {"Response": …} envelope.
func Answer(w http.ResponseWriter, resp map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": resp})
}

// Refuse writes an API 3.0 error answer: {"Response":{"Error":{"Code",
// "Message"},"RequestId"}}.
func Refuse(w http.ResponseWriter, code, msg, requestID string) {
	Answer(w, map[string]any{"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": requestID})
}
