package webtest

import (
	"net/http"
	"net/url"
	"testing"
)

// DemoPassword is the password of every demo staff account.
const DemoPassword = "demo1234"

// StaffPages signs a demo staff member in through the sign-in page and
// returns the browser-like client holding the session cookie.
func StaffPages(t testing.TB, env *Env, username string) *Client {
	t.Helper()
	return StaffPagesAs(t, env, username, DemoPassword)
}

// StaffPagesAs signs in through the sign-in page with a password and fails
// t unless it works (303 to /staff/).
func StaffPagesAs(t testing.TB, env *Env, username, password string) *Client {
	t.Helper()
	c := NewClient(t, env.URL)
	Redirect(t, c.Post("/staff/login", url.Values{"username": {username}, "password": {password}, "next": {"/staff/"}}), "/staff/")
	return c
}

// StaffAPI signs a demo staff member in to the JSON API and returns a
// client with the bearer token.
func StaffAPI(t testing.TB, env *Env, username string) *Client {
	t.Helper()
	return NewClient(t, env.URL).SignInStaff(username)
}

// SignInStaff signs a demo staff member in to the JSON API with a new
// anonymous client like c (same contract) and returns the bearer client.
func (c *Client) SignInStaff(username string) *Client {
	c.t.Helper()
	r := Want(c.t, c.Anonymous().Post("/api/v1/staff/auth/login", map[string]any{"username": username, "password": DemoPassword}), http.StatusOK, "")
	return c.Bearer(r.Str("token"))
}

// SignInSMS signs c in as an applicant by phone and the SMS code the
// service logged, and returns the sign-in answer (with its token).
func (c *Client) SignInSMS(env *Env, phone string) Reply {
	c.t.Helper()
	Want(c.t, c.Post("/api/v1/auth/sms", map[string]any{"phone": phone}), http.StatusNoContent, "")
	code := env.LastCode(phone)
	if code == "" {
		c.t.Fatalf("no SMS code logged for %s", phone)
	}
	return Want(c.t, c.Post("/api/v1/auth/phone", map[string]any{"phone": phone, "code": code}), http.StatusOK, "")
}

// Applicant signs an applicant in by SMS, binds the person and returns the
// client holding the session cookie.
func Applicant(t testing.TB, env *Env, phone, name, idNumber string) *Client {
	t.Helper()
	c := NewClient(t, env.URL)
	c.SignInSMS(env, phone)
	Want(t, c.Post("/api/v1/me/identity", map[string]any{"name": name, "id_number": idNumber, "verify_result": "dev:pass"}), http.StatusOK, "")
	return c
}
