package store

import (
	"fmt"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Purposes of sealed person fields (bound into the ciphertext).
const (
	purposeIDNumber = "person.id_number"
	purposeAddress  = "person.address"
)

// Person is a record of the population registry. IDNumber and Address are
// plain in memory and sealed in the database.
type Person struct {
	ID                int64 `gorm:"primaryKey"`
	Name              string
	Sex               string
	Ethnicity         string
	BirthDate         time.Time
	IDNumber          string `gorm:"-"`
	IDNumberEnc       string
	IDNumberBidx      string
	Address           string `gorm:"-"`
	AddressEnc        string
	HouseholdDivision string
	PhotoID           *int64
	CardIssuedOn      *time.Time
	CardExpiresOn     *time.Time
	CardFingerprints  bool
	CardValid         bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Card is the registry's current card of the person, as the domain's
// eligibility rules read it.
func (p Person) Card() domain.Card {
	c := domain.Card{Fingerprints: p.CardFingerprints, Valid: p.CardValid, ExpiresOn: p.CardExpiresOn}
	if p.CardIssuedOn != nil {
		c.IssuedOn = *p.CardIssuedOn
	}
	return c
}

// TableName names the table.
func (Person) TableName() string { return "persons" }

// IDNumberIndex is the blind index a new row of an ID number gets.
func (q *Q) IDNumberIndex(idNumber string) string { return q.box.Index(purposeIDNumber, idNumber) }

// IDNumberIndexes are the blind indexes a stored row of an ID number may
// carry (under either suite, until `idcard pii rotate` has rewritten it):
// what look-ups match.
func (q *Q) IDNumberIndexes(idNumber string) []string {
	return q.box.Indexes(purposeIDNumber, idNumber)
}

func (q *Q) sealPerson(p *Person) error {
	var err error
	if p.IDNumberEnc, err = q.box.Seal(purposeIDNumber, p.IDNumber); err != nil {
		return err
	}
	if p.AddressEnc, err = q.box.Seal(purposeAddress, p.Address); err != nil {
		return err
	}
	p.IDNumberBidx = q.IDNumberIndex(p.IDNumber)
	return nil
}

func (q *Q) openPerson(p *Person) error {
	var err error
	if p.IDNumber, err = q.box.Open(purposeIDNumber, p.IDNumberEnc); err != nil {
		return fmt.Errorf("person %d id number: %w", p.ID, err)
	}
	if p.Address, err = q.box.Open(purposeAddress, p.AddressEnc); err != nil {
		return fmt.Errorf("person %d address: %w", p.ID, err)
	}
	return nil
}

// InsertPersonsIfMissing seals and inserts the persons whose ID number is
// not in the registry yet; existing records are left alone.
func (q *Q) InsertPersonsIfMissing(ps []Person) error {
	t := now()
	for i := range ps {
		if err := q.sealPerson(&ps[i]); err != nil {
			return err
		}
		ps[i].CreatedAt, ps[i].UpdatedAt = t, t
	}
	if len(ps) == 0 {
		return nil
	}
	return translate(q.g.Clauses(onConflictIgnore("id_number_bidx")).CreateInBatches(ps, 500).Error)
}

// PersonByIDNumber finds a registry record by its ID number.
func (q *Q) PersonByIDNumber(idNumber string) (Person, error) {
	var p Person
	if err := q.g.Where("id_number_bidx IN ?", q.IDNumberIndexes(idNumber)).Take(&p).Error; err != nil {
		return p, translate(err)
	}
	return p, q.openPerson(&p)
}

// Person returns a registry record by id.
func (q *Q) Person(id int64) (Person, error) {
	var p Person
	if err := q.g.Where("id = ?", id).Take(&p).Error; err != nil {
		return p, translate(err)
	}
	return p, q.openPerson(&p)
}

// CountPersons counts the registry.
func (q *Q) CountPersons() (int64, error) {
	var n int64
	err := q.g.Model(&Person{}).Count(&n).Error
	return n, translate(err)
}

// SetCardValid marks a person's current card valid or not (a lost card is
// declared invalid when its replacement is accepted).
func (q *Q) SetCardValid(personID int64, valid bool) error {
	return translate(q.g.Model(&Person{}).Where("id = ?", personID).
		Updates(map[string]any{"card_valid": valid, "updated_at": now()}).Error)
}

// SetCurrentCard records the new card a person received.
func (q *Q) SetCurrentCard(personID int64, issuedOn time.Time, expiresOn *time.Time) error {
	return translate(q.g.Model(&Person{}).Where("id = ?", personID).Updates(map[string]any{
		"card_issued_on": issuedOn, "card_expires_on": expiresOn, "card_fingerprints": true, "card_valid": true, "updated_at": now(),
	}).Error)
}

// PersonIDs returns up to limit registry ids in id order after afterID.
func (q *Q) PersonIDs(afterID int64, limit int) ([]int64, error) {
	var ids []int64
	err := q.g.Model(&Person{}).Where("id > ?", afterID).Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err)
}

// PersonRefs returns id, household division and birth date of persons after
// afterID, for bulk seeding without decrypting anything.
func (q *Q) PersonRefs(afterID int64, limit int) ([]Person, error) {
	var out []Person
	err := q.g.Select("id", "household_division", "birth_date", "name").Where("id > ?", afterID).Order("id").Limit(limit).Find(&out).Error
	return out, translate(err)
}
