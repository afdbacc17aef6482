package seed

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Office kinds in Office.Kind.
const (
	// KindStation is a police station (派出所) with a household window.
	KindStation = "station"
	// KindCountyBureau is a county-level public security bureau (县级公安机关).
	KindCountyBureau = "county_bureau"
	// KindProductionCentre is the provincial ID card production centre.
	KindProductionCentre = "production_centre"
	// KindPrefectureBureau is a prefecture's public security bureau
	// (市(州)公安局), where the prefecture's supervisors work.
	KindPrefectureBureau = "prefecture_bureau"
	// KindProvincialDepartment is the provincial public security
	// department (省公安厅), where the province's supervisor and the admin
	// work.
	KindProvincialDepartment = "provincial_department"
)

// ProductionCentreCode is the office code of the provincial production centre.
const ProductionCentreCode = "GZ-ZZZX"

// ProvincialDepartmentCode is the office code of the provincial public
// security department (省公安厅).
const ProvincialDepartmentCode = "GZ-GAT"

// Office is a police station, a county bureau or the production centre.
// DivisionCode is the six-digit county code, or domain.ProvinceCode for the
// production centre. Remote marks offices in remote or poorly connected
// counties, where a supervisor may extend the legal time limit.
type Office struct {
	Code         string
	Kind         string
	Name         string
	DivisionCode string
	Address      string
	Phone        string
	Hours        string
	Remote       bool
}

// officeHours are the opening hours of county bureaus and the centre.
const officeHours = "周一至周五 09:00-12:00，14:00-17:30"

// IsRemoteCounty reports whether the county with the given six-digit code is
// remote or poorly connected.
//
// Criterion: mountainous counties where many villages are hours by road from
// the county seat and a station, with sparse postal and network coverage —
// chiefly the nine counties that were Guizhou's last to leave poverty in 2020
// (紫云, 纳雍, 威宁, 赫章, 沿河, 榕江, 从江, 晴隆, 望谟) and the other deeply
// poor counties of the Wumeng, Miaoling and Wuling mountain belts in Bijie,
// Qianxinan, Qiandongnan, Qiannan, Tongren and northern Zunyi.
func IsRemoteCounty(code string) bool {
	switch code {
	case "520425", // 紫云苗族布依族自治县
		"520525", // 纳雍县
		"520526", // 威宁彝族回族苗族自治县
		"520527", // 赫章县
		"520627", // 沿河土家族自治县
		"522632", // 榕江县
		"522633", // 从江县
		"522324", // 晴隆县
		"522326", // 望谟县
		"522327", // 册亨县
		"522629", // 剑河县
		"522630", // 台江县
		"522634", // 雷山县
		"522631", // 黎平县
		"522732", // 三都水族自治县
		"522722", // 荔波县
		"522727", // 平塘县
		"522728", // 罗甸县
		"520324", // 正安县
		"520325", // 道真仡佬族苗族自治县
		"520326", // 务川仡佬族苗族自治县
		"520628": // 松桃苗族自治县
		return true
	}
	return false
}

// BureauCode returns the office code of the public security bureau of a
// county or prefecture by its six-digit code, e.g. 520102-GA for 南明区,
// 520100-GA for 贵阳市.
func BureauCode(divisionCode string) string {
	return divisionCode + "-GA"
}

// bureauName names the public security organ of a county: a district (区,
// but not 六枝特区) has a 公安分局, a county or county-level city a 公安局.
func bureauName(countyName string) string {
	if strings.HasSuffix(countyName, "区") && !strings.HasSuffix(countyName, "特区") {
		return countyName + "公安分局"
	}
	return countyName + "公安局"
}

// bureauRoads are the streets on which synthetic bureau addresses lie.
var bureauRoads = [...]string{
	"人民大道", "公安路", "政府路", "迎宾大道", "金阳大道", "中华路", "新城大道", "环城北路",
}

// hash32 is FNV-1a of s, used to derive stable synthetic details from codes.
func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// Offices returns every office: for each county in code order, its bureau and
// then its stations in code order (so the first station of a county is the
// one with the smallest code), followed by the production centre, the
// prefectures' bureaus in code order and the provincial department.
func Offices() ([]Office, error) {
	g, err := loadGeography()
	if err != nil {
		return nil, err
	}
	divs, err := Divisions()
	if err != nil {
		return nil, err
	}
	rows, err := readCSV("stations.csv", "code", "name", "county_code", "address", "phone", "hours")
	if err != nil {
		return nil, err
	}
	stations := map[string][]Office{}
	for _, r := range rows {
		if _, ok := g.byCode[r[2]]; !ok {
			return nil, fmt.Errorf("seed: station %s has unknown county %s", r[0], r[2])
		}
		stations[r[2]] = append(stations[r[2]], Office{
			Code: r[0], Kind: KindStation, Name: r[1], DivisionCode: r[2],
			Address: r[3], Phone: r[4], Hours: r[5], Remote: IsRemoteCounty(r[2]),
		})
	}
	out := make([]Office, 0, len(rows)+len(g.counties)+1)
	for _, c := range g.counties {
		h := hash32(c.Code)
		out = append(out, Office{
			Code:         BureauCode(c.Code),
			Kind:         KindCountyBureau,
			Name:         bureauName(c.Name),
			DivisionCode: c.Code,
			Address:      fmt.Sprintf("%s%s%s%d号", c.prefecture, c.Name, bureauRoads[h%uint32(len(bureauRoads))], 1+h/7%199),
			// 0851-86 + the last four digits of the county code: unique, and
			// distinct from every station number (those never start 86).
			Phone:  "0851-86" + c.Code[2:] + "10",
			Hours:  officeHours,
			Remote: IsRemoteCounty(c.Code),
		})
		list := stations[c.Code]
		if len(list) == 0 {
			return nil, fmt.Errorf("seed: county %s %s has no station", c.Code, c.Name)
		}
		slices.SortFunc(list, func(a, b Office) int { return strings.Compare(a.Code, b.Code) })
		out = append(out, list...)
	}
	out = append(out, Office{
		Code:         ProductionCentreCode,
		Kind:         KindProductionCentre,
		Name:         "贵州省公安厅居民身份证制作中心",
		DivisionCode: domain.ProvinceCode,
		Address:      "贵阳市观山湖区林城西路88号",
		Phone:        "0851-86900110",
		Hours:        officeHours,
	})
	for _, d := range divs {
		if d.Level == LevelPrefecture {
			h := hash32(d.Code)
			out = append(out, Office{Code: BureauCode(d.Code), Kind: KindPrefectureBureau, Name: d.Name + "公安局",
				DivisionCode: d.Code, Address: fmt.Sprintf("%s%s%d号", d.Name, bureauRoads[h%uint32(len(bureauRoads))], 1+h/7%199),
				Phone: "0851-86" + d.Code[2:] + "10", Hours: officeHours})
		}
	}
	out = append(out, Office{
		Code:         ProvincialDepartmentCode,
		Kind:         KindProvincialDepartment,
		Name:         "贵州省公安厅",
		DivisionCode: domain.ProvinceCode,
		Address:      "贵阳市南明区新华路126号",
		Phone:        "0851-86900000",
		Hours:        officeHours,
	})
	return out, nil
}
