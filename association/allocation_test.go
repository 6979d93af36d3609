package association

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// A worked example, computed by hand from the model on finsam.se (a base
// of 400 tkr each, the rest 75 % by försörjningsmått, 25 % by population
// 16–64):
//
//	state allocation 3 000 000 kr, three associations
//	bases            3 × 400 000         = 1 200 000 kr
//	rest             3 000 000 − 1 200 000 = 1 800 000 kr
//	by provision     75 % of 1 800 000   = 1 350 000 kr
//	by population    25 % of 1 800 000   =   450 000 kr
//
//	     provision  pop 16–64   by provision              by population           total
//	A    100        10 000      1 350 000 × 100/600 =   225 000   450 000 × 10/45 = 100 000    725 000
//	B    200        20 000      1 350 000 × 200/600 =   450 000   450 000 × 20/45 = 200 000  1 050 000
//	C    300        15 000      1 350 000 × 300/600 =   675 000   450 000 × 15/45 = 150 000  1 225 000
//	                                                                                        3 000 000
func TestAllocateWorkedExample(t *testing.T) {
	rows := []AllocationRow{
		{Name: "A", Provision: 100_00, Population: 10_000},
		{Name: "B", Provision: 200_00, Population: 20_000},
		{Name: "C", Provision: 300_00, Population: 15_000},
	}
	got, err := Allocate(Kr(3_000_000), rows, DefaultAllocationParams())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ prov, pop, total Ore }{
		{Kr(225_000), Kr(100_000), Kr(725_000)},
		{Kr(450_000), Kr(200_000), Kr(1_050_000)},
		{Kr(675_000), Kr(150_000), Kr(1_225_000)},
	}
	for i, a := range got {
		if a.Base != Kr(400_000) || a.ByProvision != want[i].prov || a.ByPopulation != want[i].pop || a.Total != want[i].total {
			t.Errorf("%s: base %s, provision %s, population %s, total %s", a.Name, a.Base, a.ByProvision, a.ByPopulation, a.Total)
		}
	}
}

// The öre that do not divide, by hand:
//
//	total 1 300 000,01 kr = 130 000 001 öre; bases 3 × 40 000 000 öre
//	rest 10 000 001 öre: 75 % = 7 500 000,75, 25 % = 2 500 000,25
//	  → floors 7 500 000 + 2 500 000, the odd öre to the larger remainder
//	  → provision pot 7 500 001, population pot 2 500 000
//	equal measures: 7 500 001 / 3 = 2 500 000,33 → 2 500 001, 2 500 000, 2 500 000
//	equal populations: 2 500 000 / 3 = 833 333,33 → 833 334, 833 333, 833 333
//	  (equal remainders: the extra öre goes to the first row)
//	totals 43 333 335 + 43 333 333 + 43 333 333 = 130 000 001
func TestAllocateReconcilesToTheOre(t *testing.T) {
	rows := []AllocationRow{{Name: "A", Provision: 1, Population: 1}, {Name: "B", Provision: 1, Population: 1}, {Name: "C", Provision: 1, Population: 1}}
	got, err := Allocate(130_000_001, rows, DefaultAllocationParams())
	if err != nil {
		t.Fatal(err)
	}
	want := []Ore{43_333_335, 43_333_333, 43_333_333}
	var sum Ore
	for i, a := range got {
		sum += a.Total
		if a.Total != want[i] {
			t.Errorf("%s = %d, want %d", a.Name, a.Total, want[i])
		}
	}
	if got[0].ByProvision != 2_500_001 || got[0].ByPopulation != 833_334 {
		t.Errorf("A = %+v", got[0])
	}
	if sum != 130_000_001 {
		t.Errorf("sum %d", sum)
	}
}

func TestAllocateRefusesBasesAboveTotal(t *testing.T) {
	rows := []AllocationRow{{Name: "A", Provision: 1, Population: 1}, {Name: "B", Provision: 1, Population: 1}}
	_, err := Allocate(Kr(799_999), rows, DefaultAllocationParams())
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBaseExceedsTotal {
		t.Errorf("got %v, want %s", err, CodeBaseExceedsTotal)
	}
}

// parseAllocationFile parses the allocation CSV file at path.
func parseAllocationFile(t *testing.T, path string) ([]AllocationRow, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParseAllocationCSV(f)
}

func TestParseAllocationCSVReadsEitherLanguageAndSeparator(t *testing.T) {
	rows, err := parseAllocationFile(t, "testdata/allocation_good.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []AllocationRow{
		{Line: 2, Name: "Förbund A, norra", OrgNumber: "222000-1768", Provision: 100_00, Population: 10_000},
		{Line: 4, Name: "Förbund B", OrgNumber: "222000-1776", Provision: 200_00, Population: 20_000},
		{Line: 5, Name: "Förbund C", OrgNumber: "222000-1784", Provision: 300_00, Population: 15_000},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows = %+v\nwant %+v", rows, want)
	}
}

func TestParseAllocationCSVReportsEveryBadRowAndReturnsNothing(t *testing.T) {
	rows, err := parseAllocationFile(t, "testdata/allocation_bad.csv")
	if rows != nil {
		t.Errorf("rows returned despite errors: %+v", rows)
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v", err)
	}
	type lc struct {
		line int
		code string
	}
	var got []lc
	for _, e := range errs {
		got = append(got, lc{e.Line, e.Code})
		if e.Message == "" || e.MessageSV == "" {
			t.Errorf("line %d: message missing in a language: %+v", e.Line, e)
		}
	}
	want := []lc{
		{3, CodeRequired}, {3, CodeDuplicate},
		{4, CodeInvalidOrgNumber}, {4, CodeInvalidNumber}, {4, CodeInvalidNumber},
		{5, CodeInvalidNumber}, {5, CodeInvalidNumber},
		{6, CodeColumns},
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors = %v\nwant %v", got, want)
	}
	if !strings.Contains(errs[1].MessageSV, "rad 2") {
		t.Errorf("the duplicate should name the first line: %q", errs[1].MessageSV)
	}
}

func TestParseAllocationCSVRefusesBadFiles(t *testing.T) {
	for _, tc := range []struct{ name, in, code string }{
		{"empty", "", CodeEmpty},
		{"header only", "name;org_number;provision_measure;population_16_64\n", CodeEmpty},
		{"missing column", "name;org_number;provision_measure\nA;222000-1768;1\n", CodeHeader},
		{"not UTF-8", "namn;organisationsnummer;f\xf6rs\xf6rjningsm\xe5tt;befolkning_16_64\n", CodeCSV},
		{"all measures zero", "name,org_number,provision_measure,population_16_64\nA,222000-1768,0,10\n", CodeNoWeight},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ParseAllocationCSV(strings.NewReader(tc.in))
			var errs Errors
			if rows != nil || !errors.As(err, &errs) || !errs.Has(tc.code) {
				t.Errorf("got %v, %v; want %s", rows, err, tc.code)
			}
		})
	}
}

func TestNormaliseOrgNumber(t *testing.T) {
	for in, want := range map[string]string{"222000-1768": "222000-1768", "2220001768": "222000-1768", "16222000-1768": "222000-1768", "202100-5489": "202100-5489"} {
		if got, ok := NormaliseOrgNumber(in); !ok || got != want {
			t.Errorf("NormaliseOrgNumber(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"222000-1769", "123", "22200017681", "abcdef-ghij", ""} {
		if _, ok := NormaliseOrgNumber(in); ok {
			t.Errorf("NormaliseOrgNumber(%q) accepted", in)
		}
	}
}
