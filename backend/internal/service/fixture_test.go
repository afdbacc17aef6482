package service_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/gzga/idcard/backend/internal/payment"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/demo"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/pii"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/store/storetest"
	"github.com/gzga/idcard/backend/internal/suite"
)

// Fixed test keys: the tests never depend on generated secrets.
var (
	testPIIKey   = bytes.Repeat([]byte{0x11}, 32)
	testIndexKey = bytes.Repeat([]byte{0x22}, 32)
	testTokenKey = bytes.Repeat([]byte{0x33}, 32)
)

// baseTime is the fixtures' "now": Monday 2 March 2026, 10:00 in Shanghai.
var baseTime = time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Location())

// Counties and stations the tests use. 520102 (南明区) and 520103 (云岩区)
// are ordinary; 520425 (紫云) is a remote county.
const (
	homeCounty   = "520102"
	otherCounty  = "520103"
	remoteCounty = "520425"
)

// testClock is the service clock the tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a migrated database with the demo seed, and a Service on it
// with a hand-moved clock.
type fixture struct {
	t testing.TB
	*env
}

// env is what the subtests of one fixture share.
type env struct {
	ctx    context.Context
	db     *store.DB
	st     *store.Store
	box    *pii.Box
	cal    *calendar.Calendar
	tokens *pickup.Signer
	clk    *testClock
	svc    *service.Service

	mu     sync.Mutex
	seq    int                      // persons and applicants made so far
	actors map[string]service.Actor // staff by username
}

func testBox(t testing.TB) *pii.Box {
	t.Helper()
	box, err := pii.NewBox(suite.SM, []pii.Key{{ID: "t1", Secret: testPIIKey}}, testIndexKey)
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// newFixture opens the database under test (SQLite, or MariaDB when
// IDCARD_TEST_MYSQL_DSN is set) and seeds it.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return setupFixture(t, storetest.Open(t))
}

// setupFixture seeds a migrated database and builds a Service on it.
func setupFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, env: &env{ctx: ctx, db: db, box: testBox(t), clk: &testClock{t: baseTime}, actors: map[string]service.Actor{}}}
	f.st = store.New(db, f.box)
	if _, err := demo.Load(ctx, f.st, demo.Options{Demo: true, DemoPassword: "x", Persons: 1, Today: baseTime, Location: calendar.Location()}); err != nil {
		t.Fatalf("demo load: %v", err)
	}
	cal, err := service.LoadCalendar(ctx, f.st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	f.cal = cal
	if f.tokens, err = pickup.NewSigner(suite.SM, testTokenKey, 0); err != nil {
		t.Fatal(err)
	}
	f.svc = f.serviceOn(db)
	return f
}

// with returns the fixture reporting to t (a subtest).
func (f *fixture) with(t testing.TB) *fixture { return &fixture{t: t, env: f.env} }

// serviceOn builds another Service, with the fixture's keys, calendar and
// clock, on its own handle of a database.
func (f *fixture) serviceOn(db *store.DB) *service.Service {
	return service.New(service.Options{Store: store.New(db, f.box), Calendar: f.cal, Tokens: f.tokens, Clock: f.clk.Now, Payments: payment.Demo{}})
}

// staff returns the actor of a demo staff account, e.g. station-520102.
func (f *fixture) staff(username string) service.Actor {
	f.t.Helper()
	f.mu.Lock()
	a, ok := f.actors[username]
	f.mu.Unlock()
	if ok {
		return a
	}
	s, err := f.st.Q(f.ctx).StaffByUsername(username)
	if err != nil {
		f.t.Fatalf("staff %s: %v", username, err)
	}
	a, err = f.svc.StaffActor(f.ctx, s.ID, "127.0.0.1")
	if err != nil {
		f.t.Fatalf("staff actor %s: %v", username, err)
	}
	f.mu.Lock()
	f.actors[username] = a
	f.mu.Unlock()
	return a
}

// stationOf is the station whose officer is station-<county>.
func (f *fixture) stationOf(county string) int64 {
	return f.staff("station-" + county).OfficeID
}

func (f *fixture) next() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	return f.seq
}

// personSpec describes a registry person to create.
type personSpec struct {
	county      string    // household county (default homeCounty)
	birth       time.Time // default 1988-08-08
	issued      time.Time // card issue date (default a year before baseTime)
	expires     *time.Time
	noExpiry    bool // a long-term card
	noPrints    bool
	invalidCard bool
}

