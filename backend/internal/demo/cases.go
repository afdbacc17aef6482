package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/forecast"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// The share of each status among generated cases (per mille): most cases are
// finished, every open stage has a realistic queue.
var statusWeights = []struct {
	status domain.Status
	weight int
}{
	{domain.StatusSubmitted, 80}, {domain.StatusAccepted, 70}, {domain.StatusIssued, 60}, {domain.StatusProduced, 40},
	{domain.StatusShipped, 50}, {domain.StatusReadyForPickup, 60}, {domain.StatusUncollected, 15},
	{domain.StatusCollected, 380}, {domain.StatusDelivered, 150}, {domain.StatusRejected, 60}, {domain.StatusCancelled, 35},
}

// pathTo is the sequence of actions that leads to a status.
func pathTo(s domain.Status, mail bool) []domain.Action {
	base := []domain.Action{domain.ActionPrecheckApprove, domain.ActionReviewApprove, domain.ActionProduce, domain.ActionShip}
	switch s {
	case domain.StatusSubmitted:
		return nil
	case domain.StatusCancelled:
		return []domain.Action{domain.ActionCancel}
	case domain.StatusRejected:
		return []domain.Action{domain.ActionPrecheckReject}
	case domain.StatusAccepted:
		return base[:1]
	case domain.StatusIssued:
		return base[:2]
	case domain.StatusProduced:
		return base[:3]
	case domain.StatusShipped:
		return base
	case domain.StatusDelivered:
		return append(base, domain.ActionDeliver)
	case domain.StatusReadyForPickup:
		return append(base, domain.ActionArrive)
	case domain.StatusCollected:
		return append(base, domain.ActionArrive, domain.ActionHandover)
	case domain.StatusUncollected:
		return append(base, domain.ActionArrive, domain.ActionClosePickup)
	}
	return nil
}

// Cases writes n realistic cases spread over every status, with their
// timelines, audit entries and (for the last recentDays) their delivered
// messages, through a bulk path that writes the same rows the service
// does: multi-row inserts, a transaction per batch of batchCases, written by
// seedWriters transactions at once while the next batches are generated.
// Case numbers are checked against the database and against every number
// this run drew, so no batch meets a duplicate key. Each open case takes a
// person that has none; when the registry runs out of such persons the rest
// are finished cases. The dashboard's aggregates (case_counts, case_flows)
// are brought up to date at the end.
func Cases(ctx context.Context, st *store.Store, cal *calendar.Calendar, n int, now time.Time) (int, error) {
	q := st.Q(ctx)
	active, err := q.ActivePersonIDs()
	if err != nil {
		return 0, err
	}
	var persons []store.Person
	for after := int64(0); ; {
		batch, err := q.PersonRefs(after, 5000)
		if err != nil {
			return 0, err
		}
		if len(batch) == 0 {
			break
		}
		persons = append(persons, batch...)
		after = batch[len(batch)-1].ID
	}
	if len(persons) == 0 {
		return 0, fmt.Errorf("the registry is empty: run idcard seed first")
	}
	stations := map[string][]store.Office{}
	all, err := q.OfficesByKind(store.OfficeStation, "")
	if err != nil {
		return 0, err
	}
	for _, o := range all {
		stations[o.DivisionCode] = append(stations[o.DivisionCode], o)
	}
	r := rand.New(rand.NewPCG(uint64(now.UnixNano()), 7))
	g := &caseGen{r: r, cal: cal, now: now, stations: stations, active: active, flows: map[flowKey]*store.Flow{}}
	made, err := g.run(ctx, st, persons, n)
	if err != nil {
		return made, err
	}
	if err := st.Tx(ctx, func(q *store.Q) error {
		if err := q.AddFlows(g.flowList()...); err != nil {
			return err
		}
		return q.RebuildCaseCounts()
	}); err != nil {
		return made, err
	}
	return made, st.Audit(ctx, &store.AuditEntry{ActorKind: "system", ActorName: "idcard seed", Action: "seed.cases",
		ObjectType: "case", Outcome: "ok", Detail: fmt.Sprintf(`{"cases":%d}`, made)})
}

