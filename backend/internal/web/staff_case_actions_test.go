package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"context"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestCaseForms walks a window case and a mail case through every form of
// the case page: each posts, redirects to the case page and shows a flash.
func TestCaseForms(t *testing.T) {
	env := webtest.Start(t)
	station, county, prod := webtest.StaffPages(t, env, "station-520102").Following(), webtest.StaffPages(t, env, "county-520102").Following(), webtest.StaffPages(t, env, "production").Following()

	t.Run("Window", func(t *testing.T) {
		no := env.NewCase(t, webtest.CaseSpec{})
		path := "/staff/cases/" + no
		code, body := station.Post(path+"/precheck", env.ActionForm(t, no, "decision", "approve")).Page()
		if code != 200 {
			t.Fatalf("precheck: %d", code)
		}
		webtest.Has(t, "precheck", body, "flash ok", "核验通过", "已受理待签发")
		env.WantStatus(t, no, domain.StatusAccepted)
		body = county.Post(path+"/review", env.ActionForm(t, no, "decision", "approve")).Text()
		webtest.Has(t, "review", body, "审核签发完成")
		env.WantStatus(t, no, domain.StatusIssued)
		body = prod.Post(path+"/produce", env.ActionForm(t, no)).Text()
		webtest.Has(t, "produce", body, "已标记制作完成", `id="form-ship"`)
		body = prod.Post(path+"/ship", env.ActionForm(t, no, "tracking_no", "")).Text()
		webtest.Has(t, "ship", body, "已发出，寄往")
		env.WantStatus(t, no, domain.StatusShipped)
		body = station.Post(path+"/arrive", env.ActionForm(t, no)).Text()
		webtest.Has(t, "arrive", body, "已确认证件到站", "领取期限至")
		env.WantStatus(t, no, domain.StatusReadyForPickup)
	})

	t.Run("Mail", func(t *testing.T) {
		no := env.NewCase(t, webtest.CaseSpec{Mail: true})
		env.Drive(t, no, domain.StatusProduced)
		path := "/staff/cases/" + no
		body := prod.Get(path).Text()
		webtest.Has(t, "mail ship form", body, "EMS运单号（必填）")
		body = prod.Post(path+"/ship", env.ActionForm(t, no, "tracking_no", "")).Text()
		webtest.Has(t, "ship without number", body, "flash err", "必须填写EMS运单号")
		body = prod.Post(path+"/ship", env.ActionForm(t, no, "tracking_no", "EA123456784CN")).Text()
		webtest.Has(t, "bad check digit", body, "flash err")
		env.WantStatus(t, no, domain.StatusProduced)
		body = prod.Post(path+"/ship", env.ActionForm(t, no, "tracking_no", "ea123456785cn")).Text()
		webtest.Has(t, "ship", body, "EA123456785CN")
		env.WantStatus(t, no, domain.StatusShipped)
		body = prod.Post(path+"/deliver", env.ActionForm(t, no, "signed_by", "")).Text()
		webtest.Has(t, "deliver without name", body, "请填写签收人")
		body = prod.Post(path+"/deliver", env.ActionForm(t, no, "signed_by", "本人")).Text()
		webtest.Has(t, "deliver", body, "已记录投递签收", "本人")
		env.WantStatus(t, no, domain.StatusDelivered)
	})

	t.Run("Reject", func(t *testing.T) {
		no := env.NewCase(t, webtest.CaseSpec{})
		path := "/staff/cases/" + no
		body := station.Post(path+"/precheck", env.ActionForm(t, no, "decision", "reject")).Text()
		webtest.Has(t, "reject without reason", body, "flash err", "须说明原因")
		env.WantStatus(t, no, domain.StatusSubmitted)
		body = station.Post(path+"/precheck", env.ActionForm(t, no, "decision", "reject", "reason_choice", "其他")).Text()
		webtest.Has(t, "other without text", body, "须说明原因")
		body = station.Post(path+"/precheck", env.ActionForm(t, no, "decision", "reject", "reason_choice", "相片不符合要求", "reason_text", "背景不是白色")).Text()
		webtest.Has(t, "reject", body, "核验不通过", "不通过原因：相片不符合要求：背景不是白色")
		env.WantStatus(t, no, domain.StatusRejected)

		no = env.NewCase(t, webtest.CaseSpec{})
		env.Drive(t, no, domain.StatusAccepted)
		body = county.Post("/staff/cases/"+no+"/review", env.ActionForm(t, no, "decision", "reject", "reason_text", "申请人自述证件未丢失")).Text()
		webtest.Has(t, "review reject", body, "审核不通过", "申请人自述证件未丢失")
		env.WantStatus(t, no, domain.StatusRejected)
	})

	t.Run("Stale", func(t *testing.T) {
		no := env.NewCase(t, webtest.CaseSpec{})
		old := env.ActionForm(t, no, "decision", "approve")
		env.UpdateCase(t, no, func(c *store.Case) {}) // someone else saved the case
		body := station.Post("/staff/cases/"+no+"/precheck", old).Text()
		webtest.Has(t, "stale", body, "flash err", "可能已被他人处理")
		env.WantStatus(t, no, domain.StatusSubmitted)
		body = station.Post("/staff/cases/"+no+"/precheck", url.Values{"decision": {"approve"}}).Text()
		webtest.Has(t, "form without a version", body, "flash err", "表单缺少办件版本")
		env.WantStatus(t, no, domain.StatusSubmitted)
	})

	t.Run("ErrWrongRoleOrPlace", func(t *testing.T) {
		no := env.NewCase(t, webtest.CaseSpec{})
		code, body := county.Post("/staff/cases/"+no+"/precheck", env.ActionForm(t, no, "decision", "approve")).Page()
		if code != http.StatusForbidden {
			t.Fatalf("county pre-check: %d", code)
		}
		webtest.Lacks(t, "denied", body, `id="registry"`)
		code = webtest.StaffPages(t, env, "station-520103").Following().Post("/staff/cases/"+no+"/precheck", env.ActionForm(t, no, "decision", "approve")).Status
		if code != http.StatusNotFound {
			t.Fatalf("other station: %d", code)
		}
		env.WantStatus(t, no, domain.StatusSubmitted)
	})
}

