// Package forecast predicts when a case's card will be ready (at the
// station's window, or delivered by EMS) from live stage throughput, and
// backtests that prediction against the "stage deadline" predictor.
//
// The statistic, per stage and per office, is the median duration in
// working days of the stage's completions in the last Window (60 days by
// default) before the day of the prediction: robust against the few cases
// that wait weeks for a missing document. A stage in progress also looks at
// its queue: when the cases ahead of it at that office would take longer to
// drain at the office's recent throughput than the median says, the
// estimate moves halfway towards that drain time; and a stage already
// running longer than its median is given the median of what remained of
// the past stages that lasted as long. Later stages add their offices'
// medians. An office with fewer than MinSamples recent completions uses the
// stage's median over all offices, and a stage with no history its legal
// period. Nothing here does I/O.
package forecast

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
)

// Stage is one step of a case's way to the card.
type Stage int

// The stages, in order; the fifth is Arrival on the window route and
// Delivery on the mail route.
const (
	Precheck   Stage = iota // submitted → accepted, at the station
	Review                  // accepted → issued, at the household county's bureau
	Production              // issued → produced, at the production centre
	Dispatch                // produced → shipped, at the production centre
	Arrival                 // shipped → ready_for_pickup, towards the station
	Delivery                // shipped → delivered, by EMS towards the mail county
)

// steps is how many stages a case passes through on either route.
const steps = 5

// Case is what the forecast knows of one case: its route, the offices of
// its stages and when each stage began. Times holds submission, acceptance,
// issue, production, dispatch and the card's readiness (arrival at the
// station, or delivery); nil for what has not happened yet.
type Case struct {
	Mail       bool
	Station    string // the acceptance station
	County     string // the household county (its bureau reviews)
	MailCounty string // the county the EMS mail goes to
	Times      [steps + 1]*time.Time
	// Ended is when the case was rejected or withdrawn: the stage it was
	// in ended then, without a next one.
	Ended *time.Time
}

// stage returns the i-th stage of the case's route.
func (c *Case) stage(i int) Stage {
	if i == steps-1 && c.Mail {
		return Delivery
	}
	return Stage(i)
}

// office returns who works the i-th stage of the case.
func (c *Case) office(i int) string {
	switch c.stage(i) {
	case Precheck, Arrival:
		return c.Station
	case Review:
		return c.County
	case Delivery:
		return c.MailCounty
	}
	return "centre"
}

// Options tune a Model; zero values take the defaults.
type Options struct {
	Window     time.Duration // how far back completions count; 60 days
	MinSamples int           // completions an office needs for its own median; 5
}

type key struct {
	stage  Stage
	office string
}

// series holds one stage at one office (or, with office "", at all
// offices): the completed spans by end time and every start.
type series struct {
	ends   []time.Time
	durs   []float64 // durations of the completed spans, in the order of ends
	starts []time.Time
}

// stat is the statistic of one series on one day.
type stat struct {
	median float64   // working days
	rate   float64   // completions per working day, of the office itself
	sorted []float64 // the window's durations, ascending
}

type memoKey struct {
	key
	day int64
}

// Model is the history the forecast reads; it is safe for concurrent use.
type Model struct {
	cal    *calendar.Calendar
	window time.Duration
	min    int
	series map[key]*series
	mu     sync.Mutex
	memo   map[memoKey]stat
}

// Build reads the stage spans of cases into a model.
func Build(cal *calendar.Calendar, cases []Case, o Options) *Model {
	if o.Window <= 0 {
		o.Window = 60 * day
	}
	if o.MinSamples <= 0 {
		o.MinSamples = 5
	}
	m := &Model{cal: cal, window: o.Window, min: o.MinSamples, series: map[key]*series{}, memo: map[memoKey]stat{}}
	type done struct {
		end time.Time
		dur float64
	}
	ends := map[key][]done{}
	for i := range cases {
		c := &cases[i]
		for j := range steps {
			start := c.Times[j]
			if start == nil {
				break
			}
			for _, k := range []key{{c.stage(j), c.office(j)}, {c.stage(j), ""}} {
				s := m.series[k]
				if s == nil {
					s = &series{}
					m.series[k] = s
				}
				s.starts = append(s.starts, *start)
				end := c.Times[j+1]
				if end == nil && c.Ended != nil {
					end = c.Ended
				}
				if end != nil {
					ends[k] = append(ends[k], done{*end, WorkingDaysBetween(cal, *start, *end)})
				}
			}
		}
	}
	for k, s := range m.series {
		slices.SortFunc(s.starts, time.Time.Compare)
		d := ends[k]
		slices.SortFunc(d, func(a, b done) int { return a.end.Compare(b.end) })
		for _, x := range d {
			s.ends, s.durs = append(s.ends, x.end), append(s.durs, x.dur)
		}
	}
	return m
}

