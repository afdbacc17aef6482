package forecast

import (
	"math"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, s, calendar.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func TestWorkingTime(t *testing.T) {
	cal := calendar.New(nil, nil)
	// Friday 12:00 to Monday 12:00: the weekend does not count.
	if got := WorkingDaysBetween(cal, at("2026-11-13 12:00:00"), at("2026-11-16 12:00:00")); math.Abs(got-1) > 1e-9 {
		t.Errorf("Friday noon to Monday noon = %.3f working days, want 1", got)
	}
	if got := AddWorkingTime(cal, at("2026-11-13 12:00:00"), 1.5); !got.Equal(at("2026-11-17 00:00:00")) {
		t.Errorf("Friday noon + 1.5 working days = %s, want Tuesday 00:00", got)
	}
	if d := workingDateDiff(cal, at("2026-11-16 09:00:00"), at("2026-11-13 18:00:00")); d != -1 {
		t.Errorf("Monday to the Friday before = %d working days, want -1", d)
	}
}

// history makes n finished window-route cases at station, each stage
// taking the given working days, the last finishing before end.
func history(cal *calendar.Calendar, station string, n int, days [steps]float64, end time.Time) []Case {
	var out []Case
	for i := range n {
		c := Case{Station: station, County: "520102"}
		t := end.AddDate(0, 0, -30-i%20)
		for j := range steps + 1 {
			tt := t
			c.Times[j] = &tt
			if j < steps {
				t = AddWorkingTime(cal, t, days[j])
			}
		}
		out = append(out, c)
	}
	return out
}

func TestPredictFollowsTheOffice(t *testing.T) {
	cal := calendar.New(nil, nil)
	now := at("2026-11-18 10:00:00")
	fast := history(cal, "fast", 10, [steps]float64{0.5, 1, 1, 0.5, 1}, now)
	slow := history(cal, "slow", 10, [steps]float64{4, 1, 1, 0.5, 1}, now)
	m := Build(cal, append(fast, slow...), Options{})
	sub := now
	predict := func(station string) time.Time {
		p, ok := m.Predict(Case{Station: station, County: "520102", Times: [6]*time.Time{&sub}}, now)
		if !ok {
			t.Fatalf("no prediction for a submitted case")
		}
		return p
	}
	f, s := predict("fast"), predict("slow")
	if got := WorkingDaysBetween(cal, f, s); math.Abs(got-3.5) > 0.01 {
		t.Errorf("the slow station's case is predicted %.2f working days after the fast one's, want 3.5", got)
	}
	// An office with no history of its own takes the stage's median over all offices.
	if u := predict("new"); u.Before(f) || u.After(s) {
		t.Errorf("a station without history predicted %s, outside %s..%s", u, f, s)
	}
	d, _ := DeadlinePredict(cal, Case{Times: [6]*time.Time{&sub}}, now)
	if want := cal.AddWorkingDays(now, 9); !d.Equal(want) {
		t.Errorf("deadline predictor %s, want %s (3 × 3 working days)", d, want)
	}
	ready := now.Add(-time.Hour)
	if _, ok := m.Predict(Case{Times: [6]*time.Time{&sub, &sub, &sub, &sub, &sub, &ready}}, now); ok {
		t.Error("a prediction for a card that is ready")
	}
}

func TestPredictCountsTheQueue(t *testing.T) {
	cal := calendar.New(nil, nil)
	now := at("2026-11-18 10:00:00")
	done := history(cal, "busy", 10, [steps]float64{1, 1, 1, 0.5, 1}, now)
	m := Build(cal, done, Options{})
	sub := now
	c := Case{Station: "busy", County: "520102", Times: [6]*time.Time{&sub}}
	alone, _ := m.Predict(c, now)
	// Forty cases wait at the station before this one: at its throughput
	// of about half a case a working day they take far longer than the
	// median of one working day.
	for range 40 {
		s := now.AddDate(0, 0, -3)
		done = append(done, Case{Station: "busy", County: "520102", Times: [6]*time.Time{&s}})
	}
	queued, _ := Build(cal, done, Options{}).Predict(c, now)
	if !queued.After(alone.Add(24 * time.Hour)) {
		t.Errorf("with 40 cases ahead predicted %s, alone %s: the queue did not count", queued, alone)
	}
}
