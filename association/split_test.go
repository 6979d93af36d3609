package association

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func sum(parts []Ore) Ore {
	var s Ore
	for _, p := range parts {
		s += p
	}
	return s
}

func TestApportionLargestRemainder(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   Ore
		weights []int64
		want    []Ore
	}{
		{"exact", 1000, []int64{1, 1, 2}, []Ore{250, 250, 500}},
		{"one öre to the largest remainder", 100, []int64{1, 1, 1}, []Ore{34, 33, 33}},
		{"two öre left, the two largest remainders", 200, []int64{1, 1, 1}, []Ore{67, 67, 66}},
		{"remainders decide, not order", 10, []int64{3, 3, 4}, []Ore{3, 3, 4}},
		{"tie goes to the larger weight", 1, []int64{1, 2, 1}, []Ore{0, 1, 0}},
		{"zero weight gets nothing", 7, []int64{0, 1}, []Ore{0, 7}},
		{"negative total mirrors", -100, []int64{1, 1, 1}, []Ore{-34, -33, -33}},
		{"remainders beat weights: ½ of 3 öre is 1,5, ¼ is 0,75", 3, []int64{2, 1, 1}, []Ore{1, 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Apportion(tc.total, tc.weights)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Apportion(%d, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
				}
			}
		})
	}
}

// Property: whatever the total and the weights, the parts sum to the total
// and each part is within one öre of its exact quota.
func TestApportionAlwaysReconciles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + rng.IntN(12)
		weights := make([]int64, n)
		var wsum float64
		for i := range weights {
			switch rng.IntN(4) {
			case 0:
				weights[i] = rng.Int64N(10)
			case 1:
				weights[i] = rng.Int64N(math.MaxInt64 / 16)
			default:
				weights[i] = rng.Int64N(1_000_000)
			}
			wsum += float64(weights[i])
		}
		if wsum == 0 {
			weights[0] = 1
			wsum = 1
		}
		total := Ore(rng.Int64N(math.MaxInt64))
		if rng.IntN(3) == 0 {
			total = Ore(rng.Int64N(1000))
		}
		parts, err := Apportion(total, weights)
		if err != nil {
			t.Fatalf("Apportion(%d, %v): %v", total, weights, err)
		}
		if sum(parts) != total {
			t.Fatalf("Apportion(%d, %v) = %v sums to %d", total, weights, parts, sum(parts))
		}
		for i, p := range parts {
			if p < 0 || (weights[i] == 0 && p != 0) {
				t.Fatalf("Apportion(%d, %v) = %v: part %d out of range", total, weights, parts, i)
			}
		}
	}
}

func TestApportionRefusesBadWeights(t *testing.T) {
	for _, tc := range []struct {
		weights []int64
		code    string
	}{
		{nil, CodeNoParties},
		{[]int64{0, 0}, CodeNoWeight},
		{[]int64{1, -1}, CodeNegative},
		{[]int64{math.MaxInt64, math.MaxInt64, 2}, CodeAmountOverflow},
	} {
		_, err := Apportion(100, tc.weights)
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code {
			t.Errorf("Apportion(100, %v) = %v, want %s", tc.weights, err, tc.code)
		}
	}
}

func gotland() ([]Party, []Party) {
	return []Party{{OrgID: 1, Name: "Region Gotland", Population: 61000}},
		[]Party{{OrgID: 2, Name: "Gotland", Population: 61000}}
}

func TestSplitHalfQuarterQuarter(t *testing.T) {
	regions, munis := gotland()
	s, err := SplitContribution(Kr(4_000_000), KeyPopulation, regions, munis)
	if err != nil {
		t.Fatal(err)
	}
	if s.State != Kr(2_000_000) || s.Regions[0].Amount != Kr(1_000_000) || s.Municipalities[0].Amount != Kr(1_000_000) {
		t.Errorf("split = %+v", s)
	}
}

func TestSplitMunicipalitiesByPopulation(t *testing.T) {
	regions := []Party{{OrgID: 1, Name: "Region Östergötland"}}
	munis := []Party{
		{OrgID: 2, Name: "Linköping", Population: 167000},
		{OrgID: 3, Name: "Åtvidaberg", Population: 11600},
		{OrgID: 4, Name: "Kinda", Population: 9900},
	}
	// 1 000 001 öre: the state gets 500 000,50 → 500 001 (the larger
	// remainder of ½ against ¼ + ¼ goes first), regions and municipalities
	// 250 000 each.
	s, err := SplitContribution(1_000_001, KeyPopulation, regions, munis)
	if err != nil {
		t.Fatal(err)
	}
	if s.State != 500_001 || s.RegionsTotal != 250_000 || s.MunicipalTotal != 250_000 {
		t.Errorf("halves and quarters = %d, %d, %d", s.State, s.RegionsTotal, s.MunicipalTotal)
	}
	// 250 000 × 167000/188500 = 221 485,41…; ×11600/188500 = 15 384,61…;
	// ×9900/188500 = 13 129,97… → floors 221 485 + 15 384 + 13 129 =
	// 249 998; the two öre left go to Kinda (,97) and Åtvidaberg (,61).
	want := []Ore{221_485, 15_385, 13_130}
	for i, p := range s.Municipalities {
		if p.Amount != want[i] {
			t.Errorf("%s pays %d, want %d", p.Name, p.Amount, want[i])
		}
	}
	if s.Sum() != s.Total {
		t.Errorf("parts sum to %d, total %d", s.Sum(), s.Total)
	}
}

