package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Fixed seed of SyntheticPersons, so that every run yields the same registry.
const (
	personSeed1 = 0x475a_4944_4341_5244 // "GZIDCARD"
	personSeed2 = 0x5045_5253_4f4e_5331 // "PERSONS1"
)

// firstGenYear is when first-generation cards were issued nationwide.
const firstGenYear = 1985

// personGen holds the state of one SyntheticPersons run.
type personGen struct {
	r         *rand.Rand
	loc       *time.Location
	today     time.Time
	counties  []county
	countyPk  picker[int]
	ethnicPk  []picker[string]
	surnamePk picker[string]
	yearPk    picker[int]
	used      map[[17]byte]struct{}

	// secondGenFrom and secondGenUntil bound the exchange of every
	// first-generation card for a second-generation one (2004–2012; the
	// first generation became invalid on 1 January 2013).
	secondGenFrom, secondGenUntil time.Time
	// fingerprintsFrom is when fingerprints began to be taken for cards.
	fingerprintsFrom time.Time
}

// SyntheticPersons returns n synthetic registry persons with their current
// cards, for load and demo data. The result depends only on n and today's
// date (a fixed PCG seed), and the first n of a longer run equal a shorter
// run. Persons are spread over all 88 counties (the first 88 one per county),
// born 1940–2024, with names, sexes and ethnicities in rough Guizhou
// proportions, valid and unique GB 11643 ID numbers distinct from the demo
// persons', and a card history that follows the validity rule: most cards are
// current, a few lapsed without renewal, and cards issued since 2013 mostly
// have fingerprints.
func SyntheticPersons(n int, today time.Time) []Person {
	if n <= 0 {
		return nil
	}
	g := newPersonGen(mustGeography(), today, n)
	out := make([]Person, 0, n)
	for i := range n {
		ci := i
		if i >= len(g.counties) {
			ci = g.countyPk.pick(g.r)
		}
		out = append(out, g.person(&g.counties[ci], ci))
	}
	return out
}

// newPersonGen prepares the weight tables of a run.
func newPersonGen(geo *geography, today time.Time, n int) *personGen {
	loc := chinaTime()
	g := &personGen{
		r:         rand.New(rand.NewPCG(personSeed1, personSeed2)),
		loc:       loc,
		today:     civilDay(today, loc),
		counties:  geo.counties,
		surnamePk: newPicker(surnames),
		used:      make(map[[17]byte]struct{}, n+5),

		secondGenFrom:    date(2004, 3, 1, loc),
		secondGenUntil:   date(2012, 12, 31, loc),
		fingerprintsFrom: date(2013, 1, 1, loc),
	}
	for i, c := range geo.counties {
		// Townships stand in for population; urban districts and cities are denser.
		w := len(c.townships)
		switch {
		case strings.HasSuffix(c.Name, "区") && !strings.HasSuffix(c.Name, "特区"):
			w += 15
		case strings.HasSuffix(c.Name, "市"):
			w += 8
		}
		g.countyPk.add(i, w)
		g.ethnicPk = append(g.ethnicPk, ethnicPicker(c.ParentCode, c.Name))
	}
	for y := 1940; y <= 2024; y++ {
		w := 10
		switch {
		case y < 1950:
			w = 3
		case y < 1960:
			w = 7
		case y < 1980:
			w = 13
		case y < 2000:
			w = 14
		}
		g.yearPk.add(y, w)
	}
	for _, d := range demoPersonTable(loc) {
		var k [17]byte
		copy(k[:], d.id)
		g.used[k] = struct{}{}
	}
	return g
}

// person makes one person of county c (index ci).
func (g *personGen) person(c *county, ci int) Person {
	male := g.r.IntN(2) == 0
	birth := g.birthDate()
	p := Person{
		Name:              g.surnamePk.pick(g.r) + givenName(g.r, male, birth.Year()),
		Sex:               SexFemale,
		Ethnicity:         g.ethnicPk[ci].pick(g.r),
		HouseholdDivision: c.Code,
		BirthDate:         birth,
	}
	if male {
		p.Sex = SexMale
	}
	p.IDNumber = g.idNumber(c.Code, birth, male)
	p.Address = g.address(c)
	p.CardIssuedOn, p.CardExpiresOn = g.card(birth)
	p.Fingerprints = !p.CardIssuedOn.Before(g.fingerprintsFrom) && g.r.IntN(100) < 95
	return p
}

