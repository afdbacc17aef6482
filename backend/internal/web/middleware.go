package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/fault"
)

const requestIDKey = "request_id"

// observeRequests gives every request an id (kept from X-Request-ID when a
// proxy set a sane one), logs one line when it ends and records its metrics.
func (s *Server) observeRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		started := time.Now()
		id := c.GetHeader("X-Request-ID")
		if len(id) == 0 || len(id) > 64 {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(requestIDKey, id)
		c.Header("X-Request-ID", id)
		c.Next()
		s.metrics.observe(c, started)
		// A 503 is a dependency's outage (logged where it was met), not a
		// bug of ours: a warning, where a 500 is an error.
		level := slog.LevelInfo
		if st := c.Writer.Status(); st == http.StatusServiceUnavailable {
			level = slog.LevelWarn
		} else if st >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(c.Request.Context(), level, "request",
			slog.String("request_id", id),
			slog.String("method", c.Request.Method),
			slog.String("route", c.FullPath()),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", c.Writer.Status()),
			slog.Int("bytes", c.Writer.Size()),
			slog.Duration("duration", time.Since(started)),
			slog.String("ip", c.ClientIP()),
		)
	}
}

// recoverPanics turns a panic into a logged 500 with the stable INTERNAL code
// instead of a dropped connection.
func (s *Server) recoverPanics() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic", "request_id", c.GetString(requestIDKey), "panic", r)
				if !c.Writer.Written() {
					writeError(c, domain.E(domain.CodeInternal))
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// securityHeaders sets the headers every response carries. The CSP allows
// only our own scripts, styles and images (data: for QR previews). HSTS
// goes out on a TLS connection, and always when secure says the cookies are
// Secure (IDCARD_COOKIE_SECURE: TLS ends at a proxy in front).
func securityHeaders(secure bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if secure || c.Request.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		c.Next()
	}
}

// writeError answers with the contract's error body and the status of code.
func writeError(c *gin.Context, err error) { writeErrorAs(c, err, httpStatus) }

// writeSignInError is writeError for a sign-in's answer (signInStatus).
func writeSignInError(c *gin.Context, err error) { writeErrorAs(c, err, signInStatus) }

// writeErrorAs is writeError with the codes' statuses given by status.
func writeErrorAs(c *gin.Context, err error, status func(domain.Code) int) {
	// An error that reaches here uncoded (a session store or sign-in call)
	// gets the same reading as the service's: a dependency fault is 503.
	err = fault.Classify(err)
	var rl *domain.RateLimitedError
	if errors.As(err, &rl) {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(rl.RetryAfter.Seconds()))))
	}
	code := domain.ErrorCode(err)
	st := status(code)
	msg := domain.ErrorMessage(err)
	if st >= 500 && code == domain.CodeInternal {
		msg = code.Message() // the message of an internal error never reaches the client
	}
	c.Abort()
	answerError(c.Writer, c.Request, st, code, msg)
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
