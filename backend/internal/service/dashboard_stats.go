package service

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// DashboardDays is how many days the trend and the on-time rates cover,
// today included.
const DashboardDays = 30

// dashboardTopStations is how many stations the overdue ranking shows.
const dashboardTopStations = 20

// stageRule is one stage with a due time, in process order.
type stageRule struct {
	status domain.Status
	label  string
	rule   string
	days   int // working days from the stage's start to its due date
}

// dashboardStages are the stages whose due time the dashboard watches.
var dashboardStages = []stageRule{
	{domain.StatusSubmitted, "核验预受理", "提交后3个工作日内核验", calendar.PrecheckWorkingDays},
	{domain.StatusAccepted, "审核签发", "受理后3个工作日内签发", calendar.ReviewWorkingDays},
	{domain.StatusIssued, "证件制作", "签发后3个工作日内制作", calendar.ProductionWorkingDays},
	{domain.StatusProduced, "证件发出", "与制作同一时限：签发后3个工作日内发出", calendar.ProductionWorkingDays},
	{domain.StatusReadyForPickup, "窗口领取", "受理后30个工作日的领取期内领取", calendar.PickupWorkingDays},
}

// stageIndex is the position of a status in dashboardStages, or -1.
func stageIndex(s string) int {
	for i, st := range dashboardStages {
		if string(st.status) == s {
			return i
		}
	}
	return -1
}

// Dashboard is the supervisor's overview of its division.
type Dashboard struct {
	Scope     string         `json:"scope"`
	ScopeName string         `json:"scope_name"`
	At        string         `json:"at"`
	Total     int64          `json:"total"`
	Open      int64          `json:"open"`
	Overdue   int64          `json:"overdue"`
	Statuses  []StatusCount  `json:"statuses"`
	Stages    []StageStat    `json:"stages"`
	Stations  []StationStat  `json:"stations"`
	Trend     []TrendDay     `json:"trend"`
	Period    DashboardTotal `json:"period"`
}

// StatusCount is the number of cases in one status.
type StatusCount struct {
	Status  string  `json:"status"`
	Label   string  `json:"label"`
	N       int64   `json:"n"`
	Overdue int64   `json:"overdue"`
	Final   bool    `json:"final"`
	Share   float64 `json:"share"` // of all cases, 0–1
}

// StageStat is one stage: its open and overdue cases now, and how many cases
// left it in the period and how many of those in time.
type StageStat struct {
	Status  string  `json:"status"`
	Label   string  `json:"label"`
	Rule    string  `json:"rule"`
	Open    int64   `json:"open"`
	Overdue int64   `json:"overdue"`
	Done    int64   `json:"done"`
	OnTime  int64   `json:"on_time"`
	Rate    float64 `json:"rate"` // OnTime/Done, 0–1; 0 when Done is 0
}

// StationStat is one station of the overdue ranking.
type StationStat struct {
	ID      int64   `json:"id"`
	Code    string  `json:"code"`
	Name    string  `json:"name"`
	County  string  `json:"county"`
	Open    int64   `json:"open"`
	Overdue int64   `json:"overdue"`
	ByStage []int64 `json:"by_stage"` // overdue per dashboardStages
}

// TrendDay is one day of the trend.
type TrendDay struct {
	Day       string `json:"day"`
	Submitted int64  `json:"submitted"`
	Finished  int64  `json:"finished"` // every final status
	Handed    int64  `json:"handed"`   // collected or delivered
	Refused   int64  `json:"refused"`  // rejected or cancelled
}

// DashboardTotal sums the period.
type DashboardTotal struct {
	Submitted int64   `json:"submitted"`
	Finished  int64   `json:"finished"`
	Done      int64   `json:"done"`
	OnTime    int64   `json:"on_time"`
	Rate      float64 `json:"rate"`
}

// supervisorScope returns the division a supervisor oversees. Returns
// FORBIDDEN for every other role.
func supervisorScope(a Actor) (string, error) {
	if a.Role != domain.RoleSupervisor || a.ScopeDivision == "" {
		return "", domain.Errorf(domain.CodeForbidden, "仅监督管理人员可查看统计与审计信息")
	}
	return a.ScopeDivision, nil
}

// divisionCode pads a division prefix to its six-digit code: 52 → 520000.
func divisionCode(prefix string) string {
	return prefix + strings.Repeat("0", max(0, 6-len(prefix)))
}