// birthDate draws a birth date from 1940 to 2024, at least 60 days before
// today.
func (g *personGen) birthDate() time.Time {
	y := g.yearPk.pick(g.r)
	start := date(y, 1, 1, g.loc)
	d := start.AddDate(0, 0, g.r.IntN(daysBetween(start, start.AddDate(1, 0, 0))))
	if latest := g.today.AddDate(0, 0, -60); d.After(latest) {
		d = latest.AddDate(0, 0, -g.r.IntN(365))
	}
	return d
}

// idNumber makes a unique ID number: county code, birth date, a sequence
// number whose last digit is odd for men and even for women, check digit.
func (g *personGen) idNumber(countyCode string, birth time.Time, male bool) string {
	var k [17]byte
	copy(k[:6], countyCode)
	copy(k[6:14], birth.Format("20060102"))
	for {
		seq := g.r.IntN(500) * 2
		if male {
			seq++
		}
		if seq == 0 {
			continue
		}
		k[14], k[15], k[16] = byte('0'+seq/100), byte('0'+seq/10%10), byte('0'+seq%10)
		if _, dup := g.used[k]; !dup {
			g.used[k] = struct{}{}
			first17 := string(k[:])
			return first17 + string(domain.IDCheckDigit(first17))
		}
	}
}

// address makes a household address in one of the county's townships: a
// street address in a 街道, a village group (村民组) or a town street elsewhere.
func (g *personGen) address(c *county) string {
	t := c.townships[g.r.IntN(len(c.townships))]
	prefix := "贵州省" + c.prefecture + c.Name + t.Name
	switch {
	case strings.HasSuffix(t.Name, "街道"):
		road := urbanRoads[g.r.IntN(len(urbanRoads))]
		if g.r.IntN(2) == 0 {
			return fmt.Sprintf("%s%s%d号", prefix, road, 1+g.r.IntN(300))
		}
		return fmt.Sprintf("%s%s%d号%d栋%d单元%d%02d", prefix, road, 1+g.r.IntN(300),
			1+g.r.IntN(20), 1+g.r.IntN(4), 1+g.r.IntN(18), 1+g.r.IntN(4))
	case g.r.IntN(10) < 3:
		return fmt.Sprintf("%s%s%d号", prefix, townRoads[g.r.IntN(len(townRoads))], 1+g.r.IntN(120))
	default:
		return fmt.Sprintf("%s%s村%d组", prefix, villages[g.r.IntN(len(villages))], 1+g.r.IntN(12))
	}
}

// card simulates the person's card history up to today and returns the
// current card: a first card at 16 (or, for a child, some time after birth),
// the exchange of first-generation cards in 2004–2012, renewals shortly
// before each expiry (a few people let their card lapse) and occasional
// replacements of lost or damaged cards. Every expiry follows the validity
// rule by age on the issue date.
func (g *personGen) card(birth time.Time) (time.Time, *time.Time) {
	r := g.r
	var cur time.Time
	if at16 := birth.AddDate(16, 0, 0); at16.Before(g.today) {
		cur = at16.AddDate(0, 0, r.IntN(min(daysBetween(at16, g.today), 3*365)))
	} else {
		cur = birth.AddDate(0, 0, 30+r.IntN(daysBetween(birth, g.today)-30))
	}
	if cur.Year() < firstGenYear {
		cur = date(firstGenYear, 1, 1, g.loc).AddDate(0, 0, r.IntN(5*365))
	}
	exp := cardExpiry(birth, cur, g.loc)
	for {
		var next time.Time
		has := false
		if exp != nil {
			next, has = exp.AddDate(0, 0, -r.IntN(90)), true
		}
		if cur.Before(g.secondGenFrom) {
			swap := g.secondGenFrom.AddDate(0, 0, r.IntN(daysBetween(g.secondGenFrom, g.secondGenUntil)))
			if !has || swap.Before(next) {
				next, has = swap, true
			}
		}
		if !has || !next.Before(g.today) {
			break
		}
		if !cur.Before(g.secondGenFrom) && r.IntN(100) < 4 {
			break // never renewed: the card lapsed
		}
		cur = next
		exp = cardExpiry(birth, cur, g.loc)
	}
	if age := daysBetween(cur, g.today); age > 365 && r.IntN(100) < 12 {
		cur = cur.AddDate(0, 0, 180+r.IntN(age-180))
		exp = cardExpiry(birth, cur, g.loc)
	}
	return cur, exp
}

// daysBetween returns the whole days from a to b in China Standard Time.
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}
