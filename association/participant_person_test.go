package association

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/personnummer"
)

func TestLegalSexAndAgeGroupFromNumber(t *testing.T) {
	cl := MustDefaultCodeLists()
	rng := rand.New(rand.NewPCG(1, 2))
	start := civil.MustParse("2026-11-23")
	for i := 0; i < 200; i++ {
		birth := time.Date(1950+rng.IntN(60), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		n := personnummer.Generate(rng, birth, i%5 == 0)
		sex, group := DeriveFromNumber(cl, n, start)
		want := SexFemale
		if (n[10]-'0')%2 == 1 {
			want = SexMale
		}
		if sex != want {
			t.Fatalf("%s: sex %q, want %q", n, sex, want)
		}
		age := civil.Of(birth).AgeOn(start)
		c, ok := cl.List(ListAgeGroup).Lookup(group)
		if !ok || age < c.MinAge || (c.MaxAge != 0 && age > c.MaxAge) {
			t.Fatalf("%s: age %d in group %q", n, age, group)
		}
	}
	for _, tc := range []struct {
		n         personnummer.Number
		on        string
		sex, band string
	}{
		{"197001019801", "2026-11-23", SexFemale, "50-59"}, // 0 in position 11: even
		{"200011300115", "2026-11-29", SexMale, "25-29"},   // 1: odd; 26 the day before the birthday
		{"200011300115", "2026-11-30", SexMale, "25-29"},
		{"201011300115", "2026-11-29", SexMale, "under-16"}, // 15
		{"201011300115", "2026-11-30", SexMale, "16-19"},    // 16 on the birthday
		{"196103619902", "2026-01-01", SexFemale, "60-64"},  // samordningsnummer: day 61 is the 1st
	} {
		sex, band := DeriveFromNumber(cl, tc.n, civil.MustParse(tc.on))
		if sex != tc.sex || band != tc.band {
			t.Errorf("%s on %s: %q %q, want %q %q", tc.n, tc.on, sex, band, tc.sex, tc.band)
		}
	}
	if s := LegalSex("123"); s != "" {
		t.Errorf("short number: %q", s)
	}
}