func TestSplitAgreedSharesMustSumTo100(t *testing.T) {
	regions := []Party{{OrgID: 1, Name: "Region"}}
	munis := []Party{{OrgID: 2, Name: "A", ShareBP: 3333}, {OrgID: 3, Name: "B", ShareBP: 3333}, {OrgID: 4, Name: "C", ShareBP: 3333}}
	_, err := SplitContribution(Kr(100), KeyAgreed, regions, munis)
	var errs Errors
	if !errors.As(err, &errs) || !errs.Has(CodeSharesSum) {
		t.Fatalf("shares summing to 99,99 %%: %v, want %s", err, CodeSharesSum)
	}
	if errs[0].MessageSV == "" || errs[0].Field != "municipalities.share" {
		t.Errorf("error = %+v", errs[0])
	}
	munis[2].ShareBP = 3334
	s, err := SplitContribution(Kr(100), KeyAgreed, regions, munis)
	if err != nil {
		t.Fatal(err)
	}
	// 25 kr = 2 500 öre: 833,25, 833,25, 833,50 → 833 + 833 + 834.
	if s.Municipalities[0].Amount != 833 || s.Municipalities[1].Amount != 833 || s.Municipalities[2].Amount != 834 {
		t.Errorf("agreed split = %+v", s.Municipalities)
	}
}

func TestSplitRefusesMissingPartiesAndBadShares(t *testing.T) {
	_, err := SplitContribution(-1, "wrong", nil, []Party{{ShareBP: 12000}})
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatal(err)
	}
	for _, code := range []string{CodeNegative, CodeUnknownKey, CodeNoParties} {
		if !errs.Has(code) {
			t.Errorf("missing %s in %v", code, errs)
		}
	}
	_, err = SplitContribution(100, KeyAgreed, []Party{{ShareBP: 10000}}, []Party{{ShareBP: 12000}, {ShareBP: -2000}})
	if !errors.As(err, &errs) || !errs.Has(CodeInvalidShare) {
		t.Errorf("share above 100 %%: %v", err)
	}
}

// Property: every split reconciles to the öre, under both keys.
func TestSplitAlwaysReconciles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		nr, nm := 1+rng.IntN(3), 1+rng.IntN(15)
		regions, munis := make([]Party, nr), make([]Party, nm)
		key := KeyPopulation
		if rng.IntN(2) == 0 {
			key = KeyAgreed
		}
		fill := func(ps []Party) {
			left := int64(WholeShare)
			for i := range ps {
				ps[i].Population = 1 + rng.Int64N(1_000_000)
				if i == len(ps)-1 {
					ps[i].ShareBP = left
				} else {
					ps[i].ShareBP = rng.Int64N(left + 1)
					left -= ps[i].ShareBP
				}
			}
		}
		fill(regions)
		fill(munis)
		total := Ore(rng.Int64N(10_000_000_000_00))
		s, err := SplitContribution(total, key, regions, munis)
		if err != nil {
			t.Fatal(err)
		}
		if s.Sum() != total || s.State+s.RegionsTotal+s.MunicipalTotal != total {
			t.Fatalf("split of %d sums to %d", total, s.Sum())
		}
	}
}

func TestParseShare(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{{"33,33", 3333}, {"25 %", 2500}, {"12.5", 1250}, {"100", 10000}, {"0", 0}, {"125 ‰", 1250}, {"333,4‰", 3334}} {
		got, err := ParseShare(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseShare(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "100,01", "33,333", "-5", "abc", "1001 ‰"} {
		if _, err := ParseShare(in); err == nil {
			t.Errorf("ParseShare(%q) accepted", in)
		}
	}
	if got := FormatShare(3333); got != "33,33 %" {
		t.Errorf("FormatShare(3333) = %q", got)
	}
	if got := FormatShare(2500); got != "25 %" {
		t.Errorf("FormatShare(2500) = %q", got)
	}
	if got := FormatShare(1250); got != "12,5 %" {
		t.Errorf("FormatShare(1250) = %q", got)
	}
}
