package seed

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/domain"
)

// testToday is a fixed "today" for the tests; other days are tried where the
// date matters.
var testToday = time.Date(2026, 11, 26, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

func TestDivisions(t *testing.T) {
	divs, err := Divisions()
	if err != nil {
		t.Fatal(err)
	}
	levels := map[int]int{}
	byCode := map[string]Division{}
	for i, d := range divs {
		if _, dup := byCode[d.Code]; dup {
			t.Errorf("duplicate division code %s", d.Code)
		}
		byCode[d.Code] = d
		if i > 0 && divs[i-1].Level == d.Level && divs[i-1].Code >= d.Code {
			t.Errorf("divisions not sorted at %s", d.Code)
		}
		if len(d.Code) != 6 || !strings.HasPrefix(d.Code, domain.ProvinceCode) || d.Name == "" {
			t.Errorf("bad division %+v", d)
		}
		levels[d.Level]++
	}
	if levels[LevelProvince] != 1 || levels[LevelPrefecture] != 9 || levels[LevelCounty] != 88 {
		t.Fatalf("levels = %v, want 1 province, 9 prefectures, 88 counties", levels)
	}
	for _, d := range divs {
		if d.Level == LevelProvince {
			if d.Code != "520000" || d.Name != "贵州省" || d.ParentCode != "" {
				t.Errorf("province = %+v", d)
			}
			continue
		}
		p, ok := byCode[d.ParentCode]
		if !ok || p.Level != d.Level-1 || !strings.HasPrefix(d.Code, strings.TrimRight(p.Code, "0")) {
			t.Errorf("division %s has bad parent %q", d.Code, d.ParentCode)
		}
	}
	for code, name := range map[string]string{"520100": "贵阳市", "520102": "南明区", "522633": "从江县", "522732": "三都水族自治县"} {
		if byCode[code].Name != name {
			t.Errorf("division %s = %q, want %q", code, byCode[code].Name, name)
		}
	}
}

func TestTownships(t *testing.T) {
	towns, err := Townships()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tw := range towns {
		if len(tw.Code) != 9 || !strings.HasPrefix(tw.Code, tw.CountyCode) || seen[tw.Code] {
			t.Errorf("bad or duplicate township %+v", tw)
		}
		seen[tw.Code] = true
	}
	if len(towns) < 1000 {
		t.Errorf("only %d townships", len(towns))
	}
}

// countyCodes returns the 88 county codes.
func countyCodes(t *testing.T) []string {
	t.Helper()
	divs, err := Divisions()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range divs {
		if d.Level == LevelCounty {
			out = append(out, d.Code)
		}
	}
	return out
}

func TestOffices(t *testing.T) {
	offices, err := Offices()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Offices()
	if !reflect.DeepEqual(offices, again) {
		t.Error("Offices is not deterministic")
	}
	codes, names, phones := map[string]bool{}, map[string]bool{}, map[string]bool{}
	stations, bureaus, centres, remote := map[string]int{}, map[string]int{}, 0, map[string]bool{}
	prefBureaus, departments := 0, 0
	for _, o := range offices {
		if codes[o.Code] || names[o.Name] || phones[o.Phone] {
			t.Errorf("duplicate code, name or phone: %+v", o)
		}
		codes[o.Code], names[o.Name], phones[o.Phone] = true, true, true
		if o.Address == "" || o.Hours == "" || !strings.HasPrefix(o.Phone, "0851-8") || len(o.Phone) != 13 {
			t.Errorf("incomplete office %+v", o)
		}
		switch o.Kind {
		case KindStation:
			stations[o.DivisionCode]++
			if len(o.Code) != 9 || !strings.HasPrefix(o.Code, o.DivisionCode) || !strings.HasSuffix(o.Name, "派出所") {
				t.Errorf("bad station %+v", o)
			}
		case KindCountyBureau:
			bureaus[o.DivisionCode]++
			if o.Code != BureauCode(o.DivisionCode) || !strings.HasSuffix(o.Name, "公安局") && !strings.HasSuffix(o.Name, "公安分局") {
				t.Errorf("bad bureau %+v", o)
			}
		case KindProductionCentre:
			centres++
			if o.Code != ProductionCentreCode || o.DivisionCode != domain.ProvinceCode || o.Remote {
				t.Errorf("bad centre %+v", o)
			}
			continue
		case KindPrefectureBureau:
			prefBureaus++
			if o.Code != BureauCode(o.DivisionCode) || !strings.HasSuffix(o.DivisionCode, "00") || !strings.HasSuffix(o.Name, "公安局") || o.Remote {
				t.Errorf("bad prefecture bureau %+v", o)
			}
			continue
		case KindProvincialDepartment:
			departments++
			if o.Code != ProvincialDepartmentCode || o.DivisionCode != domain.ProvinceCode || o.Name != "贵州省公安厅" || o.Remote {
				t.Errorf("bad provincial department %+v", o)
			}
			continue
		default:
			t.Errorf("unknown kind %+v", o)
		}
		if o.Remote != IsRemoteCounty(o.DivisionCode) {
			t.Errorf("office %s: Remote = %v", o.Code, o.Remote)
		}
		if o.Remote {
			remote[o.DivisionCode] = true
		}
	}
	if centres != 1 || prefBureaus != 9 || departments != 1 {
		t.Errorf("%d production centres, %d prefecture bureaus, %d provincial departments, want 1, 9, 1", centres, prefBureaus, departments)
	}
	for _, c := range countyCodes(t) {
		if stations[c] < 1 || bureaus[c] != 1 {
			t.Errorf("county %s: %d stations, %d bureaus", c, stations[c], bureaus[c])
		}
	}
	if len(stations) != 88 || len(bureaus) != 88 {
		t.Errorf("offices cover %d/%d counties, want 88", len(stations), len(bureaus))
	}
	for _, c := range []string{"522633", "522632", "522634", "522629", "522630", "522732", "522326", "522327", "520526", "520527", "520627", "520425", "522722", "522324"} {
		if !remote[c] {
			t.Errorf("county %s should be remote", c)
		}
	}
	if len(remote) != 22 || remote["520102"] {
		t.Errorf("remote counties = %d (%v)", len(remote), remote)
	}
	named := map[string]string{"520102019": "南明区中华南路派出所", "520102202": "南明区小碧派出所",
		"520527211": "赫章县河镇派出所", "520102-GA": "南明区公安分局", "522633-GA": "从江县公安局",
		"520203-GA": "六枝特区公安局", "522601-GA": "凯里市公安局", "520100-GA": "贵阳市公安局",
		"522600-GA": "黔东南苗族侗族自治州公安局", "GZ-GAT": "贵州省公安厅"}
	for _, o := range offices {
		if want, ok := named[o.Code]; ok && o.Name != want {
			t.Errorf("office %s = %q, want %q", o.Code, o.Name, want)
		}
	}
}

func TestDemoStaff(t *testing.T) {
	staff, err := DemoStaff()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := DemoStaff()
	if !reflect.DeepEqual(staff, again) {
		t.Error("DemoStaff is not deterministic")
	}
	offices, _ := Offices()
	byCode := map[string]Office{}
	firstStation := map[string]string{}
	for _, o := range offices {
		byCode[o.Code] = o
		if f, ok := firstStation[o.DivisionCode]; o.Kind == KindStation && (!ok || o.Code < f) {
			firstStation[o.DivisionCode] = o.Code
		}
	}
	roles := map[string]bool{}
	for _, r := range domain.AllRoles() {
		roles[string(r)] = true
	}
	users, names := map[string]StaffAccount{}, map[string]bool{}
	for _, s := range staff {
		if _, dup := users[s.Username]; dup || names[s.Name] || s.Name == "" {
			t.Errorf("duplicate or unnamed account %+v", s)
		}
		users[s.Username], names[s.Name] = s, true
		if !roles[s.Role] {
			t.Errorf("%s: unknown role %q", s.Username, s.Role)
		}
		if _, ok := byCode[s.OfficeCode]; !ok {
			t.Errorf("%s: unknown office %q (every account has one)", s.Username, s.OfficeCode)
		}
	}
	want := map[string]StaffAccount{
		"admin":           {Role: "admin", OfficeCode: ProvincialDepartmentCode, ScopeDivision: "52"},
		"security-admin":  {Role: "security_admin", OfficeCode: ProvincialDepartmentCode, ScopeDivision: "52"},
		"audit-admin":     {Role: "audit_admin", OfficeCode: ProvincialDepartmentCode, ScopeDivision: "52"},
		"supervisor":      {Role: "supervisor", OfficeCode: ProvincialDepartmentCode, ScopeDivision: "52"},
		"supervisor-5201": {Role: "supervisor", OfficeCode: "520100-GA", ScopeDivision: "5201"},
		"supervisor-5227": {Role: "supervisor", OfficeCode: "522700-GA", ScopeDivision: "5227"},
		"production":      {Role: "production_operator", OfficeCode: ProductionCentreCode, ScopeDivision: "52"},
	}
	for _, c := range countyCodes(t) {
		want["station-"+c] = StaffAccount{Role: "station_officer", OfficeCode: firstStation[c], ScopeDivision: c}
		want["county-"+c] = StaffAccount{Role: "county_reviewer", OfficeCode: c + "-GA", ScopeDivision: c}
	}
	for u, w := range want {
		got, ok := users[u]
		w.Username, w.Name = u, got.Name
		if !ok || got != w {
			t.Errorf("account %s = %+v, want %+v", u, got, w)
		}
	}
	if users["station-520102"].OfficeCode != "520102016" {
		t.Errorf("station-520102 works at %s", users["station-520102"].OfficeCode)
	}
	if len(staff) != 4+9+1+2*88 { // three administrators and the province's supervisor
		t.Errorf("%d accounts, want %d", len(staff), 4+9+1+2*88)
	}
}

// checkPerson verifies what must hold for every registry person: a valid ID
// number agreeing with birth date, sex and household county, and a card
// issued in the past after birth.
func checkPerson(t *testing.T, p Person, today time.Time) {
	t.Helper()
	id, err := domain.ParseIDNumber(p.IDNumber)
	if err != nil || string(id) != p.IDNumber {
		t.Errorf("%s %s: invalid ID number: %v", p.Name, p.IDNumber, err)
		return
	}
	if !id.BirthDate().Equal(p.BirthDate) || id.Male() != (p.Sex == SexMale) || id.DivisionCode() != p.HouseholdDivision {
		t.Errorf("%s %s: ID disagrees with birth %s, sex %s or county %s", p.Name, p.IDNumber,
			p.BirthDate.Format(time.DateOnly), p.Sex, p.HouseholdDivision)
	}
	if p.Sex != SexMale && p.Sex != SexFemale || p.Name == "" || p.Ethnicity == "" || !strings.HasPrefix(p.Address, "贵州省") {
		t.Errorf("%s: incomplete person %+v", p.IDNumber, p)
	}
	if !p.CardIssuedOn.After(p.BirthDate) || !p.CardIssuedOn.Before(today) {
		t.Errorf("%s: card issued %s, born %s", p.IDNumber, p.CardIssuedOn.Format(time.DateOnly), p.BirthDate.Format(time.DateOnly))
	}
	if p.Fingerprints && p.CardIssuedOn.Year() < 2013 {
		t.Errorf("%s: fingerprints on a card of %d", p.IDNumber, p.CardIssuedOn.Year())
	}
}

// checkValidity verifies the card's expiry against the rule by age on issue.
func checkValidity(t *testing.T, p Person) {
	t.Helper()
	want := domain.CardExpiry(p.BirthDate, p.CardIssuedOn)
	got := p.CardExpiresOn
	if (want == nil) != (got == nil) || want != nil && !want.Equal(*got) {
		t.Errorf("%s %s: card issued %s expires %v, want %v", p.Name, p.IDNumber,
			p.CardIssuedOn.Format(time.DateOnly), got, want)
	}
}

func TestDemoPersons(t *testing.T) {
	type row struct{ name, id, born, county, sex string }
	want := []row{
		{"张三", "52010219900101123X", "1990-01-01", "520102", SexMale},
		{"李梅", "520103198506150026", "1985-06-15", "520103", SexFemale},
		{"王五", "520302195803200019", "1958-03-20", "520302", SexMale},
		{"杨小明", "522601201207050034", "2012-07-05", "522601", SexMale},
		{"吴丽", "520402200302110049", "2003-02-11", "520402", SexFemale},
		{"杨建国", "522601198503120012", "1985-03-12", "522601", SexMale},
	}
	for _, today := range []time.Time{testToday, time.Date(2028, 2, 29, 23, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} {
		persons := DemoPersons(today)
		if !reflect.DeepEqual(persons, DemoPersons(today)) {
			t.Error("DemoPersons is not deterministic")
		}
		if len(persons) != len(want) {
			t.Fatalf("%d demo persons, want %d", len(persons), len(want))
		}
		day := civilDay(today, chinaTime())
		for i, p := range persons {
			w := want[i]
			if p.Name != w.name || p.IDNumber != w.id || p.BirthDate.Format(time.DateOnly) != w.born ||
				p.HouseholdDivision != w.county || p.Sex != w.sex {
				t.Errorf("demo person %d = %+v, want %+v", i, p, w)
			}
			checkPerson(t, p, day)
			switch p.Name {
			case "王五":
				// Expiry renewal: the card expires within the next three months.
				if p.CardExpiresOn == nil || !p.CardExpiresOn.After(day) || p.CardExpiresOn.After(day.AddDate(0, 3, 0)) {
					t.Errorf("王五's card expires %v", p.CardExpiresOn)
				}
				if !p.CardIssuedOn.AddDate(20, 0, 0).Equal(*p.CardExpiresOn) {
					t.Errorf("王五's card: issued %s, expires %s", p.CardIssuedOn, p.CardExpiresOn)
				}
			case "杨小明":
				if !p.CardIssuedOn.Equal(day.AddDate(0, -18, 0)) || !p.Fingerprints {
					t.Errorf("杨小明's card = %s, fingerprints %v", p.CardIssuedOn, p.Fingerprints)
				}
				checkValidity(t, p)
				if y := p.CardExpiresOn.Year() - p.CardIssuedOn.Year(); y != 5 {
					t.Errorf("杨小明's card is valid %d years, want 5", y)
				}
			default:
				if !p.CardIssuedOn.Equal(day.AddDate(-1, 0, 0)) || !p.Fingerprints {
					t.Errorf("%s's card = %s, fingerprints %v", p.Name, p.CardIssuedOn, p.Fingerprints)
				}
				checkValidity(t, p)
			}
		}
	}
}

func TestDemoGuardianships(t *testing.T) {
	byID := map[string]Person{}
	for _, p := range DemoPersons(testToday) {
		byID[p.IDNumber] = p
	}
	gs := DemoGuardianships()
	if len(gs) != 1 || byID[gs[0].GuardianID].Name != "杨建国" || byID[gs[0].WardID].Name != "杨小明" || gs[0].Relation != "father" {
		t.Fatalf("guardianships %+v, want 杨建国 father of 杨小明", gs)
	}
}

func TestSyntheticPersonsDeterministic(t *testing.T) {
	a := SyntheticPersons(500, testToday)
	b := SyntheticPersons(500, testToday.Add(3*time.Hour)) // same civil day
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs differ")
	}
	if c := SyntheticPersons(200, testToday); !reflect.DeepEqual(a[:200], c) {
		t.Error("a shorter run is not a prefix of a longer one")
	}
	if SyntheticPersons(0, testToday) != nil {
		t.Error("SyntheticPersons(0) is not empty")
	}
}

func TestSyntheticPersons(t *testing.T) {
	const n = 10000
	day := civilDay(testToday, chinaTime())
	persons := SyntheticPersons(n, testToday)
	if len(persons) != n {
		t.Fatalf("got %d persons", len(persons))
	}
	ids := map[string]bool{}
	for _, p := range DemoPersons(testToday) {
		ids[p.IDNumber] = true
	}
	counties, sexes, ethnic := map[string]int{}, map[string]int{}, map[string]int{}
	valid, fingerprints, recent := 0, 0, 0
	for _, p := range persons {
		if ids[p.IDNumber] {
			t.Fatalf("duplicate ID number %s", p.IDNumber)
		}
		ids[p.IDNumber] = true
		checkPerson(t, p, day)
		checkValidity(t, p)
		if y := p.BirthDate.Year(); y < 1940 || y > 2024 {
			t.Errorf("%s born in %d", p.IDNumber, y)
		}
		counties[p.HouseholdDivision]++
		sexes[p.Sex]++
		ethnic[p.Ethnicity]++
		if p.CardExpiresOn == nil || !p.CardExpiresOn.Before(day) {
			valid++
		}
		if p.CardIssuedOn.Year() >= 2013 {
			recent++
			if p.Fingerprints {
				fingerprints++
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	if len(counties) != 88 {
		t.Errorf("persons in %d counties, want 88", len(counties))
	}
	if valid < n*9/10 {
		t.Errorf("only %d of %d cards are valid", valid, n)
	}
	if fingerprints < recent*9/10 {
		t.Errorf("only %d of %d cards issued since 2013 have fingerprints", fingerprints, recent)
	}
	if m := sexes[SexMale]; m < n*45/100 || m > n*55/100 {
		t.Errorf("sexes = %v", sexes)
	}
	if h := ethnic["汉族"]; h < n/2 || h > n*3/4 || ethnic["苗族"] < n/20 || ethnic["布依族"] < n/30 {
		t.Errorf("ethnicities = %v", ethnic)
	}
}

func BenchmarkSyntheticPersons10k(b *testing.B) {
	for b.Loop() {
		SyntheticPersons(10000, testToday)
	}
}