// TestCaseFormsSupervisor: extension of a case at a remote station, its
// refusal elsewhere, and re-opening an uncollected pickup.
func TestCaseFormsSupervisor(t *testing.T) {
	env := webtest.Start(t)
	remote := env.NewCase(t, webtest.CaseSpec{Household: "520425"}) // 紫云, a remote county
	sup := webtest.StaffPages(t, env, "supervisor-5204").Following()
	body := sup.Get("/staff/cases/" + remote).Text()
	webtest.Has(t, "remote case", body, `id="form-extend"`, "还可延长30日")
	body = sup.Post("/staff/cases/"+remote+"/extend", env.ActionForm(t, remote, "days", "10", "reason", "山区道路中断")).Text()
	webtest.Has(t, "extend", body, "已延长10天", "已延长10天")
	if c := env.Case(t, remote); c.ExtensionDays != 10 {
		t.Fatalf("extension days %d", c.ExtensionDays)
	}
	body = sup.Post("/staff/cases/"+remote+"/extend", env.ActionForm(t, remote, "days", "25", "reason", "再延")).Text()
	webtest.Has(t, "over the limit", body, "flash err", "不得超过30天")

	ordinary := env.NewCase(t, webtest.CaseSpec{Household: "520402"})
	body = sup.Get("/staff/cases/" + ordinary).Text()
	webtest.Has(t, "ordinary case", body, `id="extend-blocked"`, "不属于边远")
	webtest.Lacks(t, "ordinary case", body, `id="form-extend"`)
	body = sup.Post("/staff/cases/"+ordinary+"/extend", env.ActionForm(t, ordinary, "days", "5", "reason", "试")).Text()
	webtest.Has(t, "refused extension", body, "flash err", "边远")

	env.Drive(t, ordinary, domain.StatusReadyForPickup)
	env.UpdateCase(t, ordinary, func(c *store.Case) {
		past := time.Now().Add(-time.Hour).UTC()
		c.PickupDueAt = &past
	})
	if _, err := env.Service.ClosePickup(context.Background(), ordinary); err != nil {
		t.Fatal(err)
	}
	body = sup.Get("/staff/cases/" + ordinary).Text()
	webtest.Has(t, "uncollected", body, `id="form-reopen"`)
	body = sup.Post("/staff/cases/"+ordinary+"/reopen", env.ActionForm(t, ordinary, "reason", "申请人住院")).Text()
	webtest.Has(t, "reopen", body, "已重新开放领取", "新的领取期限至")
	env.WantStatus(t, ordinary, domain.StatusReadyForPickup)
}

// TestCaseFormCrossSite: a form posted from another site is refused before
// it reaches the case.
func TestCaseFormCrossSite(t *testing.T) {
	env := webtest.Start(t)
	no := env.NewCase(t, webtest.CaseSpec{})
	b := webtest.StaffPages(t, env, "station-520102").Following()
	r := b.Do(http.MethodPost, "/staff/cases/"+no+"/precheck", env.ActionForm(t, no, "decision", "approve"),
		map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if r.Status != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", r.Status)
	}
	env.WantStatus(t, no, domain.StatusSubmitted)
	r = b.Do(http.MethodPost, "/staff/cases/batch", url.Values{"action": {"arrive"}, "case": {no + ":1"}},
		map[string]string{"Sec-Fetch-Site": "cross-site"})
	if r.Status != http.StatusForbidden {
		t.Fatalf("cross-site batch: %d", r.Status)
	}
	r = b.Do(http.MethodPost, "/staff/cases/"+no+"/precheck", env.ActionForm(t, no, "decision", "approve"),
		map[string]string{"Sec-Fetch-Site": "same-origin"})
	if r.Status != 200 {
		t.Fatalf("same-origin post: %d", r.Status)
	}
	env.WantStatus(t, no, domain.StatusAccepted)
}
