package seed

import (
	"math/rand/v2"
	"sort"
	"strings"
)

// weighted is a value with a relative frequency.
type weighted struct {
	v string
	w int
}

// picker draws values with probability proportional to their weights.
type picker[T any] struct {
	items []T
	cum   []int
}

// add appends a value with weight w > 0.
func (p *picker[T]) add(v T, w int) {
	total := 0
	if len(p.cum) > 0 {
		total = p.cum[len(p.cum)-1]
	}
	p.items = append(p.items, v)
	p.cum = append(p.cum, total+w)
}

// newPicker builds a picker from a weight table.
func newPicker(ws []weighted) picker[string] {
	var p picker[string]
	for _, x := range ws {
		p.add(x.v, x.w)
	}
	return p
}

// pick draws one value.
func (p picker[T]) pick(r *rand.Rand) T {
	n := r.IntN(p.cum[len(p.cum)-1])
	return p.items[sort.SearchInts(p.cum, n+1)]
}

// surnames are common surnames with rough frequencies (per 10,000) in
// Guizhou, where 杨, 吴, 罗, 龙, 石 and 韦 are more frequent than nationally.
var surnames = []weighted{
	{"王", 700}, {"李", 680}, {"张", 620}, {"杨", 600}, {"刘", 480}, {"陈", 470},
	{"吴", 330}, {"罗", 260}, {"黄", 220}, {"赵", 200}, {"周", 180}, {"龙", 130},
	{"韦", 120}, {"徐", 120}, {"田", 110}, {"何", 110}, {"胡", 110}, {"孙", 100},
	{"马", 100}, {"朱", 100}, {"石", 90}, {"郭", 90}, {"唐", 80}, {"潘", 80},
	{"高", 80}, {"林", 70}, {"郑", 70}, {"邓", 70}, {"熊", 60}, {"梁", 60},
	{"谢", 60}, {"宋", 60}, {"彭", 60}, {"许", 50}, {"韩", 50}, {"冯", 50},
	{"曹", 50}, {"曾", 50}, {"肖", 50}, {"袁", 50}, {"余", 50}, {"蒋", 40},
	{"董", 40}, {"蔡", 40}, {"杜", 40}, {"任", 40}, {"卢", 40}, {"谭", 40},
	{"陆", 40}, {"蒙", 40}, {"叶", 30}, {"程", 30}, {"苏", 30}, {"魏", 30},
	{"吕", 30}, {"丁", 30}, {"姚", 30}, {"姜", 30}, {"钟", 30}, {"汪", 30},
	{"范", 30}, {"金", 30}, {"廖", 30}, {"夏", 30}, {"付", 30}, {"雷", 30},
	{"陶", 30}, {"黎", 30}, {"毛", 30}, {"覃", 30}, {"莫", 30}, {"安", 30},
	{"沈", 20}, {"崔", 20}, {"贾", 20}, {"方", 20}, {"邹", 20}, {"侯", 20},
	{"史", 20}, {"贺", 20}, {"龚", 20}, {"万", 20}, {"严", 20}, {"欧", 20},
	{"岑", 20}, {"顾", 10}, {"邵", 10}, {"班", 10}, {"禄", 10}, {"秦", 20},
}

// Characters of given names, by sex; each string is a list of one-character
// names or name parts.
const (
	maleChars   = "伟刚勇毅俊峰强军平东文辉力明永健广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信杰涛昌成康星光天达安岩中茂进林有坚和博诚先敬震振会群豪邦承乐绍功松善厚庆磊民友河哲江超浩亮政谦奇宏鸣朋斌栋维启克伦翔旭鹏泽晨辰建家致树德泰盛雄钧冠腾航宇洋忠宗睿轩浩然子豪俊熙"
	femaleChars = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲雪荣爱霞香月媛艳瑞佳嘉琼珍莉桂琦晶妍茜秋珊锦青倩婷婉颖露瑶怡雁蓓仪丹蓉君琴蕊薇梦岚馨韵悦冰欣晓欢芸菲可舒丽妮雯萱雨曼紫涵诗琪思"
)

// givenName draws a one- or two-character given name for the sex; people
// born since the 1980s more often have two characters.
func givenName(r *rand.Rand, male bool, birthYear int) string {
	chars := []rune(femaleChars)
	if male {
		chars = []rune(maleChars)
	}
	two := 0.60
	if birthYear >= 1980 {
		two = 0.78
	}
	a := chars[r.IntN(len(chars))]
	if r.Float64() >= two {
		return string(a)
	}
	b := chars[r.IntN(len(chars))]
	for b == a && r.IntN(4) != 0 { // repeated characters (婷婷) stay rare
		b = chars[r.IntN(len(chars))]
	}
	return string([]rune{a, b})
}

