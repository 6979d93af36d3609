package personnummer

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Number
		err  error
	}{
		// Skatteverket's worked example of the check digit: 640823-323 → 4.
		{"640823-3234", "196408233234", nil},
		{"196408233234", "196408233234", nil},
		{"19640823-3234", "196408233234", nil},
		{"6408233234", "196408233234", nil},
		{"640823+3234", "186408233234", nil}, // "+": 100 years or older
		{"640823-3235", "", ErrChecksum},
		{"640832-3234", "", ErrDate},
		{"20300101-0008", "", ErrFuture},
		{"18000101-0008", "", ErrDate},
		{"6408233-234", "", ErrFormat},
		{"64O823-3234", "", ErrFormat},
		{"", "", ErrFormat},
		{"19640823+3234", "", ErrFormat},
		// A samordningsnummer is the birth day + 60: 1964-08-23 → 83.
		{"640883-3231", "196408833231", nil},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in, today)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestTenDigitCenturyFollowsToday(t *testing.T) {
	// Born 2026-11-24 would be tomorrow, so YY=26 with that date is 1926.
	n := Generate(rand.New(rand.NewPCG(1, 2)), time.Date(1926, 11, 24, 0, 0, 0, 0, time.UTC), false)
	got, err := Parse(string(n[2:]), today)
	if err != nil || got != n {
		t.Fatalf("Parse(%s) = %s, %v; want %s", n[2:], got, err, n)
	}
}

func TestGeneratedNumbersAreValidTestNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 2000 {
		birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(20000))
		coord := i%5 == 0
		n := Generate(rng, birth, coord)
		got, err := Parse(string(n), today)
		if err != nil || got != n {
			t.Fatalf("generated %s does not parse: %v", n, err)
		}
		if !n.IsTestSeries() || n.IsCoordination() != coord || !n.BirthDate().Equal(birth) {
			t.Fatalf("%s: test=%v coord=%v birth=%v", n, n.IsTestSeries(), n.IsCoordination(), n.BirthDate())
		}
	}
	if Number("196408233234").IsTestSeries() {
		t.Fatal("an ordinary number is in the test series")
	}
}

func TestFormatting(t *testing.T) {
	n := Number("196408233234")
	if n.String() != "19640823-3234" || n.Masked() != "19640823-XXXX" {
		t.Fatalf("String %q Masked %q", n.String(), n.Masked())
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"640823-3234", "196408233234", "640883-3231", "+", "--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s, today)
		if err != nil {
			return
		}
		again, err := Parse(string(n), today)
		if err != nil || again != n {
			t.Fatalf("normalised %q of %q does not parse back: %v", n, s, err)
		}
	})
}
