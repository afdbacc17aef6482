// Package demo loads the seed data into the store: Guizhou's divisions and
// offices always; in demo mode also the demo staff accounts, the registry
// persons of openapi.yaml and a synthetic registry. Loading is idempotent: running
// it again adds only what is missing.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/passwd"
	"github.com/gzga/idcard/backend/internal/seed"
	"github.com/gzga/idcard/backend/internal/store"
)

// Options say what to load.
type Options struct {
	Demo         bool      // demo staff and persons (never in a production seed)
	DemoPassword string    // password of every demo staff account
	Persons      int       // size of the synthetic registry
	Today        time.Time // the day the demo cards are relative to
	Location     *time.Location
}

// DefaultPersons is the size of the synthetic registry.
const DefaultPersons = 10000

// Summary counts what the database holds after loading.
type Summary struct {
	Divisions, Offices, Staff, Persons int64
}

// Load writes the seed data.
func Load(ctx context.Context, st *store.Store, o Options) (Summary, error) {
	var sum Summary
	divs, err := seed.Divisions()
	if err != nil {
		return sum, err
	}
	offs, err := seed.Offices()
	if err != nil {
		return sum, err
	}
	err = st.Tx(ctx, func(q *store.Q) error {
		rows := make([]store.Division, 0, len(divs))
		for _, d := range divs {
			r := store.Division{Code: d.Code, Name: d.Name, Level: d.Level}
			if d.ParentCode != "" {
				p := d.ParentCode
				r.ParentCode = &p
			}
			rows = append(rows, r)
		}
		if err := q.UpsertDivisions(rows); err != nil {
			return fmt.Errorf("divisions: %w", err)
		}
		orows := make([]store.Office, 0, len(offs))
		for _, o := range offs {
			orows = append(orows, store.Office{Code: o.Code, Kind: o.Kind, Name: o.Name, DivisionCode: o.DivisionCode,
				Address: o.Address, Phone: o.Phone, Hours: o.Hours, Remote: o.Remote, Active: true})
		}
		if err := q.UpsertOffices(orows); err != nil {
			return fmt.Errorf("offices: %w", err)
		}
		if o.Demo {
			if err := loadStaff(q, o.DemoPassword); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	if o.Demo {
		if err := loadPersons(ctx, st, o); err != nil {
			return sum, err
		}
	}
	q := st.Q(ctx)
	if sum.Divisions, err = q.CountDivisions(seed.LevelCounty); err != nil {
		return sum, err
	}
	for _, k := range []string{store.OfficeStation, store.OfficeCountyBureau, store.OfficeProductionCentre} {
		n, err := q.CountOffices(k)
		if err != nil {
			return sum, err
		}
		sum.Offices += n
	}
	if sum.Staff, err = q.CountStaff(); err != nil {
		return sum, err
	}
	sum.Persons, err = q.CountPersons()
	return sum, err
}

func loadStaff(q *store.Q, password string) error {
	accounts, err := seed.DemoStaff()
	if err != nil {
		return err
	}
	// One hash serves every demo account: they share the demo password, and
	// hashing each of ~190 accounts with argon2id would slow every first start.
	hash, err := passwd.Hash(password, passwd.Default())
	if err != nil {
		return err
	}
	rows := make([]store.Staff, 0, len(accounts))
	for _, a := range accounts {
		r := store.Staff{Username: a.Username, Name: a.Name, PasswordHash: hash, Role: a.Role, ScopeDivision: a.ScopeDivision, Active: true}
		off, err := q.OfficeByCode(a.OfficeCode)
		if err != nil {
			return fmt.Errorf("staff %s: office %s: %w", a.Username, a.OfficeCode, err)
		}
		r.OfficeID = &off.ID
		rows = append(rows, r)
	}
	return q.InsertStaffIfMissing(rows)
}

func loadPersons(ctx context.Context, st *store.Store, o Options) error {
	n := o.Persons
	if n <= 0 {
		n = DefaultPersons
	}
	all := append(seed.DemoPersons(o.Today), seed.SyntheticPersons(n, o.Today)...)
	const batch = 2000
	for i := 0; i < len(all); i += batch {
		end := min(i+batch, len(all))
		rows := make([]store.Person, 0, end-i)
		for _, p := range all[i:end] {
			issued := store.DateOf(p.CardIssuedOn, o.Location)
			r := store.Person{Name: p.Name, Sex: p.Sex, Ethnicity: p.Ethnicity, IDNumber: p.IDNumber, Address: p.Address,
				HouseholdDivision: p.HouseholdDivision, BirthDate: store.DateOf(p.BirthDate, o.Location),
				CardIssuedOn: &issued, CardFingerprints: p.Fingerprints, CardValid: true}
			if p.CardExpiresOn != nil {
				e := store.DateOf(*p.CardExpiresOn, o.Location)
				r.CardExpiresOn = &e
			}
			rows = append(rows, r)
		}
		if err := st.Tx(ctx, func(q *store.Q) error { return q.InsertPersonsIfMissing(rows) }); err != nil {
			return fmt.Errorf("persons: %w", err)
		}
	}
	return st.Tx(ctx, func(q *store.Q) error { return loadGuardianships(q) })
}

// loadGuardianships records the demo registry's guardianships.
func loadGuardianships(q *store.Q) error {
	var rows []store.Guardianship
	for _, g := range seed.DemoGuardianships() {
		guardian, err := q.PersonByIDNumber(g.GuardianID)
		if err != nil {
			return fmt.Errorf("guardian %s: %w", g.GuardianID, err)
		}
		ward, err := q.PersonByIDNumber(g.WardID)
		if err != nil {
			return fmt.Errorf("ward %s: %w", g.WardID, err)
		}
		rows = append(rows, store.Guardianship{GuardianPersonID: guardian.ID, WardPersonID: ward.ID, Relation: g.Relation})
	}
	return q.InsertGuardianshipsIfMissing(rows)
}
