package codelist

import (
	"regexp"
	"strings"
	"testing"
)

// Sources cited below (full list in SOURCES.md):
//
//	[scb-pop]   SCB, "Folkmängd i riket, län och kommuner 31 december 2024 och
//	            befolkningsförändringar 2024", scb.se (table with län and kommun codes)
//	[scb-mp]    SCB, "Geografiska indelningar och digitala gränser" (Marknadsprofiler),
//	            scb.se: "Det finns 21 län och 290 kommuner."
//	[vgr]       github.com/Vastra-Gotalandsregionen/code-week, data/kommunkoder.csv
//	            (kommunkod, kommun, länskod, län, region; SCB/SKR data, 2020)
//	[polisen]   github.com/dnouri/polisen-se-events-history,
//	            reference/swedish_admin_areas.csv (kommunkod, kommun, länskod, län)
//	[val26]     github.com/ordnaswe/val26, data/kommuner.csv (kommunkod, kommun)
//	[rkl]       regionkalmar.se, "Organisation och uppdrag": "Region Kalmar län"
//	[heby]      mynewsdesk.com, Finansdepartementet 2005-10-06: Heby joins
//	            Uppsala län from 2007-01-01; sv.wikipedia.org "Heby kommun":
//	            kommunkod 0331 (earlier 1917)
//	[rf-bd]     regionfakta.com, Norrbottens län: "14 KOMMUNER"
//	[rfkl]      mynewsdesk.com, Regionförbundet i Kalmar län 2018-12-05:
//	            "länets 12 kommuner"

