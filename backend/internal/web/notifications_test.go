package web_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// noticeInbox follows one applicant's /api/v1/notifications.
type noticeInbox struct {
	t    *testing.T
	env  *webtest.Env
	app  *webtest.Client
	seen int
}

// expect delivers the outbox and checks that exactly one notice arrived
// since the last look, about case no, with the title.
func (in *noticeInbox) expect(step, no, title string) {
	in.t.Helper()
	in.env.DeliverOutbox(in.t)
	var list struct {
		Items []struct {
			CaseNo string `json:"case_no"`
			Title  string `json:"title"`
			Body   string `json:"body"`
		} `json:"items"`
	}
	r := webtest.Want(in.t, in.app.Get("/api/v1/notifications"), 200, "")
	if err := json.Unmarshal(r.Body, &list); err != nil {
		in.t.Fatal(err)
	}
	if len(list.Items) != in.seen+1 {
		in.t.Fatalf("after %s: %d new notices, want 1: %+v", step, len(list.Items)-in.seen, list.Items)
	}
	in.seen++
	n := list.Items[0] // newest first
	if n.CaseNo != no || n.Title != title || n.Body == "" {
		in.t.Fatalf("after %s: notice %+v, want %q about %s", step, n, title, no)
	}
}

// TestEveryStatusChangeNotifiesTheApplicant drives cases through every
// transition the applicant cares about, and the issue of a temporary card,
// and checks after each that the applicant's in-app notices hold its
// notice, as the H5 promises ("结果会通过'消息'通知您").
func TestEveryStatusChangeNotifiesTheApplicant(t *testing.T) {
	env := webtest.Start(t)
	ctx := context.Background()
	submit := func(app *webtest.Client, p webtest.DemoPerson, station string, mail bool) string {
		t.Helper()
		body := map[string]any{"kind": "damage_renewal", "station_id": env.Staff(t, "station-"+station).OfficeID, "collection": "window"}
		if mail {
			body["collection"] = "mail"
			body["mail"] = map[string]any{"recipient": p.Name, "phone": p.Phone, "division_code": p.County, "address": "北京路126号4栋1单元602"}
		}
		return webtest.Want(t, app.Post("/api/v1/cases", body), 201, "").Str("no")
	}
	approve := map[string]any{"decision": "approve"}
	reject := map[string]any{"decision": "reject", "reason": "照片不清晰"}
	post := func(c *webtest.Client, no, action string, body any) {
		t.Helper()
		webtest.Want(t, c.Post("/api/v1/staff/cases/"+no+"/"+action, body), 200, "")
	}
	prod, sup := webtest.StaffAPI(t, env, "production"), webtest.StaffAPI(t, env, "supervisor")

	t.Run("WindowRoute", func(t *testing.T) {
		// 张三 of 南明区 picks a station of 紫云, a remote county, where the
		// legal period may be extended.
		p := webtest.ZhangSan
		app := webtest.Applicant(t, env, p.Phone, p.Name, p.ID)
		in := &noticeInbox{t: t, env: env, app: app}
		station, county := webtest.StaffAPI(t, env, "station-520425"), webtest.StaffAPI(t, env, "county-"+p.County)

		fresh := func() string {
			no := submit(app, p, "520425", false)
			in.expect("submit", no, "申请已提交")
			return no
		}
		no := fresh()
		webtest.Want(t, app.Post("/api/v1/cases/"+no+"/cancel", nil), 200, "")
		in.expect("cancel", no, "申请已撤回")

		no = fresh()
		post(station, no, "precheck", reject)
		in.expect("precheck reject", no, "申请未通过核验")

		no = fresh()
		post(station, no, "precheck", approve)
		in.expect("precheck approve", no, "申请已受理")
		post(county, no, "review", reject)
		in.expect("review reject", no, "申请未通过审核")

		no = fresh()
		post(station, no, "precheck", approve)
		in.expect("precheck approve", no, "申请已受理")
		webtest.Want(t, app.Post("/api/v1/cases/"+no+"/temporary-card", nil), 201, "")
		post(county, no, "temporary-card", map[string]any{"card_no": "TMP123456"})
		in.expect("temporary card issue", no, "临时身份证已签发")
		post(county, no, "review", approve)
		in.expect("review approve", no, "证件已签发")
		post(sup, no, "extend", map[string]any{"days": 10, "reason": "偏远地区交通不便"})
		in.expect("extend", no, "办理期限已延长")
		post(prod, no, "produce", nil)
		in.expect("produce", no, "证件已制作")
		post(prod, no, "ship", map[string]any{})
		in.expect("ship", no, "证件已寄出")
		post(station, no, "arrive", nil)
		in.expect("arrive", no, "证件可以领取")
		// The pickup window ends (the job's clock cannot be moved here).
		c, err := env.Store.Q(ctx).CaseByNo(no)
		if err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-time.Minute)
		c.PickupDueAt = &past
		if err := env.Store.Q(ctx).UpdateCase(&c); err != nil {
			t.Fatal(err)
		}
		if n, err := env.Service.ClosePickupWindows(ctx); err != nil || n != 1 {
			t.Fatalf("close pickup windows: %d, %v", n, err)
		}
		in.expect("close pickup", no, "证件逾期未领取")
		post(sup, no, "reopen-pickup", map[string]any{"reason": "申请人外出务工，已联系"})
		in.expect("reopen pickup", no, "领取期限已重新开放")
		token := webtest.PickupToken(t, app, no)
		webtest.Want(t, station.Post("/api/v1/staff/pickup/handover", map[string]any{"token": token, "old_card_returned": true}), 200, "")
		in.expect("handover", no, "证件已领取")
	})

	t.Run("MailRoute", func(t *testing.T) {
		p := webtest.LiMei
		app := webtest.Applicant(t, env, p.Phone, p.Name, p.ID)
		in := &noticeInbox{t: t, env: env, app: app}
		no := submit(app, p, p.County, true)
		in.expect("submit", no, "申请已提交")
		post(webtest.StaffAPI(t, env, "station-"+p.County), no, "precheck", approve)
		in.expect("precheck approve", no, "申请已受理")
		post(webtest.StaffAPI(t, env, "county-"+p.County), no, "review", approve)
		in.expect("review approve", no, "证件已签发")
		webtest.Want(t, app.Post("/api/v1/cases/"+no+"/payment", map[string]any{"channel": "jsapi"}), 200, "") // the mail route pays first
		post(prod, no, "produce", nil)
		in.expect("produce", no, "证件已制作")
		post(prod, no, "ship", map[string]any{"tracking_no": "EA123456785CN"})
		in.expect("ship", no, "证件已寄出")
		post(prod, no, "deliver", map[string]any{"signed_by": p.Name})
		in.expect("deliver", no, "证件已送达")
	})
}
