package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// caseQueryFrom reads the staff case-list filter that the JSON API, the
// list page and its export share, with the same parameter names: status,
// kind, collection, county, office_id, overdue=1, q (the start of a case
// number), from and to (Asia/Shanghai dates, to inclusive), order=due and
// cursor. The caller sets the limit. A malformed value is an error with code
// bad: the API answers it as 400 BAD_REQUEST, the pages show it beside the
// form. Whether the values make sense together is the service's to say.
func caseQueryFrom(c *gin.Context, bad domain.Code) (service.CaseQuery, error) {
	cq := service.CaseQuery{Status: c.Query("status"), Kind: c.Query("kind"), Collection: c.Query("collection"),
		County: strings.TrimSpace(c.Query("county")), No: strings.TrimSpace(c.Query("q")), Overdue: c.Query("overdue") == "1",
		DueFirst: c.Query("order") == "due", Cursor: c.Query("cursor")}
	if v := strings.TrimSpace(c.Query("office_id")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return cq, domain.Errorf(bad, "派出所（office_id）应为派出所编号，请重新选择")
		}
		cq.OfficeID = id
	}
	for _, p := range []struct {
		name, label string
		dst         *time.Time
	}{{"from", "开始日期", &cq.From}, {"to", "结束日期", &cq.To}} {
		v := strings.TrimSpace(c.Query(p.name))
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation(calendar.DateLayout, v, calendar.Location())
		if err != nil {
			return cq, domain.Errorf(bad, "%s应为日期，如 2026-03-01", p.label)
		}
		if p.name == "to" {
			t = t.AddDate(0, 0, 1) // the end date is inclusive
		}
		*p.dst = t
	}
	return cq, nil
}
