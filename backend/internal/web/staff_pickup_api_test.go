package web_test

import (
	"net/http"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestPickupAPIOldCard: a renewal is handed over only with the old card
// back (law art. 11), a loss replacement has none to return, and each
// token check that shows the holder's data is audited.
func TestPickupAPIOldCard(t *testing.T) {
	env := webtest.Start(t)
	officer := webtest.StaffAPI(t, env, "station-520102")
	// The token as the API hands it out (the page tests scan the QR code).
	tokenOf := func(app *webtest.Client, no string) string {
		return webtest.Want(t, app.Get("/api/v1/cases/"+no+"/pickup-token"), http.StatusOK, "").Str("token")
	}

	t.Run("RenewalNeedsTheOldCard", func(t *testing.T) {
		app, no := webtest.Submit(t, env, webtest.ZhangSan, "window", domain.StatusReadyForPickup)
		token := tokenOf(app, no)
		webtest.Want(t, officer.Post("/api/v1/staff/pickup/verify", map[string]any{"token": token}), http.StatusOK, "")
		if es := env.AuditSoon(t, "pickup.verify", no, 1); len(es) != 1 || es[0].Outcome != "ok" || es[0].ActorName == "" {
			t.Fatalf("audit of the token check: %s", webtest.Outcomes(es))
		}
		for _, body := range []map[string]any{{"token": token}, {"token": token, "old_card_returned": false}} {
			r := webtest.Want(t, officer.Post("/api/v1/staff/pickup/handover", body), http.StatusUnprocessableEntity, "")
			if r.Str("error.code") != "OLD_CARD_REQUIRED" || r.Str("error.message") == "" {
				t.Fatalf("handover without the old card: %s", r.Text())
			}
		}
		if st := webtest.CaseStatus(t, app, no); st != "ready_for_pickup" {
			t.Fatalf("a refused handover moved the case to %s", st)
		}
		r := webtest.Want(t, officer.Post("/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}), 200, "")
		if r.Str("status") != "collected" || r.JSON("old_card_returned") != true {
			t.Fatalf("handover: %s", r.Text())
		}
	})

	t.Run("LossReplacementHasNoOldCard", func(t *testing.T) {
		p := webtest.DemoPerson{Phone: "13800000004", Name: "吴丽", ID: "520402200302110049", County: "520402"}
		app := webtest.Applicant(t, env, p.Phone, p.Name, p.ID)
		body := map[string]any{"kind": "loss_replacement", "station_id": env.Staff(t, "station-"+p.County).OfficeID, "collection": "window"}
		no := webtest.Want(t, app.Post("/api/v1/cases", body), 201, "").Str("no")
		env.Drive(t, no, domain.StatusReadyForPickup)
		token := tokenOf(app, no)
		st := webtest.StaffAPI(t, env, "station-"+p.County)
		r := webtest.Want(t, st.Post("/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": false}), 200, "")
		if r.Str("status") != "collected" || r.JSON("old_card_returned") != nil {
			t.Fatalf("handover of a loss replacement: %s", r.Text())
		}
	})

	t.Run("RefusedTokenNotAuditedAsView", func(t *testing.T) {
		app, no := webtest.Submit(t, env, webtest.LiMei, "window", domain.StatusReadyForPickup)
		token := tokenOf(app, no)
		webtest.Want(t, officer.Post("/api/v1/staff/pickup/verify", map[string]any{"token": token}), http.StatusForbidden, "")
		if es := env.Audit(t, "pickup.verify", no); len(es) != 0 {
			t.Fatalf("a refused token check was audited as a view: %s", webtest.Outcomes(es))
		}
	})
}
