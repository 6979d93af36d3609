// Package codelist holds SCB's official code lists for Sweden's 21 län
// (2-digit länskod) with their regions, and 290 kommuner (4-digit
// kommunkod). The lists are embedded CSV files; SOURCES.md in this
// directory says where they come from and when they were checked.
//
// The embedded files are parsed and validated once, on first use. A test
// asserts that they validate, so a build whose data is broken fails its
// tests rather than shipping.
package codelist

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
)

//go:embed regions.csv
var regionsCSV []byte

//go:embed municipalities.csv
var municipalitiesCSV []byte

// Region is a län and the region (regional authority, formerly landsting)
// that covers it. In Gotland the municipality has the region's duties, so
// "Region Gotland" is both the region and the name the municipality uses.
type Region struct {
	Code       string // SCB länskod, 2 digits, e.g. "09"
	Name       string // the region authority, e.g. "Region Gotland"
	CountyName string // the län, e.g. "Gotlands län"
}

// Municipality is a kommun.
type Municipality struct {
	Code       string // SCB kommunkod, 4 digits, e.g. "0980"
	Name       string // short name as SCB lists it, e.g. "Gotland"
	RegionCode string // länskod: always the first two digits of Code
}

// Regions returns the 21 regions in code order. The slice is the caller's.
func Regions() []Region {
	return slices.Clone(mustData().regions)
}

// Municipalities returns the 290 municipalities in code order. The slice
// is the caller's.
func Municipalities() []Municipality {
	return slices.Clone(mustData().municipalities)
}

// RegionByCode returns the region with the 2-digit länskod code.
func RegionByCode(code string) (Region, bool) {
	d := mustData()
	i, ok := d.regionIndex[code]
	if !ok {
		return Region{}, false
	}
	return d.regions[i], true
}

// MunicipalityByCode returns the municipality with the 4-digit kommunkod
// code.
func MunicipalityByCode(code string) (Municipality, bool) {
	d := mustData()
	i, ok := d.municipalityIndex[code]
	if !ok {
		return Municipality{}, false
	}
	return d.municipalities[i], true
}

// Slug turns a name into a lowercase ASCII URL slug: Swedish and other
// common Latin letters lose their diacritics (å, ä → a; ö → o; é → e),
// letters and digits are kept, and every run of anything else (spaces,
// hyphens, punctuation, letters with no ASCII form) becomes a single '-'.
// There is no leading or trailing '-'.
//
//	Slug("Region Gotland")  == "region-gotland"
//	Slug("Malmö kommun")    == "malmo-kommun"
//	Slug("Malung-Sälen")    == "malung-salen"
//
// Slugs are not unique keys: Håbo (0305) and Habo (0643) both give
// "habo". Identify municipalities and regions by code.
func Slug(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	pendingDash := false
	for _, r := range name {
		r = unicode.ToLower(r)
		if f, ok := fold[r]; ok {
			r = f
		}
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if pendingDash && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingDash = false
			b.WriteRune(r)
			continue
		}
		pendingDash = true
	}
	return b.String()
}

// fold maps lowercase Latin letters with diacritics to their ASCII base.
var fold = map[rune]rune{
	'å': 'a', 'ä': 'a', 'á': 'a', 'à': 'a', 'â': 'a', 'ã': 'a',
	'ö': 'o', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o', 'ø': 'o',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ý': 'y', 'ÿ': 'y',
	'ç': 'c', 'ñ': 'n',
}

// data is the parsed, validated content of the two CSV files.
type data struct {
	regions           []Region
	municipalities    []Municipality
	regionIndex       map[string]int
	municipalityIndex map[string]int
}

// loaded parses the embedded files once.
var loaded = sync.OnceValues(func() (*data, error) {
	return load(regionsCSV, municipalitiesCSV)
})

// mustData returns the embedded data. It panics only if the embedded files
// are invalid, which TestLoadEmbedded rules out for every tested build.
func mustData() *data {
	d, err := loaded()
	if err != nil {
		panic("codelist: embedded data is invalid: " + err.Error())
	}
	return d
}

