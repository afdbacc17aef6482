package web_test

import (
	"net/http"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestPickupAPIOldCard: a renewal is handed over only with the old card
// back (law art. 11), a loss replacement has none to return, and each
// token check that shows the holder's data is audited.
func TestPickupAPIOldCard(t *testing.T) {
	env := webtest.Start(t)
	officer := pkStaffAPI(t, env, "station-520102")
	// The token as the API hands it out (the page tests scan the QR code).
	tokenOf := func(app *pkClient, no string) string {
		return pkWant(t, app.get("/api/v1/cases/"+no+"/pickup-token"), http.StatusOK, "pickup token").str("token")
	}

	t.Run("RenewalNeedsTheOldCard", func(t *testing.T) {
		app, no := pkCaseTo(t, env, pkZhangSan, "window", true)
		token := tokenOf(app, no)
		pkWant(t, officer.postJSON("/api/v1/staff/pickup/verify", map[string]any{"token": token}), http.StatusOK, "verify")
		if es := pkAudit(t, env, "pickup.verify", no); len(es) != 1 || es[0].Outcome != "ok" || es[0].ActorName == "" {
			t.Fatalf("audit of the token check: %s", pkOutcomes(es))
		}
		for _, body := range []map[string]any{{"token": token}, {"token": token, "old_card_returned": false}} {
			r := pkWant(t, officer.postJSON("/api/v1/staff/pickup/handover", body), http.StatusUnprocessableEntity, "handover without the old card")
			if r.str("error.code") != "OLD_CARD_REQUIRED" || r.str("error.message") == "" {
				t.Fatalf("handover without the old card: %s", r.text())
			}
		}
		if st := pkCaseStatus(t, app, no); st != "ready_for_pickup" {
			t.Fatalf("a refused handover moved the case to %s", st)
		}
		r := pkWant(t, officer.postJSON("/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}), 200, "handover")
		if r.str("status") != "collected" || r.json("old_card_returned") != true {
			t.Fatalf("handover: %s", r.text())
		}
	})

	t.Run("LossReplacementHasNoOldCard", func(t *testing.T) {
		p := pkPerson{"13800000004", "吴丽", "520402200302110049", "520402"}
		app := pkApplicant(t, env, p.phone, p.name, p.id)
		body := map[string]any{"kind": "loss_replacement", "station_id": pkStationID(t, env, "station-"+p.county), "collection": "window"}
		no := pkWant(t, app.postJSON("/api/v1/cases", body), 201, "submit").str("no")
		pkDrive(t, env, no, p.county, p.county, true)
		token := tokenOf(app, no)
		st := pkStaffAPI(t, env, "station-"+p.county)
		r := pkWant(t, st.postJSON("/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": false}), 200, "handover")
		if r.str("status") != "collected" || r.json("old_card_returned") != nil {
			t.Fatalf("handover of a loss replacement: %s", r.text())
		}
	})

	t.Run("RefusedTokenNotAuditedAsView", func(t *testing.T) {
		app, no := pkCaseTo(t, env, pkLiMei, "window", true)
		token := tokenOf(app, no)
		pkWant(t, officer.postJSON("/api/v1/staff/pickup/verify", map[string]any{"token": token}), http.StatusForbidden, "other station")
		if es := pkAudit(t, env, "pickup.verify", no); len(es) != 0 {
			t.Fatalf("a refused token check was audited as a view: %s", pkOutcomes(es))
		}
	})
}
