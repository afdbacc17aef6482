package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// person is one line of `idcard demo-persons`.
type person struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

// applicant is one citizen of the soak: a WeChat demo account bound to a
// registry person, applying, replaying and withdrawing over and over.
type applicant struct {
	base   string
	code   string // the demo wx.login code "dev:<name>"
	person person
	http   *http.Client
	ledger *ledger
	// patience bounds how long one step may keep retrying while the
	// server is down or restarting.
	patience time.Duration

	token   string
	body    map[string]any // the application: kind, station, collection
	signIns int            // how often this applicant signed in: more than once is a lost session
}

// answer is an HTTP answer: status and JSON body.
type answer struct {
	status int
	body   []byte
}

func (a answer) str(field string) string {
	var m map[string]any
	_ = json.Unmarshal(a.body, &m)
	s, _ := m[field].(string)
	return s
}

// code is the error code of an error answer.
func (a answer) code() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(a.body, &e)
	return e.Error.Code
}

func (a answer) String() string { return fmt.Sprintf("%d %s", a.status, bytes.TrimSpace(a.body)) }

// errPatience is a step that found no server for the whole patience.
var errPatience = errors.New("the server did not answer")

// errOdd is a step answered in a way the soak did not expect (recorded in
// the ledger); the applicant is retired, since its person's state is now
// unknown.
var errOdd = errors.New("unexpected answer")

