package web

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
)

// The case pages give the rules engine the birth date the personnummer
// encodes, so that the age limit of SFB 27 kap. 36 § can be applied.
func TestBirthDateOfAStoredPersonnummer(t *testing.T) {
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
		if got := birthDateOf(c.pnr, c.date); got.String() != c.want {
			t.Errorf("birthDateOf(%q, %v) = %q, want %q", c.pnr, c.date, got, c.want)
		}
	}
}
