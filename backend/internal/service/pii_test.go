package service_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/notify"
)

// secret is a plain value that must not be stored as such.
type secret struct {
	what, value string
}

// fragments are the parts of a secret looked for: the whole value and its
// distinctive tail (an ID number without its division code, a phone number
// without its network prefix, the street part of an address).
func (s secret) fragments() []string {
	r := []rune(s.value)
	out := []string{s.value}
	switch s.what {
	case "id_number":
		out = append(out, string(r[6:]))
	case "phone":
		out = append(out, string(r[3:]))
	case "address":
		out = append(out, string(r[len(r)/2:]))
	}
	return out
}

// rawRows returns every row of a table as column → text, read through the
// bare database/sql pool, bypassing the store's decryption.
func (f *fixture) rawRows(table string) []map[string]string {
	f.t.Helper()
	rows, err := f.db.SQL().QueryContext(f.ctx, "SELECT * FROM "+table)
	if err != nil {
		f.t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	mustOK(f.t, err)
	var out []map[string]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		mustOK(f.t, rows.Scan(ptrs...))
		row := map[string]string{}
		for i, c := range cols {
			switch v := vals[i].(type) {
			case nil:
			case []byte:
				row[c] = string(v)
			default:
				row[c] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	mustOK(f.t, rows.Err())
	return out
}

// TestPIIAtRest reads the raw rows and finds no ID number, phone number or
// address in plain text; the sealed columns still open to the right values.
func TestPIIAtRest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var secrets []secret
	var cases []*tcase
	for i := range 6 {
		tc := f.newCase(caseSpec{mail: i%2 == 0, wechat: true, household: []string{homeCounty, otherCounty, remoteCounty}[i%3]})
		cases = append(cases, tc)
		if i < 4 {
			f.drive(tc, []domain.Status{domain.StatusShipped, domain.StatusAccepted, domain.StatusRejected, domain.StatusReadyForPickup}[i])
		}
		secrets = append(secrets, secret{"id_number", tc.person.IDNumber}, secret{"address", tc.person.Address}, secret{"phone", tc.account.Phone})
		if tc.mailIn != nil {
			secrets = append(secrets, secret{"phone", tc.mailIn.Phone}, secret{"address", tc.mailIn.Address}, secret{"recipient", tc.mailIn.Recipient})
		}
	}
	// One submitted with an idempotency key: the stored answer is a row too.
	p := f.newPerson(personSpec{})
	ap, acc := f.newApplicant(applicantSpec{personID: &p.ID})
	in := f.submitInput(caseSpec{station: homeCounty, kind: domain.KindLossReplacement, mail: true})
	_, err := f.svc.Submit(f.ctx, ap, in, "pii-key")
	mustOK(t, err)
	secrets = append(secrets, secret{"id_number", p.IDNumber}, secret{"address", p.Address}, secret{"phone", acc.Phone},
		secret{"phone", in.Mail.Phone}, secret{"address", in.Mail.Address}, secret{"recipient", in.Mail.Recipient})
	// The demo registry of openapi.yaml, too.
	for _, id := range []string{"52010219900101123X", "520103198506150026", "520302195803200019", "522601201207050034", "520402200302110049"} {
		p, err := f.st.Q(f.ctx).PersonByIDNumber(id) // the blind index finds it
		mustOK(t, err)
		secrets = append(secrets, secret{"id_number", p.IDNumber}, secret{"address", p.Address})
	}
	// Delivering the outbox writes notifications; they must not leak either.
	_, err = notify.New(notify.Options{Store: f.st, Clock: f.clk.Now}).Deliver(f.ctx, "w", 500)
	mustOK(t, err)

	for _, table := range []string{"persons", "applicants", "cases", "case_events", "audit_log", "outbox", "notifications", "idempotency_keys"} {
		t.Run(table, func(t *testing.T) {
			rows := f.with(t).rawRows(table)
			if len(rows) == 0 {
				t.Fatal("no rows")
			}
			for _, row := range rows {
				for col, v := range row {
					for _, s := range secrets {
						for _, frag := range s.fragments() {
							if strings.Contains(v, frag) {
								t.Fatalf("%s.%s (id %s) holds %s %q in plain text", table, col, row["id"], s.what, frag)
							}
						}
					}
				}
			}
		})
	}

	t.Run("SealedColumns", func(t *testing.T) {
		// IDCARD_CRYPTO=sm (the fixture's box): SM4-GCM under key t1, named in the value.
		sealed := func(v string) bool { return strings.HasPrefix(v, "sm4:t1:") }
		for _, row := range f.rawRows("persons") {
			if !sealed(row["id_number_enc"]) || !sealed(row["address_enc"]) || len(row["id_number_bidx"]) < 32 {
				t.Fatalf("person %s: id_number_enc %q address_enc %q bidx %q", row["id"], row["id_number_enc"], row["address_enc"], row["id_number_bidx"])
			}
		}
		for _, row := range f.rawRows("applicants") {
			if row["phone_enc"] != "" && !sealed(row["phone_enc"]) {
				t.Fatalf("applicant %s: phone_enc %q", row["id"], row["phone_enc"])
			}
		}
		mailed := 0
		for _, row := range f.rawRows("cases") {
			if row["collection"] != "mail" {
				continue
			}
			mailed++
			for _, c := range []string{"mail_recipient_enc", "mail_phone_enc", "mail_address_enc"} {
				if !sealed(row[c]) {
					t.Fatalf("case %s: %s %q", row["no"], c, row[c])
				}
			}
		}
		if mailed != 4 {
			t.Fatalf("%d mail cases, want 4", mailed)
		}
		// And they open to the plain values.
		for _, tc := range cases {
			c := f.caseRow(tc.no)
			if p := f.person(tc.person.ID); p.IDNumber != tc.person.IDNumber || p.Address != tc.person.Address {
				t.Fatalf("person %d does not open to its values", tc.person.ID)
			}
			if tc.mailIn != nil && (c.MailPhone != tc.mailIn.Phone || c.MailAddress != tc.mailIn.Address || c.MailRecipient != tc.mailIn.Recipient) {
				t.Fatalf("case %s mail opens to %q %q %q", tc.no, c.MailRecipient, c.MailPhone, c.MailAddress)
			}
			a, err := f.st.Q(f.ctx).Applicant(tc.applicant.ID)
			mustOK(t, err)
			if a.Phone != tc.account.Phone {
				t.Fatalf("applicant %d phone opens to %q", a.ID, a.Phone)
			}
		}
	})
}