// send makes one HTTP request; cut reports that no answer came (the
// server was killed, or is not listening yet).
func (ap *applicant) send(ctx context.Context, method, path string, body any, hdr map[string]string) (answer, bool) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, ap.base+path, rd)
	if err != nil {
		panic(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if ap.token != "" {
		req.Header.Set("Authorization", "Bearer "+ap.token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return ap.ledger.do(ap.http, req)
}

// call sends a request until the server answers it with something other
// than 5xx, signing in again when the session was lost (embedded mode
// keeps sessions in process memory). cuts counts the tries that got no
// answer, so the caller knows an earlier try may have taken effect.
func (ap *applicant) call(ctx context.Context, method, path string, body any, hdr map[string]string) (answer, int, error) {
	deadline := time.Now().Add(ap.patience)
	cuts := 0
	for pause := 20 * time.Millisecond; ; pause = min(2*pause, 500*time.Millisecond) {
		if ctx.Err() != nil {
			return answer{}, cuts, ctx.Err()
		}
		if time.Now().After(deadline) {
			return answer{}, cuts, fmt.Errorf("%s %s: %w within %s", method, path, errPatience, ap.patience)
		}
		if ap.token == "" && !strings.HasPrefix(path, "/api/v1/auth/") {
			if err := ap.signIn(ctx); err != nil {
				return answer{}, cuts, err
			}
		}
		a, cut := ap.send(ctx, method, path, body, hdr)
		switch {
		case cut:
			cuts++
		case a.status == http.StatusUnauthorized && !strings.HasPrefix(path, "/api/v1/auth/"):
			ap.token = ""
			continue
		case a.status >= 500:
			if a.status != http.StatusServiceUnavailable {
				ap.ledger.odd("%s %s: %s", method, path, a)
			}
		default:
			return a, cuts, nil
		}
		time.Sleep(pause)
	}
}

// signIn signs in with the WeChat demo code (openapi.yaml: demo mode).
func (ap *applicant) signIn(ctx context.Context) error {
	a, _, err := ap.call(ctx, http.MethodPost, "/api/v1/auth/wechat", map[string]string{"code": ap.code}, nil)
	if err != nil {
		return err
	}
	if a.status != http.StatusOK || a.str("token") == "" {
		return fmt.Errorf("sign in %s: %s", ap.code, a)
	}
	ap.ledger.signIns.Add(1)
	ap.signIns++
	ap.token = a.str("token")
	return nil
}

// prepare binds the account to its person and chooses the application:
// the first kind open to the person online, at a station of the person's
// county, collected at the window.
func (ap *applicant) prepare(ctx context.Context) error {
	bind := map[string]string{"name": ap.person.Name, "id_number": ap.person.IDNumber, "verify_result": "dev:pass"}
	a, _, err := ap.call(ctx, http.MethodPost, "/api/v1/me/identity", bind, nil)
	if err != nil {
		return err
	}
	if a.status != http.StatusOK {
		return fmt.Errorf("bind %s: %s", ap.person.IDNumber, a)
	}
	if a, _, err = ap.call(ctx, http.MethodGet, "/api/v1/eligibility", nil, nil); err != nil {
		return err
	}
	var el struct {
		Kinds []struct {
			Kind       string `json:"kind"`
			Eligible   bool   `json:"eligible"`
			NeedsPhoto bool   `json:"needs_photo"`
		} `json:"kinds"`
	}
	if err := json.Unmarshal(a.body, &el); err != nil || a.status != http.StatusOK {
		return fmt.Errorf("eligibility of %s: %s", ap.person.IDNumber, a)
	}
	county := ap.person.IDNumber[:6]
	if a, _, err = ap.call(ctx, http.MethodGet, "/api/v1/offices?kind=station&division="+county, nil, nil); err != nil {
		return err
	}
	var offices struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(a.body, &offices); err != nil || a.status != http.StatusOK || len(offices.Items) == 0 {
		return fmt.Errorf("stations of %s: %s", county, a)
	}
	for _, k := range el.Kinds {
		if !k.Eligible {
			continue
		}
		ap.body = map[string]any{"kind": k.Kind, "station_id": offices.Items[0].ID, "collection": "window"}
		if k.NeedsPhoto {
			ap.body["photo_receipt_no"] = "SOAK" + ap.person.IDNumber[10:17]
		}
		return nil
	}
	return fmt.Errorf("%s can apply for no kind online", ap.person.IDNumber)
}

// round is one application: submit with a new idempotency key, replay it,
// cancel, replay again. Each step is retried until answered, so the
// ledger knows the outcome of every step it started.
func (ap *applicant) round(ctx context.Context, key string) error {
	hdr := map[string]string{"Idempotency-Key": key}
	a, _, err := ap.call(ctx, http.MethodPost, "/api/v1/cases", ap.body, hdr)
	if err != nil {
		return err
	}
	if a.status != http.StatusCreated || a.str("no") == "" {
		ap.ledger.odd("submit (key %s): %s", key, a)
		return errOdd
	}
	no := a.str("no")
	ap.ledger.submittedAs(key, no)
	if err := ap.readBack(ctx, no, a.str("status")); err != nil {
		return err
	}
	if err := ap.replay(ctx, key, no); err != nil {
		return err
	}
	if err := ap.cancel(ctx, no); err != nil {
		return err
	}
	return ap.replay(ctx, key, no)
}

// replay sends the submission of key again: the first answer comes back.
func (ap *applicant) replay(ctx context.Context, key, no string) error {
	a, _, err := ap.call(ctx, http.MethodPost, "/api/v1/cases", ap.body, map[string]string{"Idempotency-Key": key})
	if err != nil {
		return err
	}
	if a.status != http.StatusCreated {
		ap.ledger.odd("replay (key %s, case %s): %s", key, no, a)
		return nil
	}
	ap.ledger.submittedAs(key, a.str("no"))
	ap.ledger.replays.Add(1)
	return nil
}

// cancel withdraws the case. A cancel whose earlier try got no answer may
// have been done by that try; before cancels became idempotent the retry
// answered 409, so the case itself then says whether it is cancelled.
func (ap *applicant) cancel(ctx context.Context, no string) error {
	path := "/api/v1/cases/" + no + "/cancel"
	a, cuts, err := ap.call(ctx, http.MethodPost, path, struct{}{}, nil)
	if err != nil {
		return err
	}
	if a.status == http.StatusConflict && cuts > 0 {
		ap.ledger.cancel409.Add(1)
		if a, _, err = ap.call(ctx, http.MethodGet, "/api/v1/cases/"+no, nil, nil); err != nil {
			return err
		}
	}
	if a.status != http.StatusOK || a.str("status") != "cancelled" {
		ap.ledger.odd("cancel %s: %s", no, a)
		return errOdd
	}
	ap.ledger.cancelledCase(no)
	return ap.readBack(ctx, no, "cancelled")
}

// readBack reads the case again right after the applicant's own action —
// through a load balancer most likely from another instance — and counts
// an answer that does not show that action as a stale read.
func (ap *applicant) readBack(ctx context.Context, no, status string) error {
	a, _, err := ap.call(ctx, http.MethodGet, "/api/v1/cases/"+no, nil, nil)
	if err != nil {
		return err
	}
	if a.status != http.StatusOK || a.str("status") != status {
		ap.ledger.stale.Add(1)
		ap.ledger.odd("read back %s after the applicant's own action: want %s, got %s", no, status, a)
	}
	return nil
}
