package demo

import (
	"hash/fnv"
	"math"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// Stage lengths of the generated history, so that a forecast has something
// real to learn: each office keeps its own pace (a quick station clears its
// pre-checks in half a day, a crowded one takes four), the production
// centre's pace drifts over the year, a remote station's cards travel
// longer, and every single wait varies around its office's usual one.

// typicalDays is the usual wait, in working days, before each staff action
// at an office of average pace.
var typicalDays = map[domain.Action]float64{
	domain.ActionPrecheckApprove: 1.0, domain.ActionPrecheckReject: 1.0, domain.ActionReviewApprove: 1.3,
	domain.ActionProduce: 1.6, domain.ActionShip: 0.4, domain.ActionArrive: 1.5, domain.ActionDeliver: 1.8,
	domain.ActionHandover: 4, domain.ActionCancel: 0.4, domain.ActionClosePickup: 0,
}

// pace is an office's steady factor on the typical waits, between 0.5 and
// 2.2, the same on every run.
func pace(office string) float64 {
	h := fnv.New32a()
	h.Write([]byte(office))
	return 0.5 + 1.7*float64(h.Sum32()%1000)/1000
}

// centreDrift is the production centre's pace on t's day: it drifts
// between 0.55 and 1.45 over a four-month cycle (batches of blank cards,
// holiday backlogs).
func centreDrift(a domain.Action, t time.Time) float64 {
	if a != domain.ActionProduce && a != domain.ActionShip {
		return 1
	}
	return 1 + 0.45*math.Sin(2*math.Pi*float64(t.YearDay())/120)
}

// gaps draws the waits of the steps of plan, in working days, for a case
// at station whose person lives in county. An open case fits its steps
// into the last four weeks, as open cases do.
func (g *caseGen) gaps(plan []domain.Action, station store.Office, county string, open bool) []float64 {
	out := make([]float64, len(plan))
	for i, a := range plan {
		f := 1.0
		switch a {
		case domain.ActionPrecheckApprove, domain.ActionPrecheckReject:
			f = pace(station.Code)
		case domain.ActionReviewApprove:
			f = pace("county-" + county)
		case domain.ActionArrive:
			f = pace("post-" + station.Code)
			if station.Remote {
				f += 1
			}
		case domain.ActionDeliver:
			f = pace("ems-" + county)
		}
		out[i] = typicalDays[a] * f * math.Exp(0.35*g.r.NormFloat64())
	}
	if days := calendarDays(out); open && days > recentDays-6 {
		for i := range out {
			out[i] *= float64(recentDays-6) / float64(days)
		}
	}
	return out
}

// calendarDays is about how many calendar days waits of gaps working days
// take, weekends included.
func calendarDays(gaps []float64) int {
	sum := 0.0
	for _, d := range gaps {
		sum += d
	}
	return int(math.Ceil(sum*7/5)) + 1
}