var (
	twoDigits  = regexp.MustCompile(`^[0-9]{2}$`)
	fourDigits = regexp.MustCompile(`^[0-9]{4}$`)
	slugShape  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

func TestLoadEmbedded(t *testing.T) {
	if _, err := load(regionsCSV, municipalitiesCSV); err != nil {
		t.Fatalf("embedded code lists do not validate: %v", err)
	}
	if _, err := loaded(); err != nil {
		t.Fatalf("loaded(): %v", err)
	}
}

// 21 län and 290 kommuner [scb-mp].
func TestCounts(t *testing.T) {
	if got := len(Regions()); got != 21 {
		t.Errorf("len(Regions()) = %d, want 21", got)
	}
	if got := len(Municipalities()); got != 290 {
		t.Errorf("len(Municipalities()) = %d, want 290", got)
	}
}

func TestCodesNumericAndUnique(t *testing.T) {
	var regions, municipalities []string
	for _, r := range Regions() {
		regions = append(regions, r.Code)
		if r.Name == "" || r.CountyName == "" {
			t.Errorf("region %q has an empty name: %+v", r.Code, r)
		}
	}
	names := map[string]string{}
	for _, m := range Municipalities() {
		municipalities = append(municipalities, m.Code)
		if other, ok := names[m.Name]; ok {
			t.Errorf("municipality name %q used by %s and %s", m.Name, other, m.Code)
		}
		names[m.Name] = m.Code
	}
	checkCodes(t, "region", "2 digits", twoDigits, regions)
	checkCodes(t, "municipality", "4 digits", fourDigits, municipalities)
}

// checkCodes reports the codes of kind that are not of the form or repeat.
func checkCodes(t *testing.T, kind, form string, pattern *regexp.Regexp, codes []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range codes {
		if !pattern.MatchString(c) {
			t.Errorf("%s code %q is not %s", kind, c, form)
		}
		if seen[c] {
			t.Errorf("%s code %q repeated", kind, c)
		}
		seen[c] = true
	}
}

func TestMunicipalityRegionIsCodePrefix(t *testing.T) {
	for _, m := range Municipalities() {
		if m.Code[:2] != m.RegionCode {
			t.Errorf("%s %s: region code %q, want %q", m.Code, m.Name, m.RegionCode, m.Code[:2])
		}
		if _, ok := RegionByCode(m.RegionCode); !ok {
			t.Errorf("%s %s: region %q does not exist", m.Code, m.Name, m.RegionCode)
		}
	}
}

// Every län code with its län name; the codes are given in the brief and
// agree with [polisen] and [vgr]; the region names are from [vgr], with
// Kalmar confirmed by [rkl].
func TestRegions(t *testing.T) {
	want := []Region{
		{"01", "Region Stockholm", "Stockholms län"},
		{"03", "Region Uppsala", "Uppsala län"},
		{"04", "Region Sörmland", "Södermanlands län"},
		{"05", "Region Östergötland", "Östergötlands län"},
		{"06", "Region Jönköpings län", "Jönköpings län"},
		{"07", "Region Kronoberg", "Kronobergs län"},
		{"08", "Region Kalmar län", "Kalmar län"},
		{"09", "Region Gotland", "Gotlands län"},
		{"10", "Region Blekinge", "Blekinge län"},
		{"12", "Region Skåne", "Skåne län"},
		{"13", "Region Halland", "Hallands län"},
		{"14", "Västra Götalandsregionen", "Västra Götalands län"},
		{"17", "Region Värmland", "Värmlands län"},
		{"18", "Region Örebro län", "Örebro län"},
		{"19", "Region Västmanland", "Västmanlands län"},
		{"20", "Region Dalarna", "Dalarnas län"},
		{"21", "Region Gävleborg", "Gävleborgs län"},
		{"22", "Region Västernorrland", "Västernorrlands län"},
		{"23", "Region Jämtland Härjedalen", "Jämtlands län"},
		{"24", "Region Västerbotten", "Västerbottens län"},
		{"25", "Region Norrbotten", "Norrbottens län"},
	}
	got := Regions()
	if len(got) != len(want) {
		t.Fatalf("got %d regions, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("Regions()[%d] = %+v, want %+v", i, got[i], w)
		}
		r, ok := RegionByCode(w.Code)
		if !ok || r != w {
			t.Errorf("RegionByCode(%q) = %+v, %v; want %+v, true", w.Code, r, ok, w)
		}
	}
}

func TestMunicipalitySpotChecks(t *testing.T) {
	for _, w := range []Municipality{
		// Given in the brief; each also in [polisen], [val26] and [vgr].
		{"0180", "Stockholm", "01"},
		{"0380", "Uppsala", "03"},
		{"0980", "Gotland", "09"},
		{"1280", "Malmö", "12"},
		{"1480", "Göteborg", "14"},
		{"2480", "Umeå", "24"},
		{"2584", "Kiruna", "25"},
		// [scb-pop] (Stockholms län rows of the 31 Dec 2024 table).
		{"0127", "Botkyrka", "01"},
		{"0162", "Danderyd", "01"},
		{"0125", "Ekerö", "01"},
		{"0136", "Haninge", "01"},
		{"0126", "Huddinge", "01"},
		{"0123", "Järfälla", "01"},
		{"0186", "Lidingö", "01"},
		{"0182", "Nacka", "01"},
		// [heby]: moved from Västmanlands län (1917) to Uppsala län in 2007.
		{"0331", "Heby", "03"},
		// Names with spaces and hyphens: [polisen], [val26], [vgr].
		{"0114", "Upplands Väsby", "01"},
		{"0139", "Upplands-Bro", "01"},
		{"1256", "Östra Göinge", "12"},
		{"1438", "Dals-Ed", "14"},
		{"1462", "Lilla Edet", "14"},
		{"2023", "Malung-Sälen", "20"},
		// Seats of the other län (code ends in 80): [polisen], [val26], [vgr].
		{"0480", "Nyköping", "04"},
		{"0580", "Linköping", "05"},
		{"0680", "Jönköping", "06"},
		{"0780", "Växjö", "07"},
		{"0880", "Kalmar", "08"},
		{"1080", "Karlskrona", "10"},
		{"1380", "Halmstad", "13"},
		{"1780", "Karlstad", "17"},
		{"1880", "Örebro", "18"},
		{"1980", "Västerås", "19"},
		{"2080", "Falun", "20"},
		{"2180", "Gävle", "21"},
		{"2280", "Härnösand", "22"},
		{"2380", "Östersund", "23"},
		{"2580", "Luleå", "25"},
	} {
		m, ok := MunicipalityByCode(w.Code)
		if !ok || m != w {
			t.Errorf("MunicipalityByCode(%q) = %+v, %v; want %+v, true", w.Code, m, ok, w)
		}
	}
}

// Municipalities per län, counted from [polisen] and [vgr]; Norrbotten's
// 14 is also in [rf-bd], Kalmar's 12 in [rfkl].
func TestMunicipalitiesPerRegion(t *testing.T) {
	want := map[string]int{
		"01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12,
		"09": 1, "10": 5, "12": 33, "13": 6, "14": 49, "17": 16, "18": 12,
		"19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14,
	}
	got := map[string]int{}
	for _, m := range Municipalities() {
		got[m.RegionCode]++
	}
	for code, n := range want {
		if got[code] != n {
			t.Errorf("region %s has %d municipalities, want %d", code, got[code], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("municipalities fall in %d regions, want %d", len(got), len(want))
	}
}

func TestLookupMisses(t *testing.T) {
	for _, code := range []string{"", "00", "02", "11", "15", "16", "26", "1", "010", " 01", "ab"} {
		if r, ok := RegionByCode(code); ok {
			t.Errorf("RegionByCode(%q) = %+v, true; want false", code, r)
		}
	}
	for _, code := range []string{"", "0000", "0116", "1917", "180", "01800", "0180 ", "abcd"} {
		if m, ok := MunicipalityByCode(code); ok {
			t.Errorf("MunicipalityByCode(%q) = %+v, true; want false", code, m)
		}
	}
}

func TestReturnedSlicesAreCopies(t *testing.T) {
	rs := Regions()
	rs[0].Name = "changed"
	ms := Municipalities()
	ms[0].Name = "changed"
	if Regions()[0].Name == "changed" {
		t.Error("Regions() shares its backing array with the package")
	}
	if Municipalities()[0].Name == "changed" {
		t.Error("Municipalities() shares its backing array with the package")
	}
	if r, _ := RegionByCode(rs[0].Code); r.Name == "changed" {
		t.Error("RegionByCode sees a caller's change")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Region Gotland":             "region-gotland",
		"Gotlands kommun":            "gotlands-kommun",
		"Malmö kommun":               "malmo-kommun",
		"Malung-Sälen":               "malung-salen",
		"Upplands Väsby":             "upplands-vasby",
		"Upplands-Bro":               "upplands-bro",
		"Örnsköldsvik":               "ornskoldsvik",
		"Åre":                        "are",
		"ÄLVKARLEBY":                 "alvkarleby",
		"Västra Götalandsregionen":   "vastra-gotalandsregionen",
		"Region Jämtland Härjedalen": "region-jamtland-harjedalen",
		"Café Étoile":                "cafe-etoile",
		"  Dals - Ed  ":              "dals-ed",
		"Skåne län (12)":             "skane-lan-12",
		"":                           "",
		"---":                        "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every name in the lists gives a well-formed slug. Municipality slugs are
// unique except for one pair, Håbo (0305, Uppsala län) and Habo (0643,
// Jönköpings län), which differ only by the å; any other collision fails.
func TestSlugsOfCodeLists(t *testing.T) {
	byslug := map[string][]string{}
	for _, m := range Municipalities() {
		s := Slug(m.Name)
		if !slugShape.MatchString(s) {
			t.Errorf("Slug(%q) = %q is not a well-formed slug", m.Name, s)
		}
		byslug[s] = append(byslug[s], m.Code+" "+m.Name)
	}
	for s, names := range byslug {
		if len(names) < 2 {
			continue
		}
		if s == "habo" && len(names) == 2 && names[0] == "0305 Håbo" && names[1] == "0643 Habo" {
			continue
		}
		t.Errorf("slug %q is shared by %q", s, names)
	}
	if got := len(byslug["habo"]); got != 2 {
		t.Errorf("slug \"habo\" has %d municipalities, want the known pair Håbo and Habo", got)
	}
	for _, r := range Regions() {
		for _, name := range []string{r.Name, r.CountyName} {
			if s := Slug(name); !slugShape.MatchString(s) {
				t.Errorf("Slug(%q) = %q is not a well-formed slug", name, s)
			}
		}
	}
}

func TestLoadRejectsInvalidData(t *testing.T) {
	const regions = "code,name,county_name\n01,Region Stockholm,Stockholms län\n03,Region Uppsala,Uppsala län\n"
	const municipalities = "code,name,region_code\n0180,Stockholm,01\n0380,Uppsala,03\n"
	if _, err := load([]byte(regions), []byte(municipalities)); err != nil {
		t.Fatalf("valid sample rejected: %v", err)
	}
	for _, tc := range []struct {
		name, regions, municipalities, wantErr string
	}{
		{"empty regions", "", municipalities, "regions.csv: empty"},
		{"header only", "code,name,county_name\n", municipalities, "no rows"},
		{"wrong region header", strings.Replace(regions, "county_name", "county", 1), municipalities, "header"},
		{"wrong municipality header", regions, strings.Replace(municipalities, "region_code", "lan", 1), "header"},
		{"BOM", "\ufeff" + regions, municipalities, "header"},
		{"too few fields", regions + "04,Region Sörmland\n", municipalities, "wrong number of fields"},
		{"too many fields", regions, municipalities + "0381,Enköping,03,x\n", "wrong number of fields"},
		{"region code not numeric", strings.Replace(regions, "03,", "0x,", 1), municipalities, `code "0x"`},
		{"region code too long", strings.Replace(regions, "03,", "003,", 1), municipalities, `code "003"`},
		{"municipality code too short", regions, strings.Replace(municipalities, "0380,", "380,", 1), `code "380"`},
		{"municipality code not numeric", regions, strings.Replace(municipalities, "0380,", "03A0,", 1), `code "03A0"`},
		{"duplicate region", regions + "03,Region Uppsala,Uppsala län\n", municipalities, "duplicate or out of order"},
		{"regions out of order", "code,name,county_name\n03,Region Uppsala,Uppsala län\n01,Region Stockholm,Stockholms län\n", municipalities, "duplicate or out of order"},
		{"duplicate municipality", regions, municipalities + "0380,Uppsala,03\n", "duplicate or out of order"},
		{"unknown region", regions, municipalities + "2584,Kiruna,25\n", `region_code "25" is not in regions.csv`},
		{"prefix differs from region", regions, municipalities + "0381,Enköping,01\n", "does not start with its region_code"},
		{"empty municipality name", regions, municipalities + "0381,,03\n", "name: empty"},
		{"padded municipality name", regions, municipalities + "0381, Enköping,03\n", "surrounding space"},
		{"empty county name", strings.Replace(regions, "Uppsala län", "", 1), municipalities, "county_name: empty"},
		{"region without municipalities", regions + "04,Region Sörmland,Södermanlands län\n", municipalities, "has no municipality"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load([]byte(tc.regions), []byte(tc.municipalities))
			if err == nil {
				t.Fatalf("load succeeded, want error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("load error %q, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