// newPerson inserts a registry person with a valid ID number.
func (f *fixture) newPerson(sp personSpec) store.Person {
	f.t.Helper()
	if sp.county == "" {
		sp.county = homeCounty
	}
	if sp.birth.IsZero() {
		sp.birth = time.Date(1988, 8, 8, 0, 0, 0, 0, time.UTC)
	}
	if sp.issued.IsZero() {
		sp.issued = store.DateOf(baseTime.AddDate(-1, 0, 0), calendar.Location())
	}
	n := f.next()
	first17 := fmt.Sprintf("%s%s%03d", sp.county, sp.birth.Format("20060102"), n%1000)
	id := first17 + string(domain.IDCheckDigit(first17))
	p := store.Person{Name: fmt.Sprintf("测试人%d", n), Sex: "male", Ethnicity: "汉族", BirthDate: sp.birth,
		IDNumber: id, Address: fmt.Sprintf("贵州省贵阳市南明区测试路%d号%d栋%d单元", 100+n, n%7+1, n%3+1),
		HouseholdDivision: sp.county, CardIssuedOn: &sp.issued, CardFingerprints: !sp.noPrints, CardValid: !sp.invalidCard}
	switch {
	case sp.expires != nil:
		p.CardExpiresOn = sp.expires
	case !sp.noExpiry:
		if e := domain.CardExpiry(sp.birth, sp.issued); e != nil {
			d := store.DateOf(*e, calendar.Location())
			p.CardExpiresOn = &d
		}
	}
	if err := f.st.Tx(f.ctx, func(q *store.Q) error { return q.InsertPersonsIfMissing([]store.Person{p}) }); err != nil {
		f.t.Fatalf("insert person: %v", err)
	}
	got, err := f.st.Q(f.ctx).PersonByIDNumber(id)
	if err != nil {
		f.t.Fatalf("person %s: %v", id, err)
	}
	if got.HouseholdDivision != sp.county {
		f.t.Fatalf("person %s collides with a seeded one", id)
	}
	return got
}

// applicantSpec describes an applicant account.
type applicantSpec struct {
	personID *int64
	wechat   bool // has a mini-program openid
	noPhone  bool
}

// newApplicant inserts an account, bound to a person when personID is set,
// and returns its actor and stored row.
func (f *fixture) newApplicant(as applicantSpec) (service.Actor, store.Applicant) {
	f.t.Helper()
	n := f.next()
	a := store.Applicant{PersonID: as.personID}
	if !as.noPhone {
		a.Phone = fmt.Sprintf("139%08d", 10000000+n*7919%89999999)
	}
	if as.wechat {
		o := fmt.Sprintf("openid-%d", n)
		a.WechatMpOpenid = &o
	}
	if as.personID != nil {
		t := f.clk.Now().UTC()
		a.BoundAt = &t
	}
	if err := f.st.Q(f.ctx).InsertApplicant(&a); err != nil {
		f.t.Fatalf("insert applicant: %v", err)
	}
	return service.ApplicantActor(a.ID, "10.0.0.1"), a
}

// proof is a confirmed real-person verification done just now, with a
// reference of its own.
func (f *fixture) proof() domain.RealPersonProof {
	return domain.RealPersonProof{Provider: "test", Ref: fmt.Sprintf("test:%d", f.next()), At: f.clk.Now()}
}

// caseSpec describes a case to make.
type caseSpec struct {
	household string // person's household county (default homeCounty)
	station   string // county of the chosen station (default homeCounty)
	mail      bool
	kind      domain.Kind // default damage renewal
	wechat    bool
}

// tcase is a case the tests drive, with the actors entitled to act on it.
type tcase struct {
	no        string
	spec      caseSpec
	person    store.Person
	applicant service.Actor
	account   store.Applicant
	station   service.Actor // officer of the chosen station
	county    service.Actor // reviewer of the household county
	mailIn    *service.MailInput
}

func (f *fixture) mailInput(n int) *service.MailInput {
	return &service.MailInput{Recipient: fmt.Sprintf("收件人%d", n), Phone: fmt.Sprintf("137%08d", 20000000+n*104729%79999999),
		DivisionCode: homeCounty, Address: fmt.Sprintf("花果园大街%d号%d栋%d层", 500+n, n%9+1, n%20+1)}
}

// submitInput is the application for spec.
func (f *fixture) submitInput(sp caseSpec) service.SubmitInput {
	in := service.SubmitInput{Kind: string(sp.kind), StationID: f.stationOf(sp.station), Collection: string(domain.CollectionWindow)}
	if sp.mail {
		in.Collection = string(domain.CollectionMail)
		in.Mail = f.mailInput(f.next())
	}
	if sp.kind == domain.KindExpiryRenewal {
		in.PhotoReceiptNo = fmt.Sprintf("RCPT%08d", f.next())
	}
	return in
}