// Bulk seeding: cases per transaction, and transactions at once.
const (
	batchCases  = 1000
	seedWriters = 3
)

// caseBatch is one transaction of the bulk path.
type caseBatch struct {
	cases  []store.Case
	events [][]store.CaseEvent
}

// run generates n cases a batch at a time and hands the batches to
// seedWriters writers; it stops at the first failure.
func (g *caseGen) run(ctx context.Context, st *store.Store, persons []store.Person, n int) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan caseBatch, seedWriters)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	written := 0
	for range seedWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				err := g.write(ctx, st, b)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				if err == nil {
					written += len(b.cases)
				}
				mu.Unlock()
			}
		}()
	}
	drawn, accounts := map[string]bool{}, map[int64]int64{}
	q := st.Q(ctx)
	var genErr error
	for made := 0; made < n && ctx.Err() == nil; {
		var b caseBatch
		for range min(batchCases, n-made) {
			recent := g.r.IntN(spreadDays) < recentDays
			c, events, ok := g.newCase(persons, g.pickStatus(recent), recent)
			if !ok {
				continue
			}
			b.cases, b.events = append(b.cases, c), append(b.events, events)
		}
		if genErr = uniqueNos(q, b.cases, g.drawNo, drawn); genErr != nil {
			break
		}
		if genErr = g.ensureAccounts(ctx, st, b.cases, accounts); genErr != nil {
			break
		}
		made += len(b.cases)
		batches <- b
	}
	close(batches)
	wg.Wait()
	if firstErr != nil {
		return written, firstErr
	}
	return written, genErr
}

// ensureAccounts gives the persons of cs that have none an applicant
// account (bound long before its cases) and sets each case's account;
// accounts holds the accounts known so far, by person, and gains the new
// ones. It runs in the generating goroutine, so no two writers create an
// account for one person.
func (g *caseGen) ensureAccounts(ctx context.Context, st *store.Store, cs []store.Case, accounts map[int64]int64) error {
	var fresh []store.Applicant
	var unknown []int64
	seen := map[int64]bool{}
	for _, c := range cs {
		if _, ok := accounts[c.PersonID]; !ok && !seen[c.PersonID] {
			seen[c.PersonID] = true
			unknown = append(unknown, c.PersonID)
		}
	}
	found, err := st.Q(ctx).ApplicantIDsByPerson(unknown)
	if err != nil {
		return err
	}
	for _, pid := range unknown {
		if id, ok := found[pid]; ok {
			accounts[pid] = id
			continue
		}
		id := pid
		bound := g.now.AddDate(0, 0, -90-g.r.IntN(700))
		fresh = append(fresh, store.Applicant{Phone: fmt.Sprintf("139%08d", pid%100000000), PersonID: &id, BoundAt: &bound})
	}
	if len(fresh) > 0 {
		if err := st.Tx(ctx, func(q *store.Q) error { return q.InsertApplicants(fresh) }); err != nil {
			return fmt.Errorf("applicants: %w", err)
		}
		for _, a := range fresh {
			accounts[*a.PersonID] = a.ID
		}
	}
	for i := range cs {
		cs[i].ApplicantID = accounts[cs[i].PersonID]
	}
	return nil
}

// caseGen makes one synthetic case at a time.
type caseGen struct {
	r        *rand.Rand
	cal      *calendar.Calendar
	now      time.Time
	stations map[string][]store.Office
	active   map[int64]bool
	flows    map[flowKey]*store.Flow // the run's status changes, for case_flows
}

var rejectReasons = []string{"相片不符合要求", "申请信息与户籍信息不一致", "证件签发已超过2年，请到窗口现场办理"}

