package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/service"
	"github.com/gzga/idcard/backend/internal/store"
	"github.com/gzga/idcard/backend/internal/web/webtest"
)

// cpWorld is a running service with helpers that make and drive cases
// through the service, as applicants and officers would.
type cpWorld struct {
	t   *testing.T
	env *webtest.Env
	ctx context.Context

	mu  sync.Mutex
	seq int
}

func newCPWorld(t *testing.T) *cpWorld {
	t.Helper()
	return &cpWorld{t: t, env: webtest.Start(t), ctx: context.Background()}
}

func (w *cpWorld) next() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seq++
	return w.seq
}

// staff is the service actor of a demo account.
func (w *cpWorld) staff(username string) service.Actor {
	w.t.Helper()
	st, err := w.env.Store.Q(w.ctx).StaffByUsername(username)
	if err != nil {
		w.t.Fatalf("staff %s: %v", username, err)
	}
	a, err := w.env.Service.StaffActor(w.ctx, st.ID, "127.0.0.1")
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// cpOpts describes a case to make; zero values are a damage renewal by a
// person of 520102 at the first station of 520102, window route.
type cpOpts struct {
	household, station string
	kind               domain.Kind
	mail               bool
	photo              bool // an uploaded photo (expiry renewal)
	person             *store.Person
	applicant          *service.Actor // an account already bound to person
}

// person inserts a registry person of county with a recent card.
func (w *cpWorld) person(county string, kind domain.Kind) store.Person {
	w.t.Helper()
	n := w.next()
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
	if err := w.env.Store.Tx(w.ctx, func(q *store.Q) error { return q.InsertPersonsIfMissing([]store.Person{p}) }); err != nil {
		w.t.Fatal(err)
	}
	got, err := w.env.Store.Q(w.ctx).PersonByIDNumber(id)
	if err != nil || got.HouseholdDivision != county {
		w.t.Fatalf("person %s: %v", id, err)
	}
	return got
}

// applicant makes an account bound to the person now.
func (w *cpWorld) applicant(p store.Person) service.Actor {
	w.t.Helper()
	now := time.Now().UTC()
	ap := store.Applicant{Phone: fmt.Sprintf("139%08d", 30000000+w.next()), PersonID: &p.ID, BoundAt: &now}
	if err := w.env.Store.Q(w.ctx).InsertApplicant(&ap); err != nil {
		w.t.Fatal(err)
	}
	return service.ApplicantActor(ap.ID, "10.0.0.1")
}

// newCase submits a case and returns its number.
func (w *cpWorld) newCase(o cpOpts) string {
	no, _ := w.newCaseBy(o)
	return no
}

func (w *cpWorld) newCaseBy(o cpOpts) (string, service.Actor) {
	w.t.Helper()
	if o.household == "" {
		o.household = "520102"
	}
	if o.station == "" {
		o.station = o.household
	}
	if o.kind == "" {
		o.kind = domain.KindDamageRenewal
	}
	if o.photo {
		o.kind = domain.KindExpiryRenewal
	}
	p := o.person
	if p == nil {
		pp := w.person(o.household, o.kind)
		p = &pp
	}
	var ap service.Actor
	if o.applicant != nil {
		ap = *o.applicant
	} else {
		ap = w.applicant(*p)
	}
	in := service.SubmitInput{Kind: string(o.kind), StationID: w.staff("station-" + o.station).OfficeID, Collection: "window"}
	if o.mail {
		in.Collection = "mail"
		in.Mail = &service.MailInput{Recipient: p.Name, Phone: "13800001234", DivisionCode: o.household, Address: "花果园大街1号3栋12层"}
	}
	if o.kind == domain.KindExpiryRenewal {
		if o.photo {
			id, err := w.env.Service.UploadPhoto(w.ctx, ap, cpPhoto(w.t))
			if err != nil {
				w.t.Fatal(err)
			}
			in.PhotoID = &id
		} else {
			in.PhotoReceiptNo = fmt.Sprintf("RCPT%08d", w.next())
		}
	}
	v, err := w.env.Service.Submit(w.ctx, ap, in, "")
	if err != nil {
		w.t.Fatalf("submit: %v", err)
	}
	return v.No, ap
}

// drive moves a case on to status by the service, with the right officers.
func (w *cpWorld) drive(no string, to domain.Status) {
	w.t.Helper()
	c := w.caseRow(no)
	station, county := "station-"+c.StationDivision, "county-"+c.HouseholdDivision
	steps := []struct {
		at  domain.Status
		run func() error
	}{
		{domain.StatusSubmitted, func() error {
			_, err := w.env.Service.Precheck(w.ctx, w.staff(station), no, service.Decision{Approve: true})
			return err
		}},
		{domain.StatusAccepted, func() error {
			_, err := w.env.Service.Review(w.ctx, w.staff(county), no, service.Decision{Approve: true})
			return err
		}},
		{domain.StatusIssued, func() error { _, err := w.env.Service.Produce(w.ctx, w.staff("production"), no, nil); return err }},
		{domain.StatusProduced, func() error {
			tn := ""
			if c.Collection == "mail" {
				tn = "EA123456785CN"
			}
			_, err := w.env.Service.Ship(w.ctx, w.staff("production"), no, tn, nil)
			return err
		}},
		{domain.StatusShipped, func() error { _, err := w.env.Service.Arrive(w.ctx, w.staff(station), no, nil); return err }},
	}
	for _, st := range steps {
		if domain.Status(w.caseRow(no).Status) == to {
			return
		}
		if domain.Status(w.caseRow(no).Status) == st.at {
			if err := st.run(); err != nil {
				w.t.Fatalf("drive %s from %s: %v", no, st.at, err)
			}
		}
	}
	if got := w.caseRow(no).Status; got != string(to) {
		w.t.Fatalf("drive %s: reached %s, want %s", no, got, to)
	}
}

func (w *cpWorld) caseRow(no string) store.Case {
	w.t.Helper()
	c, err := w.env.Store.Q(w.ctx).CaseByNo(no)
	if err != nil {
		w.t.Fatalf("case %s: %v", no, err)
	}
	return c
}

// update changes a case row directly (times the tests cannot wait for).
func (w *cpWorld) update(no string, change func(c *store.Case)) {
	w.t.Helper()
	c := w.caseRow(no)
	change(&c)
	if err := w.env.Store.Q(w.ctx).UpdateCase(&c); err != nil {
		w.t.Fatal(err)
	}
}

// auditCount counts audit entries of an action on a case.
func (w *cpWorld) auditCount(action, no string) int {
	w.t.Helper()
	es, err := w.env.Store.Q(w.ctx).AuditEntries(store.AuditFilter{Action: action, ObjectType: "case", ObjectID: no})
	if err != nil {
		w.t.Fatal(err)
	}
	return len(es)
}

// cpPhoto is a GA 461 photo: 358×441 JPEG, white background, a dark head.
func cpPhoto(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 358, 441))
	for y := range 441 {
		for x := range 358 {
			c := color.RGBA{255, 255, 255, 255}
			if x > 110 && x < 250 && y > 120 {
				c = color.RGBA{60, 50, 45, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cpBrowser is a signed-in staff member's cookie session.
type cpBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

// signIn posts the login form as a browser would.
func (w *cpWorld) signIn(username string) *cpBrowser {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &cpBrowser{t: w.t, base: w.env.URL, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	res, body := b.do(http.MethodPost, "/staff/login", url.Values{"username": {username}, "password": {"demo1234"}}, nil)
	if res.StatusCode != 200 || res.Request.URL.Path != "/staff/" {
		w.t.Fatalf("sign in %s: %d at %s: %.300s", username, res.StatusCode, res.Request.URL, body)
	}
	return b
}

// do sends a request, following redirects, and returns the last response
// with its body read.
func (b *cpBrowser) do(method, path string, form url.Values, header http.Header) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return res, string(raw)
}

// get fetches a page and returns its status and body.
func (b *cpBrowser) get(path string) (int, string) {
	b.t.Helper()
	res, body := b.do(http.MethodGet, path, nil, nil)
	return res.StatusCode, body
}

// post sends a form and returns the page it redirects to.
func (b *cpBrowser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	res, body := b.do(http.MethodPost, path, form, nil)
	return res.StatusCode, body
}

// cpHas fails unless body holds every part.
func cpHas(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Fatalf("%s: missing %q in:\n%s", what, p, cpExcerpt(body))
		}
	}
}

// cpLacks fails if body holds any part.
func cpLacks(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(body, p) {
			t.Fatalf("%s: unexpected %q in:\n%s", what, p, cpExcerpt(body))
		}
	}
}

// cpExcerpt is the page's main part, for failure messages.
func cpExcerpt(body string) string {
	if i := strings.Index(body, `<main class="page">`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 4000 {
		body = body[:4000] + "…"
	}
	return body
}

func cpVersion(w *cpWorld, no string) string { return fmt.Sprint(w.caseRow(no).Version) }