func (sp *caseSpec) defaults() {
	if sp.household == "" {
		sp.household = homeCounty
	}
	if sp.station == "" {
		sp.station = homeCounty
	}
	if sp.kind == "" {
		sp.kind = domain.KindDamageRenewal
	}
}

// newCase makes a person, a bound applicant and a submitted case.
func (f *fixture) newCase(sp caseSpec) *tcase {
	f.t.Helper()
	sp.defaults()
	ps := personSpec{county: sp.household}
	if sp.kind == domain.KindExpiryRenewal {
		exp := store.DateOf(baseTime.AddDate(0, 1, 0), calendar.Location())
		ps.issued = exp.AddDate(-20, 0, 0)
		ps.expires = &exp
	}
	p := f.newPerson(ps)
	ap, acc := f.newApplicant(applicantSpec{personID: &p.ID, wechat: sp.wechat})
	in := f.submitInput(sp)
	v, err := f.svc.Submit(f.ctx, ap, in, "")
	if err != nil {
		f.t.Fatalf("submit: %v", err)
	}
	return &tcase{no: v.No, spec: sp, person: p, applicant: ap, account: acc, mailIn: in.Mail,
		station: f.staff("station-" + sp.station), county: f.staff("county-" + sp.household)}
}

// caseRow reads the case's row.
func (f *fixture) caseRow(no string) store.Case {
	f.t.Helper()
	c, err := f.st.Q(f.ctx).CaseByNo(no)
	if err != nil {
		f.t.Fatalf("case %s: %v", no, err)
	}
	return c
}

func (f *fixture) person(id int64) store.Person {
	f.t.Helper()
	p, err := f.st.Q(f.ctx).Person(id)
	if err != nil {
		f.t.Fatalf("person %d: %v", id, err)
	}
	return p
}

// token issues a pickup token for the case as its applicant.
func (f *fixture) token(tc *tcase) string {
	f.t.Helper()
	tok, err := f.svc.IssuePickupToken(f.ctx, tc.applicant, tc.no)
	if err != nil {
		f.t.Fatalf("pickup token %s: %v", tc.no, err)
	}
	return tok.Token
}