// pickStatus draws a status by statusWeights: any for a case of the last
// recentDays, a final one (or uncollected) for an older case, so the
// months before carry as many submissions as the last one.
func (g *caseGen) pickStatus(recent bool) domain.Status {
	total := 0
	for _, w := range statusWeights {
		if recent || w.status.IsFinal() || w.status == domain.StatusUncollected {
			total += w.weight
		}
	}
	pick := g.r.IntN(total)
	for _, w := range statusWeights {
		if !recent && !w.status.IsFinal() && w.status != domain.StatusUncollected {
			continue
		}
		if pick < w.weight {
			return w.status
		}
		pick -= w.weight
	}
	return domain.StatusCollected
}

func (g *caseGen) newCase(persons []store.Person, status domain.Status, recent bool) (store.Case, []store.CaseEvent, bool) {
	open := !status.IsFinal()
	var p store.Person
	for try := 0; ; try++ {
		p = persons[g.r.IntN(len(persons))]
		if !open || !g.active[p.ID] {
			break
		}
		if try > 50 {
			return store.Case{}, nil, false
		}
	}
	mail := g.r.IntN(10) < 3
	if status == domain.StatusDelivered {
		mail = true
	}
	if status == domain.StatusReadyForPickup || status == domain.StatusCollected || status == domain.StatusUncollected {
		mail = false
	}
	list := g.stations[p.HouseholdDivision]
	if len(list) == 0 {
		return store.Case{}, nil, false
	}
	station := list[g.r.IntN(min(len(list), 3))]
	kinds := domain.AllKinds()
	kind := kinds[g.r.IntN(len(kinds))]
	plan := pathTo(status, mail)
	gaps := g.gaps(plan, station, p.HouseholdDivision, open)
	at := g.submittedAt(status, gaps, recent)
	c := store.Case{No: g.drawNo(at), Kind: string(kind),
		Status: string(domain.StatusSubmitted), Collection: "window", PersonID: p.ID, StationID: station.ID,
		StationDivision: station.DivisionCode, HouseholdDivision: p.HouseholdDivision, Remote: station.Remote,
		FeeYuan: kind.FeeYuan(), SubmittedAt: at, CreatedAt: at}
	service.SetDues(g.cal, &c)
	if mail {
		c.Collection = "mail"
		div := p.HouseholdDivision
		c.MailRecipient, c.MailPhone, c.MailDivisionCode = p.Name, fmt.Sprintf("139%08d", p.ID%100000000), &div
		c.MailAddress = fmt.Sprintf("贵州省%s某小区%d栋%d号", div, 1+g.r.IntN(30), 101+g.r.IntN(1500))
	}
	c.PaymentStatus = string(domain.InitialPaymentStatus(c.FeeYuan, mail))
	if mail && slices.Contains(plan, domain.ActionProduce) {
		c.PaymentStatus = string(domain.PaymentPaid) // the mail route pays before production
	}
	if kind.NeedsPhoto() {
		rn := fmt.Sprintf("HZ%010d", g.r.IntN(1e10))
		c.PhotoReceiptNo = &rn
	}
	events := []store.CaseEvent{{Action: string(domain.ActionSubmit), ToStatus: c.Status, ActorKind: "applicant", At: at}}
	dues := []*time.Time{nil} // the stage due time each event ended
	for i, a := range plan {
		at = forecast.AddWorkingTime(g.cal, at, gaps[i]*centreDrift(a, at))
		switch {
		case a == domain.ActionClosePickup && c.PickupDueAt != nil:
			at = c.PickupDueAt.Add(time.Hour)
		case a != domain.ActionCancel:
			at = g.officeHours(at)
		}
		if at.After(g.now) {
			at = g.now.Add(-time.Minute)
		}
		from, due := c.Status, c.StageDueAt
		var note *string
		switch a {
		case domain.ActionPrecheckReject:
			c.RejectReason = &rejectReasons[g.r.IntN(len(rejectReasons))]
			note = c.RejectReason
		case domain.ActionShip:
			if mail {
				tn := domain.MakeS10("EA", g.r.IntN(1e8), "CN")
				c.TrackingNo, note = &tn, &tn
			}
		case domain.ActionHandover:
			if kind.ReturnsOldCard() {
				c.OldCardReturned = ptr(true)
			}
		}
		if err := service.AdvanceCase(g.cal, &c, a, at); err != nil {
			panic(fmt.Sprintf("demo path %v: %v", plan, err))
		}
		kind := "staff"
		if a == domain.ActionCancel {
			kind = "applicant"
		} else if a == domain.ActionClosePickup {
			kind = "system"
		}
		events = append(events, store.CaseEvent{Action: string(a), FromStatus: &from, ToStatus: c.Status, ActorKind: kind, Note: note, At: at})
		dues = append(dues, due)
	}
	if open {
		c.ActivePersonID = &p.ID
		g.active[p.ID] = true
	}
	c.Version = len(events)
	for i, e := range events {
		from := ""
		if e.FromStatus != nil {
			from = *e.FromStatus
		}
		g.countFlow(c.StationDivision, from, e.ToStatus, dues[i], e.At)
	}
	return c, events, true
}

