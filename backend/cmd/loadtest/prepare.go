package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"time"
)

// world is what the measured paths need: sessions, a case of the
// applicant's, a pickup token at its station, and staff-list arguments.
type world struct {
	applicant   string // bearer tokens
	province    string // supervisor of the province
	prefecture  string // supervisor-5201
	station     string // the officer of the case's station
	pickupToken string
	stationID   int64
	deepCursor  string // the cursor of the 11th page of the province's list
}

// prepare signs in and, through the API, carries one new case of a free
// registry person to ready_for_pickup (submit, pre-check, review, produce,
// ship, arrive), so that 我的办件 lists it and the pickup QR's token can be
// verified.
func prepare(ctx context.Context, c *client, base, bin string, env []string) (world, error) {
	var w world
	login := func(user string) (string, error) {
		var tok struct{ Token string }
		err := c.do(ctx, request{method: "POST", url: base + "/api/v1/staff/auth/login",
			body: map[string]string{"username": user, "password": "demo1234"}}, 200, &tok)
		return tok.Token, err
	}
	var err error
	if w.province, err = login("supervisor"); err != nil {
		return w, err
	}
	if w.prefecture, err = login("supervisor-5201"); err != nil {
		return w, err
	}
	cmd := exec.CommandContext(ctx, bin, "demo-persons", "--count", "1")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return w, fmt.Errorf("demo-persons: %w", err)
	}
	var p struct {
		Name     string `json:"name"`
		IDNumber string `json:"id_number"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out2line(out))), &p); err != nil {
		return w, fmt.Errorf("demo-persons: no free person (%q)", out)
	}
	var tok struct{ Token string }
	if err := c.do(ctx, request{method: "POST", url: base + "/api/v1/auth/wechat",
		body: map[string]string{"code": fmt.Sprintf("dev:load-%d", time.Now().UnixNano())}}, 200, &tok); err != nil {
		return w, err
	}
	w.applicant = tok.Token
	if err := c.do(ctx, request{method: "POST", url: base + "/api/v1/me/identity", token: w.applicant,
		body: map[string]string{"name": p.Name, "id_number": p.IDNumber, "verify_result": "dev:pass"}}, 200, nil); err != nil {
		return w, err
	}
	county := p.IDNumber[:6]
	if w.station, err = login("station-" + county); err != nil {
		return w, err
	}
	var me struct {
		Office struct{ ID int64 } `json:"office"`
	}
	if err := c.do(ctx, request{method: "GET", url: base + "/api/v1/staff/me", token: w.station}, 200, &me); err != nil {
		return w, err
	}
	w.stationID = me.Office.ID
	var elig struct {
		Kinds []struct {
			Kind       string `json:"kind"`
			Eligible   bool   `json:"eligible"`
			NeedsPhoto bool   `json:"needs_photo"`
		} `json:"kinds"`
	}
	if err := c.do(ctx, request{method: "GET", url: base + "/api/v1/eligibility", token: w.applicant}, 200, &elig); err != nil {
		return w, err
	}
	sub := map[string]any{"station_id": w.stationID, "collection": "window"}
	for _, k := range elig.Kinds {
		if k.Eligible {
			sub["kind"] = k.Kind
			if k.NeedsPhoto {
				sub["photo_receipt_no"] = "HZ0000000001"
			}
			break
		}
	}
	var cs struct{ No string }
	if err := c.do(ctx, request{method: "POST", url: base + "/api/v1/cases", token: w.applicant, body: sub}, 201, &cs); err != nil {
		return w, err
	}
	var detail struct {
		Person struct {
			HouseholdDivision string `json:"household_division"`
		} `json:"person"`
	}
	if err := c.do(ctx, request{method: "GET", url: base + "/api/v1/staff/cases/" + cs.No, token: w.province}, 200, &detail); err != nil {
		return w, err
	}
	reviewer, err := login("county-" + detail.Person.HouseholdDivision)
	if err != nil {
		return w, err
	}
	production, err := login("production")
	if err != nil {
		return w, err
	}
	approve := map[string]string{"decision": "approve"}
	for _, s := range []struct {
		token, action string
		body          any
	}{{w.station, "precheck", approve}, {reviewer, "review", approve}, {production, "produce", map[string]any{}},
		{production, "ship", map[string]any{}}, {w.station, "arrive", map[string]any{}}} {
		if err := c.do(ctx, request{method: "POST", url: base + "/api/v1/staff/cases/" + cs.No + "/" + s.action, token: s.token, body: s.body}, 200, nil); err != nil {
			return w, err
		}
	}
	var pt struct{ Token string }
	if err := c.do(ctx, request{method: "GET", url: base + "/api/v1/cases/" + cs.No + "/pickup-token", token: w.applicant}, 200, &pt); err != nil {
		return w, err
	}
	w.pickupToken = pt.Token
	cursor := ""
	for range 10 {
		var page struct {
			NextCursor *string `json:"next_cursor"`
		}
		u := base + "/api/v1/staff/cases?limit=20"
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		if err := c.do(ctx, request{method: "GET", url: u, token: w.province}, 200, &page); err != nil {
			return w, err
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	w.deepCursor = cursor
	return w, nil
}

// out2line is the first line of a command's output.
func out2line(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}
