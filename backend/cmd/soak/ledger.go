package main

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Answers is what the applicants were told, the ground truth the database
// is checked against: every case number a submission's idempotency key
// was answered 201 with, and every case a cancel was answered 200 for.
type Answers struct {
	Submitted map[string][]string // idempotency key → case numbers of its 201 answers, in order
	Cancelled map[string]bool     // case numbers answered "cancelled"
}

// ledger collects the answers and the traffic counters of one soak run; the
// applicants write it concurrently.
type ledger struct {
	mu         sync.Mutex
	submitted  map[string][]string
	cancelled  map[string]bool
	unexpected map[string]int // unexpected answer → how often
	failures   []time.Time    // when a try got no answer or a 5xx (the cluster run's failover windows)
	recent     []stamped      // the latest case numbers answered 201, oldest first

	requests   atomic.Int64 // HTTP requests sent
	cut        atomic.Int64 // tries that got no answer (the server was killed or restarting)
	status5xx  atomic.Int64 // answers 500-599
	signIns    atomic.Int64 // sign-ins, the first ones and those after a lost session
	replays    atomic.Int64 // replays answered 201 with the key's case
	cancels    atomic.Int64 // cancels answered
	cancel409  atomic.Int64 // cancels retried after a cut that answered 409 (already cancelled)
	unexpCount atomic.Int64
	stale      atomic.Int64 // an applicant's read-back that did not show their own action
}

// stamped is a case number and when it was first answered 201.
type stamped struct {
	no string
	at time.Time
}

// recentKept bounds ledger.recent.
const recentKept = 256

// failed records a try that got no answer or a 5xx answer.
func (l *ledger) failed(at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, at)
}

// failureTimes returns when tries failed, in order.
func (l *ledger) failureTimes() []time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]time.Time(nil), l.failures...)
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// submittedBefore returns the newest case number first answered 201 before t.
func (l *ledger) submittedBefore(t time.Time) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.recent) - 1; i >= 0; i-- {
		if l.recent[i].at.Before(t) {
			return l.recent[i].no, true
		}
	}
	return "", false
}

func newLedger() *ledger {
	return &ledger{submitted: map[string][]string{}, cancelled: map[string]bool{}, unexpected: map[string]int{}}
}

// submittedAs records a 201 answer of the submission with key.
func (l *ledger) submittedAs(key, no string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.submitted[key]) == 0 {
		l.recent = append(l.recent, stamped{no, time.Now()})
		if len(l.recent) > recentKept {
			l.recent = l.recent[len(l.recent)-recentKept:]
		}
	}
	l.submitted[key] = append(l.submitted[key], no)
}

// cancelledCase records a cancel answered with the case cancelled.
func (l *ledger) cancelledCase(no string) {
	l.cancels.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cancelled[no] = true
}

// odd records an answer the soak did not expect; up to 100 different
// ones are kept with how often each came.
func (l *ledger) odd(format string, args ...any) {
	l.unexpCount.Add(1)
	msg := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, seen := l.unexpected[msg]; seen || len(l.unexpected) < 100 {
		l.unexpected[msg]++
	}
}

// submissions counts the keys answered 201 at least once.
func (l *ledger) submissions() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.submitted)
}

// answers returns a copy of what the applicants were told.
func (l *ledger) answers() Answers {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := Answers{Submitted: map[string][]string{}, Cancelled: map[string]bool{}}
	for k, v := range l.submitted {
		a.Submitted[k] = append([]string(nil), v...)
	}
	for k := range l.cancelled {
		a.Cancelled[k] = true
	}
	return a
}

// oddAnswers returns the unexpected answers kept, the most frequent
// first, each with how often it came.
func (l *ledger) oddAnswers() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	msgs := make([]string, 0, len(l.unexpected))
	for m := range l.unexpected {
		msgs = append(msgs, m)
	}
	sort.Slice(msgs, func(i, j int) bool {
		if a, b := l.unexpected[msgs[i]], l.unexpected[msgs[j]]; a != b {
			return a > b
		}
		return msgs[i] < msgs[j]
	})
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = fmt.Sprintf("%d× %s", l.unexpected[m], m)
	}
	return out
}

// do sends req on client and counts it: a try that got no answer (cut) or
// a 5xx answer is also recorded with its time.
func (l *ledger) do(client *http.Client, req *http.Request) (answer, bool) {
	l.requests.Add(1)
	resp, err := client.Do(req)
	if err != nil {
		l.cut.Add(1)
		l.failed(time.Now())
		return answer{}, true
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		l.cut.Add(1)
		l.failed(time.Now())
		return answer{}, true
	}
	if resp.StatusCode >= 500 {
		l.status5xx.Add(1)
		l.failed(time.Now())
	}
	return answer{status: resp.StatusCode, body: b}, false
}