// flowKey is one row of case_flows.
type flowKey struct{ day, division, from, to string }

// countFlow adds one status change to the run's flows, as the service's
// addFlow does in the transaction of a change.
func (g *caseGen) countFlow(division, from, to string, due *time.Time, at time.Time) {
	if from == to {
		return
	}
	k := flowKey{calendar.FormatDate(at), division, from, to}
	f := g.flows[k]
	if f == nil {
		f = &store.Flow{Day: k.day, StationDivision: division, From: from, To: to}
		g.flows[k] = f
	}
	f.N++
	if service.ExitInTime(domain.Status(from), domain.Status(to), due, at) {
		f.OnTime++
	}
}

// flowList is the run's flows.
func (g *caseGen) flowList() []store.Flow {
	out := make([]store.Flow, 0, len(g.flows))
	for _, f := range g.flows {
		out = append(out, *f)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// Generated submissions go back spreadDays (12 months); the last
// recentDays hold the open cases and as many finished ones as any other
// month.
const (
	spreadDays = 365
	recentDays = 30
)

// submittedAt picks when a case whose steps wait gaps (working days) to
// reach status was submitted: far enough back for its steps; a recent
// case within the last recentDays (an open one as recently as its stage
// allows), an older one any day of the 12 months before, an uncollected
// one after its pickup window ran out; fewer on days off; at a waking hour
// (08:00–22:00 in Guizhou); never in the future.
func (g *caseGen) submittedAt(status domain.Status, gaps []float64, recent bool) time.Time {
	least := calendarDays(gaps) + 1 + g.r.IntN(4)
	switch {
	case status == domain.StatusUncollected:
		least += 50 + g.r.IntN(spreadDays-least-50)
	case !recent:
		least = max(least, recentDays+g.r.IntN(spreadDays-recentDays))
	case status.IsFinal():
		least += g.r.IntN(max(1, recentDays-least))
	}
	loc := calendar.Location()
	local := g.now.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day()-least, 0, 0, 0, 0, loc)
	if !g.cal.IsWorkingDay(day) && g.r.IntN(2) == 0 {
		// Half the day-off submissions wait for the next working day.
		today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
		for day.Before(today) && !g.cal.IsWorkingDay(day) {
			day = day.AddDate(0, 0, 1)
		}
	}
	at := day.Add(8*time.Hour + time.Duration(g.r.IntN(14*3600))*time.Second)
	if at.After(g.now) {
		at = g.now.Add(-time.Hour)
	}
	return store.Stored(at)
}

// officeHours moves a staff action at t into office hours: the same
// working day if t is before 09:00, else the next working day, between
// 09:00 and 17:00 Guizhou time.
func (g *caseGen) officeHours(t time.Time) time.Time {
	loc := calendar.Location()
	l := t.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if g.cal.IsWorkingDay(day) && l.Hour() >= 9 && l.Hour() < 17 {
		return t
	}
	if !g.cal.IsWorkingDay(day) || l.Hour() >= 17 {
		day = day.AddDate(0, 0, 1)
		for !g.cal.IsWorkingDay(day) {
			day = day.AddDate(0, 0, 1)
		}
	}
	return store.Stored(day.Add(9*time.Hour + time.Duration(g.r.IntN(8*3600))*time.Second))
}

// drawNo draws a case number for a case submitted at t, as the service
// does: the day and a random sequence number.
func (g *caseGen) drawNo(at time.Time) string { return domain.CaseNo(at, 1+g.r.IntN(999999)) }

// maxNoRounds bounds the draws for free case numbers; each round checks
// every number still in doubt in one query.
const maxNoRounds = 50

// uniqueNos gives every case of cs a number that no case in the database
// and no other number drawn in this run (inBatch, which it adds to) has, drawing again with draw until none
// collides, so a second seeding or a crowded day never aborts on a
// duplicate case number.
func uniqueNos(q *store.Q, cs []store.Case, draw func(time.Time) string, inBatch map[string]bool) error {
	doubt := make([]int, len(cs))
	for i := range cs {
		doubt[i] = i
	}
	for round := 0; len(doubt) > 0; round++ {
		if round == maxNoRounds {
			return fmt.Errorf("no free case numbers for %d cases after %d draws", len(doubt), maxNoRounds)
		}
		nos := make([]string, len(doubt))
		for j, i := range doubt {
			nos[j] = cs[i].No
		}
		taken, err := q.TakenCaseNos(nos)
		if err != nil {
			return err
		}
		var again []int
		for _, i := range doubt {
			if taken[cs[i].No] || inBatch[cs[i].No] {
				cs[i].No = draw(cs[i].SubmittedAt)
				again = append(again, i)
				continue
			}
			inBatch[cs[i].No] = true
		}
		doubt = again
	}
	return nil
}

// write inserts a batch in one transaction: the cases, their timelines,
// an audit entry per step (sealed onto the chain in one go) and, for steps
// of the last recentDays, the in-app message that told the applicant,
// delivered.
func (g *caseGen) write(ctx context.Context, st *store.Store, b caseBatch) error {
	return st.Tx(ctx, func(q *store.Q) error {
		cs := append([]store.Case(nil), b.cases...) // a retried transaction starts from the batch again
		if err := q.InsertCases(cs); err != nil {
			return fmt.Errorf("cases: %w", err)
		}
		var rows []*store.CaseEvent
		var audits []store.AuditEntry
		var outbox []store.OutboxMessage
		recent := g.now.AddDate(0, 0, -recentDays)
		for i := range cs {
			c := &cs[i]
			for j, e := range b.events[i] {
				e.CaseID = c.ID
				rows = append(rows, &e)
				from := ""
				if e.FromStatus != nil {
					from = *e.FromStatus
				}
				audits = append(audits, store.AuditEntry{At: e.At, ActorKind: e.ActorKind, Action: "case." + e.Action,
					ObjectType: "case", ObjectID: c.No, Outcome: "ok",
					Detail: fmt.Sprintf(`{"from":%q,"to":%q,"version":%d}`, from, e.ToStatus, j+1)})
				if e.At.After(recent) {
					at := e.At
					outbox = append(outbox, store.OutboxMessage{CaseID: &c.ID, Channel: "inapp", RecipientKind: "applicant",
						RecipientID: c.ApplicantID, Template: e.Action, Payload: fmt.Sprintf(`{"case_no":%q,"status":%q}`, c.No, e.ToStatus),
						State: store.OutboxSent, Attempts: 1, NextAttemptAt: at, CreatedAt: at, SentAt: &at})
				}
			}
		}
		if err := q.InsertEvents(rows...); err != nil {
			return fmt.Errorf("events: %w", err)
		}
		if err := q.InsertOutboxRows(outbox); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		return q.AppendAuditSealed(audits)
	})
}
