package association

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"testing"
)

var orgNumber = regexp.MustCompile(`^\d{6}-\d{4}$`)

// FuzzParseAllocationCSV: the national table an association's staff upload.
// Every refusal is an Errors a person can read; every accepted row has a
// normalised organisation number and measures that are not negative.
func FuzzParseAllocationCSV(f *testing.F) {
	for _, name := range []string{"testdata/allocation_good.csv", "testdata/allocation_bad.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "namn,organisationsnummer,försörjningsmått,befolkning_16_64\n", "namn;organisationsnummer\n\"a;b\n", "\ufeffnamn;organisationsnummer;försörjningsmått;befolkning_16_64\nX;222000-1768;1e9;-0\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseAllocationCSV(bytes.NewReader(data))
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %v is not an Errors", err)
			}
			return
		}
		for _, r := range rows {
			if r.Name == "" || !orgNumber.MatchString(r.OrgNumber) || r.Provision < 0 || r.Population < 0 || r.Line < 2 {
				t.Fatalf("accepted row %+v", r)
			}
		}
	})
}

// FuzzParseCodeList: an association's own code list (uploaded as JSON). An
// accepted list survives a JSON round trip unchanged.
func FuzzParseCodeList(f *testing.F) {
	files, _ := os.ReadDir("codes")
	for _, e := range files {
		b, err := os.ReadFile("codes/" + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"name":"sex","codes":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseCodeList(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseCodeList(b)
		if err != nil || !reflect.DeepEqual(back, l) {
			t.Fatalf("round trip of %s: %+v, %v", b, back, err)
		}
	})
}

// FuzzParseAmounts: amounts in kronor and shares in per cent as people type
// them into the finance forms. What is accepted prints back to the same
// value.
func FuzzParseAmounts(f *testing.F) {
	for _, s := range []string{"1 234,50", "1234.5 kr", "-0,01", "12 345:-", "92233720368547758,07", "1.234,50", "33,33", "25 %", "125 ‰", "100,001", "", "  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if o, err := ParseOre(s); err == nil {
			if back, err := ParseOre(o.Number()); err != nil || back != o {
				t.Fatalf("amount %q → %q → %v, %v", s, o.Number(), back, err)
			}
		}
		if bp, err := ParseShare(s); err == nil {
			if bp < 0 || bp > WholeShare {
				t.Fatalf("share %q → %d basis points", s, bp)
			}
			if back, err := ParseShare(FormatShare(bp)); err != nil || back != bp {
				t.Fatalf("share %q → %q → %d, %v", s, FormatShare(bp), back, err)
			}
		}
	})
}
