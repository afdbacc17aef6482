package web_test

import (
	"context"
	"github.com/gzga/idcard/backend/internal/service"
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// TestCaseBatch: the station confirms arrivals and the production centre
// produces and ships from the list; stale or unfit rows fail with a reason
// while the others go through.
func TestCaseBatch(t *testing.T) {
	env := webtest.Start(t)

	t.Run("Arrive", func(t *testing.T) {
		var nos []string
		for range 3 {
			no := env.NewCase(t, webtest.CaseSpec{})
			env.Drive(t, no, domain.StatusShipped)
			nos = append(nos, no)
		}
		mail := env.NewCase(t, webtest.CaseSpec{Mail: true})
		env.Drive(t, mail, domain.StatusShipped)
		b := webtest.StaffPages(t, env, "station-520102").Following()
		body := b.Get("/staff/cases?status=shipped&collection=window&order=due").Text()
		webtest.Has(t, "arrivals list", body, `id="batch-arrive"`, `value="`+env.Pick(t, nos[0])+`"`, "没有阶段期限")
		stale := env.Pick(t, nos[2])
		env.UpdateCase(t, nos[2], func(c *store.Case) {})
		back := "/staff/cases?status=shipped&collection=window"
		_, body = b.Post("/staff/cases/batch", url.Values{"action": {"arrive"}, "back": {back},
			"case": {env.Pick(t, nos[0]), env.Pick(t, nos[1]), stale}}).Page()
		webtest.Has(t, "batch arrive", body, "批量确认到证：成功2件，失败1件", nos[2]+"（办件已有更新（可能已被他人处理）")
		env.WantStatus(t, nos[0], domain.StatusReadyForPickup)
		env.WantStatus(t, nos[1], domain.StatusReadyForPickup)
		env.WantStatus(t, nos[2], domain.StatusShipped)
		if !strings.Contains(body, nos[2]) || strings.Contains(body, `value="`+env.Pick(t, nos[0])+`"`) {
			t.Fatal("the list after the batch is not the filtered list it came from")
		}
		body = b.Post("/staff/cases/batch", url.Values{"action": {"arrive"}, "case": {env.Pick(t, mail)}}).Text()
		webtest.Has(t, "mail arrival", body, "成功0件，失败1件", mail)
		body = b.Post("/staff/cases/batch", url.Values{"action": {"arrive"}}).Text()
		webtest.Has(t, "nothing ticked", body, "请先勾选要处理的办件")
	})

	t.Run("ProduceShip", func(t *testing.T) {
		a, bb := env.NewCase(t, webtest.CaseSpec{}), env.NewCase(t, webtest.CaseSpec{Mail: true})
		env.Drive(t, a, domain.StatusIssued)
		env.Drive(t, bb, domain.StatusIssued)
		c := env.Case(t, bb) // the mail route pays before production
		if _, err := env.Service.Pay(context.Background(), service.ApplicantActor(c.ApplicantID, "127.0.0.1"), bb, domain.ChannelMiniProgram); err != nil {
			t.Fatal(err)
		}
		p := webtest.StaffPages(t, env, "production").Following()
		body := p.Get("/staff/cases?status=issued&order=due").Text()
		webtest.Has(t, "issued queue", body, `id="batch-produce"`, env.Pick(t, a), env.Pick(t, bb))
		body = p.Post("/staff/cases/batch", url.Values{"action": {"produce"}, "case": {env.Pick(t, a), env.Pick(t, bb)}}).Text()
		webtest.Has(t, "batch produce", body, "批量制作完成：成功2件，失败0件")
		env.WantStatus(t, a, domain.StatusProduced)
		env.WantStatus(t, bb, domain.StatusProduced)
		body = p.Get("/staff/cases?status=produced").Text()
		webtest.Has(t, "produced list", body, `id="batch-ship"`, `value="`+env.Pick(t, a)+`"`)
		webtest.Lacks(t, "produced list", body, `value="`+env.Pick(t, bb)+`"`)
		body = p.Post("/staff/cases/batch", url.Values{"action": {"ship"}, "case": {env.Pick(t, a), env.Pick(t, bb)}}).Text()
		webtest.Has(t, "batch ship", body, "成功1件，失败1件", "逐件填写EMS运单号")
		env.WantStatus(t, a, domain.StatusShipped)
		env.WantStatus(t, bb, domain.StatusProduced)
	})

	t.Run("ErrRole", func(t *testing.T) {
		no := env.NewCase(t, webtest.CaseSpec{})
		env.Drive(t, no, domain.StatusIssued)
		code := webtest.StaffPages(t, env, "station-520102").Following().Post("/staff/cases/batch", url.Values{"action": {"produce"}, "case": {env.Pick(t, no)}}).Status
		if code != 403 {
			t.Fatalf("station batch produce: %d", code)
		}
		env.WantStatus(t, no, domain.StatusIssued)
	})
}