// countBefore returns how many of the sorted times are before t.
func countBefore(ts []time.Time, t time.Time) int {
	return sort.Search(len(ts), func(i int) bool { return !ts[i].Before(t) })
}

// window returns the statistic of k over the window that ends at the
// start of t's day, or false when it has fewer than the minimum samples.
func (m *Model) windowStat(k key, t time.Time) (stat, bool) {
	d := startOfDay(t)
	mk := memoKey{k, d.Unix()}
	m.mu.Lock()
	st, ok := m.memo[mk]
	m.mu.Unlock()
	if !ok {
		if s := m.series[k]; s != nil {
			from := d.Add(-m.window)
			lo, hi := countBefore(s.ends, from), countBefore(s.ends, d)
			st.sorted = slices.Clone(s.durs[lo:hi])
			slices.Sort(st.sorted)
			if n := len(st.sorted); n > 0 {
				st.median = median(st.sorted)
				if wd := WorkingDaysBetween(m.cal, from, d); wd > 0 {
					st.rate = float64(n) / wd
				}
			}
		}
		m.mu.Lock()
		m.memo[mk] = st
		m.mu.Unlock()
	}
	return st, len(st.sorted) >= m.min
}

// stat returns the statistic of a stage at an office on t's day, falling
// back to all offices and then to the legal period; rate is always the
// office's own.
func (m *Model) stat(stage Stage, office string, t time.Time) stat {
	own, ok := m.windowStat(key{stage, office}, t)
	if ok {
		return own
	}
	all, ok := m.windowStat(key{stage, ""}, t)
	if !ok {
		all = stat{median: defaultDays(stage)}
	}
	all.rate = own.rate
	return all
}

// defaultDays is a stage's length when there is no history at all: its
// legal period, or a guess for the stages the procedure sets none for.
func defaultDays(s Stage) float64 {
	switch s {
	case Precheck:
		return calendar.PrecheckWorkingDays
	case Review:
		return calendar.ReviewWorkingDays
	case Production:
		return calendar.ProductionWorkingDays
	case Dispatch:
		return 1
	}
	return 2
}

// queueAhead returns about how many cases were in the stage at the office
// at t that started before since: those started before it less those
// finished before t.
func (m *Model) queueAhead(k key, since, t time.Time) int {
	s := m.series[k]
	if s == nil {
		return 0
	}
	return max(0, countBefore(s.starts, since)-countBefore(s.ends, t))
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// remainingAfter is the median of what was left of the stage's durations
// that lasted longer than elapsed; half a working day when none did.
func (s stat) remainingAfter(elapsed float64) float64 {
	i := sort.SearchFloat64s(s.sorted, elapsed)
	for i < len(s.sorted) && s.sorted[i] <= elapsed {
		i++
	}
	if i == len(s.sorted) {
		return 0.5
	}
	rest := make([]float64, 0, len(s.sorted)-i)
	for _, d := range s.sorted[i:] {
		rest = append(rest, d-elapsed)
	}
	return median(rest)
}

// current returns the index of the case's stage at t, or false when the
// card is already ready (or the case has not started).
func (c *Case) current(t time.Time) (int, bool) {
	if c.Ended != nil && !c.Ended.After(t) {
		return -1, false
	}
	i := -1
	for j := 0; j <= steps; j++ {
		if c.Times[j] == nil || c.Times[j].After(t) {
			break
		}
		i = j
	}
	return i, i >= 0 && i < steps
}

// Predict returns when the card of c is expected to be ready, as known at
// t; false when it is ready already.
func (m *Model) Predict(c Case, t time.Time) (time.Time, bool) {
	i, ok := c.current(t)
	if !ok {
		return time.Time{}, false
	}
	start := *c.Times[i]
	left := 0.0
	for j := i; j < steps; j++ {
		st := m.stat(c.stage(j), c.office(j), t)
		est := st.median
		if j == i {
			if q := m.queueAhead(key{c.stage(j), c.office(j)}, start, t); st.rate > 0 {
				if drain := float64(q) / st.rate; drain > est {
					est = (est + drain) / 2
				}
			}
			elapsed := WorkingDaysBetween(m.cal, start, t)
			if elapsed >= est {
				est = elapsed + st.remainingAfter(elapsed)
			}
			est -= elapsed
		}
		left += est
	}
	return AddWorkingTime(m.cal, t, left), true
}

// DeadlinePredict is the predictor a case's deadlines give: the card is
// ready when every remaining stage with a legal period (pre-check, review,
// production, 3 working days each) has used all of it, counted from the
// start of the case's stage at t; in a later stage, at once. False when
// the card is ready already.
func DeadlinePredict(cal *calendar.Calendar, c Case, t time.Time) (time.Time, bool) {
	i, ok := c.current(t)
	if !ok {
		return time.Time{}, false
	}
	at := *c.Times[i]
	for j := i; j <= int(Production); j++ {
		at = cal.AddWorkingDays(at, int(defaultDays(Stage(j))))
	}
	return at, true
}
