package web_test

import (
	"net/http"
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestJSONEndpointsRefuseOtherContentTypes sends a good submission as
// text/plain, as a form, with no Content-Type and in another charset: each
// is 415 UNSUPPORTED_MEDIA_TYPE and files nothing; declared as JSON in
// UTF-8 it is filed. An empty body needs no Content-Type where none is
// required.
func TestJSONEndpointsRefuseOtherContentTypes(t *testing.T) {
	t.Parallel()
	env := webtest.Start(t)
	app := webtest.Applicant(t, env, webtest.ZhangSan.Phone, webtest.ZhangSan.Name, webtest.ZhangSan.ID)
	body := webtest.Raw(`{"kind":"damage_renewal","station_id":` + itoa64(env.Staff(t, "station-520102").OfficeID) + `,"collection":"window"}`)
	for _, ct := range []string{"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "",
		"application/json; charset=gbk", "application/jsonx", "application/json;;"} {
		r := app.Do(http.MethodPost, "/api/v1/cases", body, map[string]string{"Content-Type": ct})
		webtest.Want(t, r, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
		if r.Str("error.message") == "" {
			t.Fatalf("%q: 415 without a message", ct)
		}
	}
	if n := len(webtest.Want(t, app.Get("/api/v1/cases"), http.StatusOK, "").JSON("items").([]any)); n != 0 {
		t.Fatalf("a refused body filed %d cases", n)
	}
	no := webtest.Want(t, app.Do(http.MethodPost, "/api/v1/cases", body, map[string]string{"Content-Type": "application/json; charset=UTF-8"}),
		http.StatusCreated, "").Str("no")

	// An optional body may be absent whatever the Content-Type says.
	webtest.Want(t, app.Do(http.MethodPost, "/api/v1/notifications/read", nil, map[string]string{"Content-Type": "text/plain"}), http.StatusNoContent, "")
	// A staff action's optional body, when sent, must be JSON.
	prod := webtest.StaffAPI(t, env, "production")
	webtest.Want(t, prod.Do(http.MethodPost, "/api/v1/staff/cases/"+no+"/produce", webtest.Raw(`{}`), map[string]string{"Content-Type": "text/plain"}),
		http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
}
