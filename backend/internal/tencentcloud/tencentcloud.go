// Package tencentcloud is what our clients of Tencent Cloud API 3.0
// services (SMS, FaceID) share: how an endpoint setting is read and how the
// SDK's common client is set up (POST, a bounded timeout, no retries, no
// silent switch to a backup endpoint). Requests are signed
// TC3-HMAC-SHA256 by the SDK's common package.
package tencentcloud

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

// The FaceID (人脸核身 · 慧眼) API's defaults, here so that configuration
// and the client (package faceid) say them once.
const (
	FaceIDEndpoint = "faceid.tencentcloudapi.com"
	FaceIDRegion   = "ap-guangzhou"
)

// ParseEndpoint reads an endpoint setting: a bare host (or host:port),
// reached by HTTPS, an https:// URL, or an http:// URL whose host is a
// loopback address (a local fake; plain HTTP goes nowhere else). An empty
// setting is def by HTTPS.
func ParseEndpoint(endpoint, def string) (host, scheme string, err error) {
	if endpoint == "" {
		return def, "HTTPS", nil
	}
	if !strings.Contains(endpoint, "://") {
		if strings.ContainsAny(endpoint, "/?#@ ") {
			return "", "", fmt.Errorf("endpoint %q: want a host name", endpoint)
		}
		return endpoint, "HTTPS", nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", "", fmt.Errorf("endpoint %q: want a host or a URL without path", endpoint)
	}
	switch u.Scheme {
	case "https":
		return u.Host, "HTTPS", nil
	case "http":
		h := u.Hostname()
		if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return "", "", fmt.Errorf("endpoint %q: plain http only to a loopback address", endpoint)
		}
		return u.Host, "HTTP", nil
	}
	return "", "", fmt.Errorf("endpoint %q: scheme must be https (or http to loopback)", endpoint)
}

// NewClient is the SDK's common client for one service account: POST to
// host by scheme (from ParseEndpoint), each request bounded by timeout,
// no retries (callers retry on their own terms) and no region breaker.
func NewClient(secretID, secretKey, region, host, scheme string, timeout time.Duration) *common.Client {
	cp := profile.NewClientProfile()
	cp.HttpProfile.Endpoint = host
	cp.HttpProfile.Scheme = scheme
	cp.HttpProfile.ReqMethod = "POST"
	cp.HttpProfile.ReqTimeout = int((timeout + time.Second - 1) / time.Second)
	cp.DisableRegionBreaker = true // no silent switch to a backup endpoint
	cp.NetworkFailureMaxRetries = 0
	cp.RateLimitExceededMaxRetries = 0
	return common.NewCommonClient(common.NewCredential(secretID, secretKey), region, cp)
}
