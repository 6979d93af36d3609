package e2e

import (
	"slices"
	"testing"
)

// TestDevTextPatterns checks each pattern of the walker's list on text it
// must find and on text people are meant to read, so that a pattern can
// neither miss what it is for nor fail pages for nothing.
func TestDevTextPatterns(t *testing.T) {
	tests := []struct {
		text string
		sv   bool
		want []string // the names of the patterns that must match, in list order
	}{
		{"Fältet $.periods[0].from är fel", true, []string{"JSON path"}},
		{"Läkarintyg {{.Name}}", true, []string{"template syntax"}},
		{"Namn: <no value>", true, []string{"template syntax"}},
		{"Dagar: %!d(string=12)", true, []string{"fmt error"}},
		{"Roller map[admin:true]", true, []string{"Go value", "English developer word"}},
		{"Ändringen gav stale_version", true, []string{"snake_case code"}},
		{"Händelse: read_case", true, []string{"snake_case code"}},
		{"Händelse: case.read", true, []string{"dotted identifier"}},
		{"Status: case.status.open", true, []string{"dotted identifier"}},
		{"Villkor: days_used >= 364", true, []string{"snake_case code", "rule expression"}},
		{"Diagnos F43..8A", true, []string{"ICD code with a doubled dot"}},
		{"Värdet är null", true, []string{"English developer word"}},
		{"Ersättning 12000 kr", true, []string{"number without thousands separator"}},
		{"Kvar: 1409 dagar", true, []string{"number without thousands separator"}},
		{"Det återstår 1 dagar", true, []string{"plural after one"}},
		{"Visar 1 ärenden", true, []string{"plural after one"}},
		{"1 days left", false, []string{"plural after one"}},

		// What people are meant to read.
		{"Diagnos F43.8A Utmattningssyndrom", true, nil},
		{"Kvar: 1 409 dagar, ersättning 12 000 kr", true, nil},
		{"Kvar: 1\u00a0409 dagar", true, nil},
		{"Det återstår 1 dag, 21 dagar totalt och 31 ärenden", true, nil},
		{"Ärende 1234, född 19121212-1212, år 2025, 2025-03-14 kl. 10:15", true, nil},
		{"Se https://www.forsakringskassan.se/regler_och_lagar och finsam.se", true, nil},
		{"Skriv till hanna.handlaggare@example.se", true, nil},
		{"Hämta /api/v1/openapi.json eller quality.csv", true, nil},
		{"Error: null", false, nil},
		{"Skriv t.ex. bl.a. en siffra, e.g. a number", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, f := range findDevText(tt.text, tt.sv) {
				if !slices.Contains(got, f.pattern) {
					got = append(got, f.pattern)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findDevText(%q) found %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}