// Dashboard counts the cases of the stations in the supervisor's division:
// by status, overdue by stage and by station, and, over the last
// DashboardDays days, submissions and closures per day and the share of
// stage exits made in time (see dashboardDays). Returns FORBIDDEN for
// anyone but a supervisor.
func (s *Service) Dashboard(ctx context.Context, a Actor) (Dashboard, error) {
	scope, err := supervisorScope(a)
	if err != nil {
		return Dashboard{}, err
	}
	now := s.now()
	q := s.st.Q(ctx)
	counts, err := q.CasesByStationStatus(scope, now)
	if err != nil {
		return Dashboard{}, s.internal(ctx, "dashboard counts", err)
	}
	d := Dashboard{Scope: scope, At: calendar.FormatTime(now)}
	byStatus := map[string]*StatusCount{}
	for _, st := range domain.AllStatuses() {
		byStatus[string(st)] = &StatusCount{Status: string(st), Label: st.Label(), Final: st.IsFinal()}
	}
	d.Stages = make([]StageStat, len(dashboardStages))
	for i, st := range dashboardStages {
		d.Stages[i] = StageStat{Status: string(st.status), Label: st.label, Rule: st.rule}
	}
	stations := map[int64]*StationStat{}
	for _, c := range counts {
		sc, ok := byStatus[c.Status]
		if !ok {
			sc = &StatusCount{Status: c.Status, Label: c.Status}
			byStatus[c.Status] = sc
		}
		sc.N += c.N
		d.Total += c.N
		if sc.Final {
			continue
		}
		d.Open += c.N
		i := stageIndex(c.Status)
		if i < 0 {
			continue // shipped and uncollected have no due time
		}
		sc.Overdue += c.Overdue
		d.Overdue += c.Overdue
		d.Stages[i].Open += c.N
		d.Stages[i].Overdue += c.Overdue
		stn := stations[c.StationID]
		if stn == nil {
			stn = &StationStat{ID: c.StationID, ByStage: make([]int64, len(dashboardStages))}
			stations[c.StationID] = stn
		}
		stn.Open += c.N
		stn.Overdue += c.Overdue
		stn.ByStage[i] += c.Overdue
	}
	for _, st := range domain.AllStatuses() {
		sc := byStatus[string(st)]
		if d.Total > 0 {
			sc.Share = float64(sc.N) / float64(d.Total)
		}
		d.Statuses = append(d.Statuses, *sc)
	}
	if err := s.rankStations(q, &d, stations, scope); err != nil {
		return Dashboard{}, s.internal(ctx, "dashboard stations", err)
	}
	days, err := s.dashboardDays(ctx, scope, now)
	if err != nil {
		return Dashboard{}, s.internal(ctx, "dashboard days", err)
	}
	s.fillPeriod(&d, days)
	return d, nil
}

// rankStations keeps the stations with the most overdue cases and names
// them, their counties and the scope.
func (s *Service) rankStations(q *store.Q, d *Dashboard, stations map[int64]*StationStat, scope string) error {
	var ranked []*StationStat
	for _, st := range stations {
		if st.Overdue > 0 {
			ranked = append(ranked, st)
		}
	}
	slices.SortFunc(ranked, func(a, b *StationStat) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.Open, a.Open), cmp.Compare(a.ID, b.ID))
	})
	ranked = ranked[:min(len(ranked), dashboardTopStations)]
	ids := make([]int64, 0, len(ranked))
	for _, st := range ranked {
		ids = append(ids, st.ID)
	}
	offices, err := q.OfficesByIDs(ids)
	if err != nil {
		return err
	}
	codes := []string{divisionCode(scope)}
	for _, o := range offices {
		codes = append(codes, o.DivisionCode)
	}
	names, err := q.DivisionNames(codes)
	if err != nil {
		return err
	}
	d.ScopeName = names[divisionCode(scope)]
	for _, st := range ranked {
		o := offices[st.ID]
		st.Code, st.Name, st.County = o.Code, o.Name, names[o.DivisionCode]
		d.Stations = append(d.Stations, *st)
	}
	return nil
}

// fillPeriod adds up the days of the period into the trend and the stages'
// on-time rates.
func (s *Service) fillPeriod(d *Dashboard, days []dayFlow) {
	for _, f := range days {
		td := TrendDay{Day: f.Day, Submitted: f.Submitted, Handed: f.Collected + f.Delivered, Refused: f.Rejected + f.Cancelled}
		td.Finished = td.Handed + td.Refused
		d.Trend = append(d.Trend, td)
		d.Period.Submitted += td.Submitted
		d.Period.Finished += td.Finished
		for i := range d.Stages {
			if i < len(f.Done) {
				d.Stages[i].Done += f.Done[i]
				d.Stages[i].OnTime += f.OnTime[i]
			}
		}
	}
	for i := range d.Stages {
		st := &d.Stages[i]
		if st.Done > 0 {
			st.Rate = float64(st.OnTime) / float64(st.Done)
		}
		d.Period.Done += st.Done
		d.Period.OnTime += st.OnTime
	}
	if d.Period.Done > 0 {
		d.Period.Rate = float64(d.Period.OnTime) / float64(d.Period.Done)
	}
}

// dayStart is midnight in Shanghai of t's date there.
func dayStart(t time.Time) time.Time {
	y, m, dd := t.In(calendar.Location()).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, calendar.Location())
}
