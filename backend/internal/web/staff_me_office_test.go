package web_test

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestStaffMeAlwaysHasAnOffice: /api/v1/staff/me names an office for every
// kind of demo account, supervisors and the admin included (openapi.yaml), and
// the answer follows openapi.yaml, where office is required.
func TestStaffMeAlwaysHasAnOffice(t *testing.T) {
	env := webtest.Start(t)
	ct := webtest.LoadContract(t, "openapi.yaml", env.URL)
	for _, tc := range []struct{ user, kind, code, name string }{
		{"station-520102", "station", "520102016", ""},
		{"county-520102", "county_bureau", "520102-GA", "南明区公安分局"},
		{"production", "production_centre", "GZ-ZZZX", ""},
		{"supervisor-5201", "prefecture_bureau", "520100-GA", "贵阳市公安局"},
		{"supervisor-5226", "prefecture_bureau", "522600-GA", "黔东南苗族侗族自治州公安局"},
		{"supervisor", "provincial_department", "GZ-GAT", "贵州省公安厅"},
		{"admin", "provincial_department", "GZ-GAT", "贵州省公安厅"},
	} {
		me := webtest.Want(t, ct.Client(t, env.URL).SignInStaff(tc.user).Get("/api/v1/staff/me"), 200, "")
		if me.Str("office.kind") != tc.kind || me.Str("office.code") != tc.code || me.Num("office.id") == 0 ||
			(tc.name != "" && me.Str("office.name") != tc.name) {
			t.Errorf("%s: office %v", tc.user, me.JSON("office"))
		}
	}
}
