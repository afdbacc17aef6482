package webtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
)

// next is a number unique within the Env, for fresh people and accounts.
func (e *Env) next() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seq++
	return e.seq
}

// Staff is the service actor of a demo staff account.
func (e *Env) Staff(t testing.TB, username string) service.Actor {
	t.Helper()
	ctx := context.Background()
	st, err := e.Store.Q(ctx).StaffByUsername(username)
	if err != nil {
		t.Fatalf("staff %s: %v", username, err)
	}
	a, err := e.Service.StaffActor(ctx, st.ID, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Case reads the case's row.
func (e *Env) Case(t testing.TB, no string) store.Case {
	t.Helper()
	c, err := e.Store.Q(context.Background()).CaseByNo(no)
	if err != nil {
		t.Fatalf("case %s: %v", no, err)
	}
	return c
}

// WantStatus fails t unless the case is in status st.
func (e *Env) WantStatus(t testing.TB, no string, st domain.Status) {
	t.Helper()
	if got := e.Case(t, no).Status; got != string(st) {
		t.Fatalf("case %s is %s, want %s", no, got, st)
	}
}

// ActionForm is a staff page's action form for the case at its current
// version, with the fields given as name, value pairs.
func (e *Env) ActionForm(t testing.TB, no string, kv ...string) url.Values {
	t.Helper()
	f := url.Values{"version": {fmt.Sprint(e.Case(t, no).Version)}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// Pick is the value of a case's check box in a staff list form:
// "number:version" at its current version.
func (e *Env) Pick(t testing.TB, no string) string {
	t.Helper()
	return fmt.Sprintf("%s:%d", no, e.Case(t, no).Version)
}

// UpdateCase changes a case row directly (times a test cannot wait for).
func (e *Env) UpdateCase(t testing.TB, no string, change func(c *store.Case)) {
	t.Helper()
	c := e.Case(t, no)
	change(&c)
	if err := e.Store.Q(context.Background()).UpdateCase(&c); err != nil {
		t.Fatal(err)
	}
}

// Audit lists the audit entries of an action on an object (a case number),
// newest first.
func (e *Env) Audit(t testing.TB, action, objectID string) []store.AuditEntry {
	t.Helper()
	es, err := e.Store.Q(context.Background()).AuditEntries(store.AuditFilter{Action: action, ObjectID: objectID})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// AuditSoon is Audit once n entries are there, for the entries the service
// writes just after its answer (a pickup check's): it polls for up to 10 s
// and returns what it found last.
func (e *Env) AuditSoon(t testing.TB, action, objectID string, n int) []store.AuditEntry {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		es := e.Audit(t, action, objectID)
		if len(es) >= n || time.Now().After(deadline) {
			return es
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Outcomes are the outcomes and details of audit entries, in their order.
func Outcomes(es []store.AuditEntry) string {
	var out []string
	for _, e := range es {
		out = append(out, e.Outcome+e.Detail)
	}
	return strings.Join(out, " ")
}

// NewPerson inserts a registry person of the county with a card issued a
// year ago, or, for an expiry renewal, one that expires next month.
func (e *Env) NewPerson(t testing.TB, county string, kind domain.Kind) store.Person {
	t.Helper()
	ctx := context.Background()
	n := e.next()
	birth := time.Date(1991, time.Month(1+n%12), 1+n%27, 0, 0, 0, 0, time.UTC)
	first17 := fmt.Sprintf("%s%s%03d", county, birth.Format("20060102"), 100+n)
	id := first17 + string(domain.IDCheckDigit(first17))
	now := time.Now().In(calendar.Location())
	issued := store.DateOf(now.AddDate(-1, 0, 0), calendar.Location())
	expires := store.DateOf(now.AddDate(9, 0, 0), calendar.Location())
	if kind == domain.KindExpiryRenewal {
		issued = store.DateOf(now.AddDate(-10, 1, 0), calendar.Location())
		expires = store.DateOf(now.AddDate(0, 1, 0), calendar.Location())
	}
	p := store.Person{Name: fmt.Sprintf("黔测试%c", rune('甲'+n)), Sex: "male", Ethnicity: "汉族", BirthDate: birth, IDNumber: id,
		Address: fmt.Sprintf("贵州省贵阳市南明区测试路%d号", 100+n), HouseholdDivision: county,
		CardIssuedOn: &issued, CardExpiresOn: &expires, CardFingerprints: true, CardValid: true}
	if err := e.Store.Tx(ctx, func(q *store.Q) error { return q.InsertPersonsIfMissing([]store.Person{p}) }); err != nil {
		t.Fatal(err)
	}
	got, err := e.Store.Q(ctx).PersonByIDNumber(id)
	if err != nil || got.HouseholdDivision != county {
		t.Fatalf("person %s: %v", id, err)
	}
	return got
}

// NewApplicant makes an applicant account bound to the person now.
func (e *Env) NewApplicant(t testing.TB, p store.Person) service.Actor {
	t.Helper()
	now := time.Now().UTC()
	ap := store.Applicant{Phone: fmt.Sprintf("139%08d", 30000000+e.next()), PersonID: &p.ID, BoundAt: &now}
	if err := e.Store.Q(context.Background()).InsertApplicant(&ap); err != nil {
		t.Fatal(err)
	}
	return service.ApplicantActor(ap.ID, "10.0.0.1")
}

// CaseSpec describes a case for NewCase; the zero value is a damage renewal
// by a new person of 520102 at the station of 520102, collected at the
// window.
type CaseSpec struct {
	Household, Station string // counties (Station defaults to Household)
	Kind               domain.Kind
	Mail               bool
	Photo              bool           // an uploaded photo (makes it an expiry renewal)
	Person             *store.Person  // default: a new person of Household
	Applicant          *service.Actor // an account already bound to Person
}

// NewCase submits a case through the service and returns its number.
func (e *Env) NewCase(t testing.TB, s CaseSpec) string {
	t.Helper()
	no, _ := e.NewCaseBy(t, s)
	return no
}

// NewCaseBy is NewCase that also returns the case's applicant.
func (e *Env) NewCaseBy(t testing.TB, s CaseSpec) (string, service.Actor) {
	t.Helper()
	ctx := context.Background()
	if s.Household == "" {
		s.Household = "520102"
	}
	if s.Station == "" {
		s.Station = s.Household
	}
	if s.Kind == "" {
		s.Kind = domain.KindDamageRenewal
	}
	if s.Photo {
		s.Kind = domain.KindExpiryRenewal
	}
	p := s.Person
	if p == nil {
		pp := e.NewPerson(t, s.Household, s.Kind)
		p = &pp
	}
	var ap service.Actor
	if s.Applicant != nil {
		ap = *s.Applicant
	} else {
		ap = e.NewApplicant(t, *p)
	}
	in := service.SubmitInput{Kind: string(s.Kind), StationID: e.Staff(t, "station-"+s.Station).OfficeID, Collection: "window"}
	if s.Mail {
		in.Collection = "mail"
		in.Mail = &service.MailInput{Recipient: p.Name, Phone: "13800001234", DivisionCode: s.Household, Address: "花果园大街1号3栋12层"}
	}
	if s.Kind == domain.KindExpiryRenewal {
		if s.Photo {
			id, err := e.Service.UploadPhoto(ctx, ap, Photo(t, 60))
			if err != nil {
				t.Fatal(err)
			}
			in.PhotoID = &id
		} else {
			in.PhotoReceiptNo = fmt.Sprintf("RCPT%08d", e.next())
		}
	}
	v, err := e.Service.Submit(ctx, ap, in, "")
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return v.No, ap
}

// DemoPerson is a person of the demo registry (openapi.yaml's examples).
type DemoPerson struct{ Phone, Name, ID, County string }

// The demo registry's people the tests apply as.
var (
	ZhangSan = DemoPerson{"13800000001", "张三", "52010219900101123X", "520102"}
	LiMei    = DemoPerson{"13800000002", "李梅", "520103198506150026", "520103"}
)

// Submit signs p in by SMS and binds them, submits through the API a damage
// renewal at the station of p's county, collected by "window" or "mail",
// and drives it to status to. It returns the applicant's client and the case
// number.
func Submit(t testing.TB, env *Env, p DemoPerson, collection string, to domain.Status) (*Client, string) {
	t.Helper()
	app := Applicant(t, env, p.Phone, p.Name, p.ID)
	body := map[string]any{"kind": "damage_renewal", "station_id": env.Staff(t, "station-"+p.County).OfficeID, "collection": collection}
	if collection == "mail" {
		body["mail"] = map[string]any{"recipient": p.Name, "phone": p.Phone, "division_code": p.County, "address": "北京路126号4栋1单元602"}
	}
	no := Want(t, app.Post("/api/v1/cases", body), http.StatusCreated, "").Str("no")
	env.Drive(t, no, to)
	return app, no
}

// CaseStatus is the case's status as its applicant sees it in the API.
func CaseStatus(t testing.TB, app *Client, no string) string {
	t.Helper()
	return Want(t, app.Get("/api/v1/cases/"+no), http.StatusOK, "").Str("status")
}