var (
	regionHeader       = []string{"code", "name", "county_name"}
	municipalityHeader = []string{"code", "name", "region_code"}
)

// load parses and validates the region and municipality CSV files. Codes
// must be all digits of the right length and strictly ascending (hence
// unique); names must be non-empty with no surrounding space; every
// municipality's region must exist and equal the first two digits of its
// code; every region must have at least one municipality.
func load(regionsFile, municipalitiesFile []byte) (*data, error) {
	d := &data{
		regionIndex:       map[string]int{},
		municipalityIndex: map[string]int{},
	}

	rows, err := readCSV("regions.csv", regionsFile, regionHeader)
	if err != nil {
		return nil, err
	}
	for i, row := range rows {
		line := i + 2
		r := Region{Code: row[0], Name: row[1], CountyName: row[2]}
		if err := checkCode(r.Code, 2); err != nil {
			return nil, fmt.Errorf("regions.csv line %d: %w", line, err)
		}
		if err := checkName(r.Name); err != nil {
			return nil, fmt.Errorf("regions.csv line %d: name: %w", line, err)
		}
		if err := checkName(r.CountyName); err != nil {
			return nil, fmt.Errorf("regions.csv line %d: county_name: %w", line, err)
		}
		if n := len(d.regions); n > 0 && r.Code <= d.regions[n-1].Code {
			return nil, fmt.Errorf("regions.csv line %d: code %q is a duplicate or out of order (after %q)", line, r.Code, d.regions[n-1].Code)
		}
		d.regionIndex[r.Code] = len(d.regions)
		d.regions = append(d.regions, r)
	}

	rows, err = readCSV("municipalities.csv", municipalitiesFile, municipalityHeader)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for i, row := range rows {
		line := i + 2
		m := Municipality{Code: row[0], Name: row[1], RegionCode: row[2]}
		if err := checkCode(m.Code, 4); err != nil {
			return nil, fmt.Errorf("municipalities.csv line %d: %w", line, err)
		}
		if err := checkName(m.Name); err != nil {
			return nil, fmt.Errorf("municipalities.csv line %d: name: %w", line, err)
		}
		if _, ok := d.regionIndex[m.RegionCode]; !ok {
			return nil, fmt.Errorf("municipalities.csv line %d: region_code %q is not in regions.csv", line, m.RegionCode)
		}
		if m.Code[:2] != m.RegionCode {
			return nil, fmt.Errorf("municipalities.csv line %d: code %q does not start with its region_code %q", line, m.Code, m.RegionCode)
		}
		if n := len(d.municipalities); n > 0 && m.Code <= d.municipalities[n-1].Code {
			return nil, fmt.Errorf("municipalities.csv line %d: code %q is a duplicate or out of order (after %q)", line, m.Code, d.municipalities[n-1].Code)
		}
		used[m.RegionCode] = true
		d.municipalityIndex[m.Code] = len(d.municipalities)
		d.municipalities = append(d.municipalities, m)
	}
	for _, r := range d.regions {
		if !used[r.Code] {
			return nil, fmt.Errorf("regions.csv: region %s (%s) has no municipality", r.Code, r.Name)
		}
	}
	return d, nil
}

// readCSV reads a whole CSV file, checks its header and returns the rows
// after it. Every row must have as many fields as the header.
func readCSV(name string, file []byte, header []string) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(file))
	r.FieldsPerRecord = len(header)
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	if !slices.Equal(records[0], header) {
		return nil, fmt.Errorf("%s: header is %q, want %q", name, records[0], header)
	}
	if len(records) == 1 {
		return nil, fmt.Errorf("%s: no rows after the header", name)
	}
	return records[1:], nil
}

func checkCode(code string, digits int) error {
	if len(code) != digits {
		return fmt.Errorf("code %q: want %d digits", code, digits)
	}
	for _, c := range []byte(code) {
		if c < '0' || c > '9' {
			return fmt.Errorf("code %q: want %d digits", code, digits)
		}
	}
	return nil
}

func checkName(name string) error {
	if name == "" {
		return errors.New("empty")
	}
	if strings.TrimSpace(name) != name {
		return fmt.Errorf("%q has surrounding space", name)
	}
	return nil
}