// rawToken signs a token for the case whatever its status.
func (f *fixture) rawToken(tc *tcase) string {
	f.t.Helper()
	c := f.caseRow(tc.no)
	tok, _, err := f.tokens.Issue(c.ID, c.StationID, f.clk.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

var trackingSerial struct {
	sync.Mutex
	n int
}

func nextTrackingNo() string {
	trackingSerial.Lock()
	defer trackingSerial.Unlock()
	trackingSerial.n++
	return domain.MakeS10("EA", 10000000+trackingSerial.n, "CN")
}

// paths are the service calls that lead from submitted to each status.
var paths = map[domain.Status][]domain.Action{
	domain.StatusSubmitted:      {},
	domain.StatusAccepted:       {domain.ActionPrecheckApprove},
	domain.StatusIssued:         {domain.ActionPrecheckApprove, domain.ActionReviewApprove},
	domain.StatusProduced:       {domain.ActionPrecheckApprove, domain.ActionReviewApprove, domain.ActionProduce},
	domain.StatusShipped:        {domain.ActionPrecheckApprove, domain.ActionReviewApprove, domain.ActionProduce, domain.ActionShip},
	domain.StatusReadyForPickup: {domain.ActionPrecheckApprove, domain.ActionReviewApprove, domain.ActionProduce, domain.ActionShip, domain.ActionArrive},
	domain.StatusCollected:      {domain.ActionPrecheckApprove, domain.ActionReviewApprove, domain.ActionProduce, domain.ActionShip, domain.ActionArrive, domain.ActionHandover},
	domain.StatusUncollected:    {domain.ActionPrecheckApprove, domain.ActionReviewApprove, domain.ActionProduce, domain.ActionShip, domain.ActionArrive, domain.ActionClosePickup},
	domain.StatusDelivered:      {domain.ActionPrecheckApprove, domain.ActionReviewApprove, domain.ActionProduce, domain.ActionShip, domain.ActionDeliver},
	domain.StatusRejected:       {domain.ActionPrecheckReject},
	domain.StatusCancelled:      {domain.ActionCancel},
}

// reachable reports whether status s exists on the route.
func reachable(s domain.Status, mail bool) bool {
	switch s {
	case domain.StatusReadyForPickup, domain.StatusCollected, domain.StatusUncollected:
		return !mail
	case domain.StatusDelivered:
		return mail
	}
	return true
}

// perform runs one action on the case as its entitled actor.
func (f *fixture) perform(tc *tcase, a domain.Action) (service.CaseView, error) {
	ctx, svc := f.ctx, f.svc
	switch a {
	case domain.ActionCancel:
		return svc.Cancel(ctx, tc.applicant, tc.no)
	case domain.ActionPrecheckApprove:
		return svc.Precheck(ctx, tc.station, tc.no, service.Decision{Approve: true})
	case domain.ActionPrecheckReject:
		return svc.Precheck(ctx, tc.station, tc.no, service.Decision{Reason: "照片不符合要求"})
	case domain.ActionReviewApprove:
		return svc.Review(ctx, tc.county, tc.no, service.Decision{Approve: true})
	case domain.ActionReviewReject:
		return svc.Review(ctx, tc.county, tc.no, service.Decision{Reason: "人证不符"})
	case domain.ActionProduce:
		if tc.spec.mail {
			f.pay(tc) // the mail route pays before production starts
		}
		return svc.Produce(ctx, f.staff("production"), tc.no, nil)
	case domain.ActionShip:
		tn := ""
		if tc.spec.mail {
			tn = nextTrackingNo()
		}
		return svc.Ship(ctx, f.staff("production"), tc.no, tn, nil)
	case domain.ActionArrive:
		return svc.Arrive(ctx, tc.station, tc.no, nil)
	case domain.ActionHandover:
		return svc.Handover(ctx, tc.station, f.token(tc), true)
	case domain.ActionDeliver:
		return svc.Deliver(ctx, f.staff("production"), tc.no, "本人", nil)
	case domain.ActionClosePickup:
		// The window must have ended: close at its end, then come back.
		c := f.caseRow(tc.no)
		back := f.clk.Now()
		if c.PickupDueAt != nil {
			f.clk.Set(c.PickupDueAt.Add(time.Hour))
			defer f.clk.Set(back)
		}
		return svc.ClosePickup(ctx, tc.no)
	case domain.ActionReopenPickup:
		return svc.ReopenPickup(ctx, f.supervisorOver(tc), tc.no, "本人出差延误", nil)
	case domain.ActionExtend:
		return svc.Extend(ctx, f.supervisorOver(tc), tc.no, 10, "山区交通中断", nil)
	case domain.ActionChange:
		other := f.stationOf(otherCounty)
		return svc.Change(ctx, tc.applicant, tc.no, service.ChangeInput{StationID: &other})
	}
	f.t.Fatalf("unknown action %s", a)
	return service.CaseView{}, nil
}

// supervisorOver is the prefecture supervisor of the case's station.
func (f *fixture) supervisorOver(tc *tcase) service.Actor {
	return f.staff("supervisor-" + tc.spec.station[:4])
}

// drive takes the case from submitted to status to through the real service
// calls.
func (f *fixture) drive(tc *tcase, to domain.Status) {
	f.t.Helper()
	if !reachable(to, tc.spec.mail) {
		f.t.Fatalf("status %s does not exist on this route", to)
	}
	steps := paths[to]
	// Start from where the case is: its own path is a prefix of the way.
	if done := paths[domain.Status(f.caseRow(tc.no).Status)]; len(done) <= len(steps) && slices.Equal(done, steps[:len(done)]) {
		steps = steps[len(done):]
	}
	for _, a := range steps {
		if _, err := f.perform(tc, a); err != nil {
			f.t.Fatalf("drive %s to %s: %s: %v", tc.no, to, a, err)
		}
	}
	if got := f.caseRow(tc.no).Status; got != string(to) {
		f.t.Fatalf("drive %s: status %s, want %s", tc.no, got, to)
	}
}

// caseAt makes a case and drives it to status to.
func (f *fixture) caseAt(sp caseSpec, to domain.Status) *tcase {
	f.t.Helper()
	tc := f.newCase(sp)
	f.drive(tc, to)
	return tc
}

// count runs a COUNT(*) query.
func (f *fixture) count(query string, args ...any) int64 {
	f.t.Helper()
	var n int64
	if err := f.db.SQL().QueryRowContext(f.ctx, query, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// wantCode fails unless err carries the code.
func wantCode(t testing.TB, err error, code domain.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s", code)
	}
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("got %s (%v), want %s", got, err, code)
	}
}

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %s: %v", domain.ErrorCode(err), err)
	}
}

// pay has the applicant pay the case with the demo provider, unless it is
// paid already.
func (f *fixture) pay(tc *tcase) {
	f.t.Helper()
	if _, err := f.svc.Pay(f.ctx, tc.applicant, tc.no, domain.ChannelMiniProgram); err != nil && domain.ErrorCode(err) != domain.CodeAlreadyPaid {
		f.t.Fatalf("pay %s: %v", tc.no, err)
	}
}
