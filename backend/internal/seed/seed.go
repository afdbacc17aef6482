// Package seed generates the demo and synthetic data of the ID card service:
// Guizhou's divisions (GB/T 2260), its offices (police stations, county
// bureaus and the provincial production centre), the demo staff accounts and
// registry persons (the population records the service checks against).
//
// Generation is pure: the package reads only the CSV tables embedded from
// data/ (made by scripts/gen-divisions.mjs) and never touches a database;
// the store layer inserts what it returns. Every function is deterministic:
// the same arguments give the same result.
package seed

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// dataFS holds the generated CSV tables; it is read-only.
//
//go:embed data/*.csv
var dataFS embed.FS

// Division levels in Division.Level.
const (
	// LevelProvince is the province (省).
	LevelProvince = 1
	// LevelPrefecture is a prefecture-level city or autonomous prefecture (地级).
	LevelPrefecture = 2
	// LevelCounty is a county-level division: district, county or county-level city (县级).
	LevelCounty = 3
)

// Division is one administrative division of Guizhou with its six-digit
// GB/T 2260 code (520000, 520100, 520102); ParentCode is empty for the
// province.
type Division struct {
	Code       string
	Name       string
	Level      int
	ParentCode string
}

// Township is a township-level division (街道, 镇, 乡 or 民族乡) with its
// nine-digit code and the six-digit code of its county.
type Township struct {
	Code       string
	Name       string
	CountyCode string
}

// readCSV reads one embedded table, checks its header and returns the data
// rows.
func readCSV(name string, header ...string) ([][]string, error) {
	f, err := dataFS.Open("data/" + name)
	if err != nil {
		return nil, fmt.Errorf("seed: open %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	got, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("seed: read %s header: %w", name, err)
	}
	if strings.Join(got, ",") != strings.Join(header, ",") {
		return nil, fmt.Errorf("seed: %s: header %q, want %q", name, got, header)
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("seed: read %s: %w", name, err)
		}
		rows = append(rows, rec)
	}
}

// Divisions returns the province, its prefectures and its counties, sorted by
// code.
func Divisions() ([]Division, error) {
	rows, err := readCSV("divisions.csv", "code", "name", "level", "parent_code")
	if err != nil {
		return nil, err
	}
	out := make([]Division, 0, len(rows))
	for _, r := range rows {
		level, err := strconv.Atoi(r[2])
		if err != nil || level < LevelProvince || level > LevelCounty {
			return nil, fmt.Errorf("seed: divisions.csv: bad level %q for %s", r[2], r[0])
		}
		out = append(out, Division{Code: r[0], Name: r[1], Level: level, ParentCode: r[3]})
	}
	return out, nil
}

// Townships returns every township-level division of Guizhou, sorted by code.
func Townships() ([]Township, error) {
	rows, err := readCSV("townships.csv", "code", "name", "county_code")
	if err != nil {
		return nil, err
	}
	out := make([]Township, 0, len(rows))
	for _, r := range rows {
		out = append(out, Township{Code: r[0], Name: r[1], CountyCode: r[2]})
	}
	return out, nil
}

// county is a county-level division with what generation needs about it.
type county struct {
	Division
	prefecture string     // name of the prefecture, e.g. 贵阳市
	townships  []Township // sorted by code
}

// geography is the parsed division tables.
type geography struct {
	counties []county // sorted by code
	byCode   map[string]int
}

// loadGeography parses the embedded division and township tables.
func loadGeography() (*geography, error) {
	divs, err := Divisions()
	if err != nil {
		return nil, err
	}
	towns, err := Townships()
	if err != nil {
		return nil, err
	}
	prefName := map[string]string{}
	g := &geography{byCode: map[string]int{}}
	for _, d := range divs {
		switch d.Level {
		case LevelPrefecture:
			prefName[d.Code] = d.Name
		case LevelCounty:
			p, ok := prefName[d.ParentCode]
			if !ok {
				return nil, fmt.Errorf("seed: county %s has unknown prefecture %s", d.Code, d.ParentCode)
			}
			g.byCode[d.Code] = len(g.counties)
			g.counties = append(g.counties, county{Division: d, prefecture: p})
		}
	}
	for _, t := range towns {
		i, ok := g.byCode[t.CountyCode]
		if !ok {
			return nil, fmt.Errorf("seed: township %s has unknown county %s", t.Code, t.CountyCode)
		}
		g.counties[i].townships = append(g.counties[i].townships, t)
	}
	for _, c := range g.counties {
		if len(c.townships) == 0 {
			return nil, fmt.Errorf("seed: county %s %s has no township", c.Code, c.Name)
		}
	}
	return g, nil
}

// mustGeography is loadGeography for generators without an error result; the
// embedded tables are checked by the package tests, so it panics only on a
// broken build.
func mustGeography() *geography {
	g, err := loadGeography()
	if err != nil {
		panic(err)
	}
	return g
}

// chinaTime returns China Standard Time (UTC+8, no daylight saving since
// 1991), the zone of every date this package makes.
func chinaTime() *time.Location {
	return time.FixedZone("CST", 8*60*60)
}

// civilDay returns t's calendar date in China Standard Time as midnight CST.
func civilDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// date returns midnight CST of the given calendar day.
func date(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
