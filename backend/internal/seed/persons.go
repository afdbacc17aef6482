package seed

import (
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Sexes in Person.Sex.
const (
	// SexMale is a man; the 17th digit of his ID number is odd.
	SexMale = "male"
	// SexFemale is a woman; the 17th digit of her ID number is even.
	SexFemale = "female"
)

// Person is a record of the population registry with the person's current
// card. Dates are calendar days, as midnight China Standard Time (UTC+8).
// CardExpiresOn is nil for a long-term card. Fingerprints tells whether the
// fingerprints were taken for the current card (done since 2013).
type Person struct {
	Name              string
	Sex               string
	Ethnicity         string
	IDNumber          string
	Address           string
	HouseholdDivision string
	BirthDate         time.Time
	CardIssuedOn      time.Time
	CardExpiresOn     *time.Time
	Fingerprints      bool
}

// demoPerson is one row of the demo registry table of openapi.yaml.
type demoPerson struct {
	name, sex, ethnicity, id, address, county string
	born                                      time.Time
}

// demoPersonTable returns the six registry persons that openapi.yaml requires,
// without their cards.
func demoPersonTable(loc *time.Location) []demoPerson {
	return []demoPerson{
		{"张三", SexMale, "汉族", "52010219900101123X", "贵州省贵阳市南明区中华南路街道中华南路88号3栋2单元501", "520102", date(1990, 1, 1, loc)},
		{"李梅", SexFemale, "汉族", "520103198506150026", "贵州省贵阳市云岩区黔灵东路街道北京路126号4栋1单元602", "520103", date(1985, 6, 15, loc)},
		{"王五", SexMale, "汉族", "520302195803200019", "贵州省遵义市红花岗区老城街道中华路158号", "520302", date(1958, 3, 20, loc)},
		{"杨小明", SexMale, "苗族", "522601201207050034", "贵州省黔东南苗族侗族自治州凯里市舟溪镇青曼村3组", "522601", date(2012, 7, 5, loc)},
		{"吴丽", SexFemale, "布依族", "520402200302110049", "贵州省安顺市西秀区南街街道塔山东路28号", "520402", date(2003, 2, 11, loc)},
		{"杨建国", SexMale, "苗族", "522601198503120012", "贵州省黔东南苗族侗族自治州凯里市舟溪镇青曼村3组", "522601", date(1985, 3, 12, loc)},
	}
}

// Guardianship is the registry's record that the person of GuardianID is
// the registered guardian of the child of WardID (ID numbers); Relation is
// domain.Relation.
type Guardianship struct {
	GuardianID, WardID, Relation string
}

// DemoGuardianships returns the guardianships of the demo registry: 杨建国
// is 杨小明's father.
func DemoGuardianships() []Guardianship {
	return []Guardianship{{GuardianID: "522601198503120012", WardID: "522601201207050034", Relation: "father"}}
}

// DemoPersons returns the six registry persons of openapi.yaml ("Demo data"),
// with cards relative to today:
//   - 张三, 李梅, 吴丽 and 杨建国: issued one year before today, fingerprints on file,
//     so damage renewal and loss replacement are open online;
//   - 王五: expires 45 days after today (expiry renewal is open), issued 20
//     years before that, without fingerprints;
//   - 杨小明: issued 18 months before today, fingerprints on file, valid five
//     years as he was under 16.
//
// Expiry dates follow the validity rule by age on the issue date, except
// 王五's: born in 1958, he was 46 or older 20 years before any expiry date
// from now on, so the rule would give him a long-term card, yet openapi.yaml needs
// his card to expire within three months. His card keeps the 20-year span
// the contract implies.
func DemoPersons(today time.Time) []Person {
	loc := chinaTime()
	day := civilDay(today, loc)
	out := make([]Person, 0, 6)
	for _, d := range demoPersonTable(loc) {
		p := Person{
			Name: d.name, Sex: d.sex, Ethnicity: d.ethnicity, IDNumber: d.id,
			Address: d.address, HouseholdDivision: d.county, BirthDate: d.born,
		}
		switch d.name {
		case "王五":
			exp := day.AddDate(0, 0, 45)
			p.CardExpiresOn = &exp
			p.CardIssuedOn = exp.AddDate(-20, 0, 0)
			p.Fingerprints = false
		case "杨小明":
			p.CardIssuedOn = day.AddDate(0, -18, 0)
			p.CardExpiresOn = cardExpiry(p.BirthDate, p.CardIssuedOn, loc)
			p.Fingerprints = true
		default:
			p.CardIssuedOn = day.AddDate(-1, 0, 0)
			p.CardExpiresOn = cardExpiry(p.BirthDate, p.CardIssuedOn, loc)
			p.Fingerprints = true
		}
		out = append(out, p)
	}
	return out
}

// cardExpiry is domain.CardExpiry in loc: nil for a long-term card.
func cardExpiry(birth, issued time.Time, loc *time.Location) *time.Time {
	e := domain.CardExpiry(birth, issued)
	if e == nil {
		return nil
	}
	t := e.In(loc)
	return &t
}
