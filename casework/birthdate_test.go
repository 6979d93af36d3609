package casework

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
)

// The case pages and the nightly recompute give the rules engine the birth date the personnummer
// encodes, so that the age limit of SFB 27 kap. 36 § can be applied.
func TestBirthDateAStoredPersonnummer(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pnr := personnummer.Generate(rng, time.Date(1959, 3, 15, 0, 0, 0, 0, time.UTC), false).String()
	snr := personnummer.Generate(rng, time.Date(1959, 3, 15, 0, 0, 0, 0, time.UTC), true).String()
	day := civil.MustParse("2026-06-01")
	cases := []struct {
		pnr  string
		date civil.Date
		want string
	}{
		{pnr, day, "1959-03-15"},
		{snr, day, "1959-03-15"}, // samordningsnummer: day + 60
		{"", day, ""},
		{"not a number", day, ""},
		{pnr, civil.MustParse("1950-01-01"), ""}, // after the date evaluated
	}
	for _, c := range cases {
		if got := BirthDate(c.pnr, c.date); got.String() != c.want {
			t.Errorf("BirthDate(%q, %v) = %q, want %q", c.pnr, c.date, got, c.want)
		}
	}
}

// The nightly recompute reads the personnummer with the case and hands the
// rules the birth date, as the case page does.
func TestFactsFromGiveTheBirthDate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pnr := personnummer.Generate(rng, time.Date(1958, 11, 2, 0, 0, 0, 0, time.UTC), false).String()
	c := &store.RecomputeCase{Personnummer: pnr, Employment: "employee"}
	if got := FactsFrom(c, civil.MustParse("2026-06-01"), nil).BirthDate.String(); got != "1958-11-02" {
		t.Errorf("FactsFrom(...).BirthDate = %q, want 1958-11-02", got)
	}
	c.Personnummer = ""
	if got := FactsFrom(c, civil.MustParse("2026-06-01"), nil).BirthDate; !got.IsZero() {
		t.Errorf("FactsFrom without a personnummer: BirthDate = %v, want zero", got)
	}
}
