package forecast

import (
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
)

// Score is how far one predictor was off, in working days between the
// predicted date and the date the card was ready.
type Score struct {
	MAE     float64 // mean absolute error
	Within2 float64 // share of predictions off by at most 2 working days
}

// Result is a backtest's outcome.
type Result struct {
	Cases    int // cases whose card was ready in the period
	Points   int // predictions made: one at the start of each of their stages
	Forecast Score
	Deadline Score
}

// Backtest predicts, for every case of cases whose card was ready in
// [from, to), its ready date at the start of each of its stages, from what
// was known then (the completions and queues before that moment), with the
// forecast and with DeadlinePredict, and scores both.
func Backtest(cal *calendar.Calendar, cases []Case, from, to time.Time, o Options) Result {
	m := Build(cal, cases, o)
	var r Result
	var fAbs, dAbs, fIn, dIn int
	for _, c := range cases {
		ready := c.Times[steps]
		if ready == nil || ready.Before(from) || !ready.Before(to) {
			continue
		}
		r.Cases++
		for i := range steps {
			at := c.Times[i]
			if at == nil {
				break
			}
			known := c
			for j := i + 1; j <= steps; j++ {
				known.Times[j] = nil
			}
			f, _ := m.Predict(known, *at)
			d, _ := DeadlinePredict(cal, known, *at)
			fe, de := abs(workingDateDiff(cal, *ready, f)), abs(workingDateDiff(cal, *ready, d))
			r.Points++
			fAbs, dAbs = fAbs+fe, dAbs+de
			if fe <= 2 {
				fIn++
			}
			if de <= 2 {
				dIn++
			}
		}
	}
	if r.Points > 0 {
		n := float64(r.Points)
		r.Forecast = Score{MAE: float64(fAbs) / n, Within2: float64(fIn) / n}
		r.Deadline = Score{MAE: float64(dAbs) / n, Within2: float64(dIn) / n}
	}
	return r
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