// prefectureEthnicities gives rough ethnic proportions (per mille) in a
// prefecture of Guizhou, after the 2020 census: Han about 64% of the
// province, then Miao, Buyi, Tujia, Dong, Yi, Gelao, Shui, Hui, Bai and
// smaller groups concentrated where their autonomous areas lie.
func prefectureEthnicities(code string) []weighted {
	switch code {
	case "520100": // 贵阳市
		return []weighted{{"汉族", 850}, {"布依族", 60}, {"苗族", 50}, {"侗族", 6}, {"土家族", 6}, {"彝族", 5}, {"回族", 5}, {"仡佬族", 3}, {"水族", 3}, {"白族", 2}}
	case "520200": // 六盘水市
		return []weighted{{"汉族", 700}, {"彝族", 95}, {"苗族", 85}, {"布依族", 85}, {"仡佬族", 12}, {"回族", 10}, {"白族", 10}, {"水族", 3}}
	case "520300": // 遵义市
		return []weighted{{"汉族", 880}, {"仡佬族", 60}, {"苗族", 30}, {"土家族", 20}, {"布依族", 4}, {"侗族", 3}, {"彝族", 3}}
	case "520400": // 安顺市
		return []weighted{{"汉族", 610}, {"布依族", 220}, {"苗族", 140}, {"仡佬族", 10}, {"回族", 8}, {"彝族", 8}, {"侗族", 4}}
	case "520500": // 毕节市
		return []weighted{{"汉族", 730}, {"彝族", 110}, {"苗族", 100}, {"回族", 20}, {"白族", 18}, {"布依族", 10}, {"仡佬族", 8}, {"满族", 2}, {"蒙古族", 2}}
	case "520600": // 铜仁市
		return []weighted{{"汉族", 300}, {"土家族", 400}, {"苗族", 180}, {"侗族", 100}, {"仡佬族", 20}}
	case "522300": // 黔西南布依族苗族自治州
		return []weighted{{"汉族", 580}, {"布依族", 300}, {"苗族", 80}, {"回族", 10}, {"彝族", 10}, {"仡佬族", 10}, {"壮族", 8}, {"瑶族", 2}}
	case "522600": // 黔东南苗族侗族自治州
		return []weighted{{"汉族", 200}, {"苗族", 430}, {"侗族", 300}, {"布依族", 20}, {"水族", 20}, {"瑶族", 10}, {"土家族", 10}, {"壮族", 10}}
	case "522700": // 黔南布依族苗族自治州
		return []weighted{{"汉族", 420}, {"布依族", 330}, {"苗族", 120}, {"水族", 80}, {"瑶族", 15}, {"毛南族", 10}, {"侗族", 15}, {"壮族", 10}}
	}
	return []weighted{{"汉族", 640}, {"苗族", 120}, {"布依族", 80}, {"土家族", 40}, {"侗族", 40}, {"彝族", 25}, {"仡佬族", 15}, {"水族", 10}, {"回族", 5}, {"白族", 5}}
}

// ethnicPicker returns the ethnicity picker of a county: its prefecture's
// proportions, with the groups named in an autonomous county's name (三都水族
// 自治县) four times as frequent.
func ethnicPicker(prefectureCode, countyName string) picker[string] {
	ws := prefectureEthnicities(prefectureCode)
	if strings.HasSuffix(countyName, "自治县") {
		for i := range ws {
			if ws[i].v != "汉族" && strings.Contains(countyName, ws[i].v) {
				ws[i].w *= 4
			}
		}
	}
	return newPicker(ws)
}

// Pieces of synthetic addresses.
var (
	urbanRoads = [...]string{
		"中山路", "人民路", "解放路", "建设路", "文化路", "新华路", "北京路", "延安路", "民主路", "环城路",
		"滨河路", "青年路", "和平路", "市府路", "东风路", "富民路", "公园路", "朝阳路", "长征路", "红旗路",
	}
	townRoads = [...]string{"新街", "老街", "迎宾路", "兴隆路", "团结路", "振兴路", "繁荣路", "学府路", "滨江路", "民族路"}
	villages  = [...]string{
		"新寨", "大坝", "坪上", "河坝", "龙井", "石板", "平寨", "岩脚", "高坡", "青山", "双河", "新民",
		"红星", "团结", "光明", "和平", "长坡", "大田", "马场", "水井", "茶园", "桃源", "杉木", "竹林",
		"松林", "上寨", "下寨", "中寨", "塘边", "沙坝", "白岩", "金竹", "洞口", "坡脚", "关口", "鱼塘",
	}
)
