package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// cpForm is an action form with the case's current version.
func cpForm(w *cpWorld, no string, kv ...string) url.Values {
	f := url.Values{"version": {cpVersion(w, no)}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// cpWantStatus fails unless the case is in status.
func cpWantStatus(t *testing.T, w *cpWorld, no string, st domain.Status) {
	t.Helper()
	if got := w.caseRow(no).Status; got != string(st) {
		t.Fatalf("case %s is %s, want %s", no, got, st)
	}
}

// TestCaseForms walks a window case and a mail case through every form of
// the case page: each posts, redirects to the case page and shows a flash.
func TestCaseForms(t *testing.T) {
	w := newCPWorld(t)
	station, county, prod := w.signIn("station-520102"), w.signIn("county-520102"), w.signIn("production")

	t.Run("Window", func(t *testing.T) {
		no := w.newCase(cpOpts{})
		path := "/staff/cases/" + no
		code, body := station.post(path+"/precheck", cpForm(w, no, "decision", "approve"))
		if code != 200 {
			t.Fatalf("precheck: %d", code)
		}
		cpHas(t, "precheck", body, "flash ok", "核验通过", "已受理待签发")
		cpWantStatus(t, w, no, domain.StatusAccepted)
		_, body = county.post(path+"/review", cpForm(w, no, "decision", "approve"))
		cpHas(t, "review", body, "审核签发完成")
		cpWantStatus(t, w, no, domain.StatusIssued)
		_, body = prod.post(path+"/produce", cpForm(w, no))
		cpHas(t, "produce", body, "已标记制作完成", `id="form-ship"`)
		_, body = prod.post(path+"/ship", cpForm(w, no, "tracking_no", ""))
		cpHas(t, "ship", body, "已发出，寄往")
		cpWantStatus(t, w, no, domain.StatusShipped)
		_, body = station.post(path+"/arrive", cpForm(w, no))
		cpHas(t, "arrive", body, "已确认证件到站", "领取期限至")
		cpWantStatus(t, w, no, domain.StatusReadyForPickup)
	})

	t.Run("Mail", func(t *testing.T) {
		no := w.newCase(cpOpts{mail: true})
		w.drive(no, domain.StatusProduced)
		path := "/staff/cases/" + no
		_, body := prod.get(path)
		cpHas(t, "mail ship form", body, "EMS运单号（必填）")
		_, body = prod.post(path+"/ship", cpForm(w, no, "tracking_no", ""))
		cpHas(t, "ship without number", body, "flash err", "必须填写EMS运单号")
		_, body = prod.post(path+"/ship", cpForm(w, no, "tracking_no", "EA123456784CN"))
		cpHas(t, "bad check digit", body, "flash err")
		cpWantStatus(t, w, no, domain.StatusProduced)
		_, body = prod.post(path+"/ship", cpForm(w, no, "tracking_no", "ea123456785cn"))
		cpHas(t, "ship", body, "EA123456785CN")
		cpWantStatus(t, w, no, domain.StatusShipped)
		_, body = prod.post(path+"/deliver", cpForm(w, no, "signed_by", ""))
		cpHas(t, "deliver without name", body, "请填写签收人")
		_, body = prod.post(path+"/deliver", cpForm(w, no, "signed_by", "本人"))
		cpHas(t, "deliver", body, "已记录投递签收", "本人")
		cpWantStatus(t, w, no, domain.StatusDelivered)
	})

	t.Run("Reject", func(t *testing.T) {
		no := w.newCase(cpOpts{})
		path := "/staff/cases/" + no
		_, body := station.post(path+"/precheck", cpForm(w, no, "decision", "reject"))
		cpHas(t, "reject without reason", body, "flash err", "须说明原因")
		cpWantStatus(t, w, no, domain.StatusSubmitted)
		_, body = station.post(path+"/precheck", cpForm(w, no, "decision", "reject", "reason_choice", "其他"))
		cpHas(t, "other without text", body, "须说明原因")
		_, body = station.post(path+"/precheck", cpForm(w, no, "decision", "reject",
			"reason_choice", "相片不符合要求", "reason_text", "背景不是白色"))
		cpHas(t, "reject", body, "核验不通过", "不通过原因：相片不符合要求：背景不是白色")
		cpWantStatus(t, w, no, domain.StatusRejected)

		no = w.newCase(cpOpts{})
		w.drive(no, domain.StatusAccepted)
		_, body = county.post("/staff/cases/"+no+"/review", cpForm(w, no, "decision", "reject", "reason_text", "申请人自述证件未丢失"))
		cpHas(t, "review reject", body, "审核不通过", "申请人自述证件未丢失")
		cpWantStatus(t, w, no, domain.StatusRejected)
	})

	t.Run("Stale", func(t *testing.T) {
		no := w.newCase(cpOpts{})
		old := cpForm(w, no, "decision", "approve")
		w.update(no, func(c *store.Case) {}) // someone else saved the case
		_, body := station.post("/staff/cases/"+no+"/precheck", old)
		cpHas(t, "stale", body, "flash err", "可能已被他人处理")
		cpWantStatus(t, w, no, domain.StatusSubmitted)
		_, body = station.post("/staff/cases/"+no+"/precheck", url.Values{"decision": {"approve"}})
		cpHas(t, "form without a version", body, "flash err", "表单缺少办件版本")
		cpWantStatus(t, w, no, domain.StatusSubmitted)
	})

	t.Run("ErrWrongRoleOrPlace", func(t *testing.T) {
		no := w.newCase(cpOpts{})
		code, body := county.post("/staff/cases/"+no+"/precheck", cpForm(w, no, "decision", "approve"))
		if code != http.StatusForbidden {
			t.Fatalf("county pre-check: %d", code)
		}
		cpLacks(t, "denied", body, `id="registry"`)
		code, _ = w.signIn("station-520103").post("/staff/cases/"+no+"/precheck", cpForm(w, no, "decision", "approve"))
		if code != http.StatusNotFound {
			t.Fatalf("other station: %d", code)
		}
		cpWantStatus(t, w, no, domain.StatusSubmitted)
	})
}

// TestCaseFormsSupervisor: extension of a case at a remote station, its
// refusal elsewhere, and re-opening an uncollected pickup.
func TestCaseFormsSupervisor(t *testing.T) {
	w := newCPWorld(t)
	remote := w.newCase(cpOpts{household: "520425"}) // 紫云, a remote county
	sup := w.signIn("supervisor-5204")
	_, body := sup.get("/staff/cases/" + remote)
	cpHas(t, "remote case", body, `id="form-extend"`, "还可延长30日")
	_, body = sup.post("/staff/cases/"+remote+"/extend", cpForm(w, remote, "days", "10", "reason", "山区道路中断"))
	cpHas(t, "extend", body, "已延长10天", "已延长10天")
	if c := w.caseRow(remote); c.ExtensionDays != 10 {
		t.Fatalf("extension days %d", c.ExtensionDays)
	}
	_, body = sup.post("/staff/cases/"+remote+"/extend", cpForm(w, remote, "days", "25", "reason", "再延"))
	cpHas(t, "over the limit", body, "flash err", "不得超过30天")

	ordinary := w.newCase(cpOpts{household: "520402"})
	_, body = sup.get("/staff/cases/" + ordinary)
	cpHas(t, "ordinary case", body, `id="extend-blocked"`, "不属于边远")
	cpLacks(t, "ordinary case", body, `id="form-extend"`)
	_, body = sup.post("/staff/cases/"+ordinary+"/extend", cpForm(w, ordinary, "days", "5", "reason", "试"))
	cpHas(t, "refused extension", body, "flash err", "边远")

	w.drive(ordinary, domain.StatusReadyForPickup)
	w.update(ordinary, func(c *store.Case) {
		past := time.Now().Add(-time.Hour).UTC()
		c.PickupDueAt = &past
	})
	if _, err := w.env.Service.ClosePickup(w.ctx, ordinary); err != nil {
		t.Fatal(err)
	}
	_, body = sup.get("/staff/cases/" + ordinary)
	cpHas(t, "uncollected", body, `id="form-reopen"`)
	_, body = sup.post("/staff/cases/"+ordinary+"/reopen", cpForm(w, ordinary, "reason", "申请人住院"))
	cpHas(t, "reopen", body, "已重新开放领取", "新的领取期限至")
	cpWantStatus(t, w, ordinary, domain.StatusReadyForPickup)
}

// TestCaseFormCrossSite: a form posted from another site is refused before
// it reaches the case.
func TestCaseFormCrossSite(t *testing.T) {
	w := newCPWorld(t)
	no := w.newCase(cpOpts{})
	b := w.signIn("station-520102")
	res, _ := b.do(http.MethodPost, "/staff/cases/"+no+"/precheck", cpForm(w, no, "decision", "approve"),
		http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", res.StatusCode)
	}
	cpWantStatus(t, w, no, domain.StatusSubmitted)
	res, _ = b.do(http.MethodPost, "/staff/cases/batch", url.Values{"action": {"arrive"}, "case": {no + ":1"}},
		http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site batch: %d", res.StatusCode)
	}
	res, _ = b.do(http.MethodPost, "/staff/cases/"+no+"/precheck", cpForm(w, no, "decision", "approve"),
		http.Header{"Sec-Fetch-Site": {"same-origin"}})
	if res.StatusCode != 200 {
		t.Fatalf("same-origin post: %d", res.StatusCode)
	}
	cpWantStatus(t, w, no, domain.StatusAccepted)
}
