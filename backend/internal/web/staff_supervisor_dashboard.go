package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
)

// dashboardView is the dashboard page's data, with the numbers the
// template shows already formatted.
type dashboardView struct {
	D        service.Dashboard
	RatePct  string
	Statuses []statusRow
	Stages   []stageRow
	Stations []stationRow
	Trend    []service.TrendDay
	Chart    trendChart
	Kinds    []option
	Colls    []option
	States   []option
	Counties []option
}

type statusRow struct {
	service.StatusCount
	Pct, Link, OverdueLink string
}

type stageRow struct {
	service.StageStat
	OverdueShare        float64
	OverduePct, RatePct string
	Link, OverdueLink   string
}

type stationRow struct {
	service.StationStat
	Rank int
	Link string
}

// trendChart is the JSON the chart script reads from #trend-data.
type trendChart struct {
	Days      []string `json:"days"`
	Submitted []int64  `json:"submitted"`
	Finished  []int64  `json:"finished"`
	Handed    []int64  `json:"handed"`
}

// option is one choice of a select.
type option struct{ Value, Label string }

// dashboardPage: GET /staff/dashboard — the supervisor's overview.
func (s *Server) dashboardPage(c *gin.Context) {
	a, me, ok := s.staffPage(c)
	if !ok || !s.requireRole(c, a, me, domain.RoleSupervisor) {
		return
	}
	d, err := s.deps.Service.Dashboard(c.Request.Context(), a)
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	divs, err := s.deps.Service.DivisionOptions(c.Request.Context())
	if err != nil {
		s.pageError(c, me, err)
		return
	}
	v := newDashboardView(d)
	for _, dv := range divs {
		if dv.Level == 3 && strings.HasPrefix(dv.Prefix, d.Scope) {
			v.Counties = append(v.Counties, option{dv.Prefix, dv.Name})
		}
	}
	s.render(c, http.StatusOK, "staff/supervisor/dashboard.html", pageData{Title: "统计监督", Me: me, Nav: "dashboard", Data: v})
}

func newDashboardView(d service.Dashboard) dashboardView {
	v := dashboardView{D: d, RatePct: percent(d.Period.Rate), Trend: slices.Clone(d.Trend),
		Kinds: kindOptions(), Colls: collectionOptions(), States: statusOptions()}
	slices.Reverse(v.Trend) // the table shows the newest day first
	for _, st := range d.Statuses {
		v.Statuses = append(v.Statuses, statusRow{StatusCount: st, Pct: percent(st.Share),
			Link: caseListLink("status", st.Status), OverdueLink: caseListLink("status", st.Status, "overdue", "1")})
	}
	for _, st := range d.Stages {
		r := stageRow{StageStat: st, RatePct: percent(st.Rate), Link: caseListLink("status", st.Status),
			OverdueLink: caseListLink("status", st.Status, "overdue", "1")}
		if st.Open > 0 {
			r.OverdueShare = float64(st.Overdue) / float64(st.Open)
		}
		r.OverduePct = percent(r.OverdueShare)
		if st.Done == 0 {
			r.RatePct = "—"
		}
		v.Stages = append(v.Stages, r)
	}
	for i, st := range d.Stations {
		v.Stations = append(v.Stations, stationRow{StationStat: st, Rank: i + 1,
			Link: caseListLink("office_id", fmt.Sprint(st.ID), "overdue", "1")})
	}
	for _, t := range d.Trend {
		v.Chart.Days = append(v.Chart.Days, t.Day[5:])
		v.Chart.Submitted = append(v.Chart.Submitted, t.Submitted)
		v.Chart.Finished = append(v.Chart.Finished, t.Finished)
		v.Chart.Handed = append(v.Chart.Handed, t.Handed)
	}
	if d.Period.Done == 0 {
		v.RatePct = "—"
	}
	return v
}

// percent formats a share (0–1) as a percentage with one decimal.
func percent(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

// caseListLink is the staff case list filtered by the given pairs.
func caseListLink(kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return "/staff/cases?" + q.Encode()
}

func kindOptions() []option {
	var out []option
	for _, k := range domain.AllKinds() {
		out = append(out, option{string(k), k.Label()})
	}
	return out
}

func collectionOptions() []option {
	var out []option
	for _, k := range domain.AllCollections() {
		out = append(out, option{string(k), k.Label()})
	}
	return out
}

func statusOptions() []option {
	var out []option
	for _, k := range domain.AllStatuses() {
		out = append(out, option{string(k), k.Label()})
	}
	return out
}
