package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// cpPick is the list form value of a case at its current version.
func cpPick(w *cpWorld, no string) string { return no + ":" + cpVersion(w, no) }

// TestCaseBatch: the station confirms arrivals and the production centre
// produces and ships from the list; stale or unfit rows fail with a reason
// while the others go through.
func TestCaseBatch(t *testing.T) {
	w := newCPWorld(t)

	t.Run("Arrive", func(t *testing.T) {
		var nos []string
		for range 3 {
			no := w.newCase(cpOpts{})
			w.drive(no, domain.StatusShipped)
			nos = append(nos, no)
		}
		mail := w.newCase(cpOpts{mail: true})
		w.drive(mail, domain.StatusShipped)
		b := w.signIn("station-520102")
		_, body := b.get("/staff/cases?status=shipped&collection=window&order=due")
		cpHas(t, "arrivals list", body, `id="batch-arrive"`, `value="`+cpPick(w, nos[0])+`"`, "没有阶段期限")
		stale := cpPick(w, nos[2])
		w.update(nos[2], func(c *store.Case) {})
		back := "/staff/cases?status=shipped&collection=window"
		_, body = b.post("/staff/cases/batch", url.Values{"action": {"arrive"}, "back": {back},
			"case": {cpPick(w, nos[0]), cpPick(w, nos[1]), stale}})
		cpHas(t, "batch arrive", body, "批量确认到证：成功2件，失败1件", nos[2]+"（办件已有更新（可能已被他人处理）")
		cpWantStatus(t, w, nos[0], domain.StatusReadyForPickup)
		cpWantStatus(t, w, nos[1], domain.StatusReadyForPickup)
		cpWantStatus(t, w, nos[2], domain.StatusShipped)
		if !strings.Contains(body, nos[2]) || strings.Contains(body, `value="`+cpPick(w, nos[0])+`"`) {
			t.Fatal("the list after the batch is not the filtered list it came from")
		}
		_, body = b.post("/staff/cases/batch", url.Values{"action": {"arrive"}, "case": {cpPick(w, mail)}})
		cpHas(t, "mail arrival", body, "成功0件，失败1件", mail)
		_, body = b.post("/staff/cases/batch", url.Values{"action": {"arrive"}})
		cpHas(t, "nothing ticked", body, "请先勾选要处理的办件")
	})

	t.Run("ProduceShip", func(t *testing.T) {
		a, bb := w.newCase(cpOpts{}), w.newCase(cpOpts{mail: true})
		w.drive(a, domain.StatusIssued)
		w.drive(bb, domain.StatusIssued)
		p := w.signIn("production")
		_, body := p.get("/staff/cases?status=issued&order=due")
		cpHas(t, "issued queue", body, `id="batch-produce"`, cpPick(w, a), cpPick(w, bb))
		_, body = p.post("/staff/cases/batch", url.Values{"action": {"produce"}, "case": {cpPick(w, a), cpPick(w, bb)}})
		cpHas(t, "batch produce", body, "批量制作完成：成功2件，失败0件")
		cpWantStatus(t, w, a, domain.StatusProduced)
		cpWantStatus(t, w, bb, domain.StatusProduced)
		_, body = p.get("/staff/cases?status=produced")
		cpHas(t, "produced list", body, `id="batch-ship"`, `value="`+cpPick(w, a)+`"`)
		cpLacks(t, "produced list", body, `value="`+cpPick(w, bb)+`"`)
		_, body = p.post("/staff/cases/batch", url.Values{"action": {"ship"}, "case": {cpPick(w, a), cpPick(w, bb)}})
		cpHas(t, "batch ship", body, "成功1件，失败1件", "逐件填写EMS运单号")
		cpWantStatus(t, w, a, domain.StatusShipped)
		cpWantStatus(t, w, bb, domain.StatusProduced)
	})

	t.Run("ErrRole", func(t *testing.T) {
		no := w.newCase(cpOpts{})
		w.drive(no, domain.StatusIssued)
		code, _ := w.signIn("station-520102").post("/staff/cases/batch", url.Values{"action": {"produce"}, "case": {cpPick(w, no)}})
		if code != 403 {
			t.Fatalf("station batch produce: %d", code)
		}
		cpWantStatus(t, w, no, domain.StatusIssued)
	})
}
