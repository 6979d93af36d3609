package rules

import (
	"bytes"
	"encoding/json"
	"github.com/finsam/finsam/civil"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"testing"
)

func testEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := defaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// gapChoices favour the boundaries of the five-day and 90-day rules and of
// the 87 uncounted days that reopen the normal level.
var gapChoices = []int{0, 0, 1, 3, 4, 5, 6, 7, 20, 60, 85, 86, 87, 88, 89, 90, 91, 120, 300, 500}

// randomInput builds a case with a few periods around a random date. The
// periods come back in random order.
func randomInput(rng *rand.Rand, e *Engine) Input {
	emps := []Employment{Employee, Unemployed, SelfEmployed}
	lo, hi := e.historyStart.Days(), e.maxDate.Days()
	mode := rng.IntN(3)
	if mode == 1 {
		// Long cases in the years of the time limit.
		lo, hi = mustDate("2006-01-01").Days(), mustDate("2015-06-01").Days()
	}
	// Start the history so that the evaluated date usually falls in or just
	// after the periods.
	start := lo + rng.Int32N(hi-lo-200)
	var ps []Period
	d := start
	n := 1 + rng.IntN(5)
	for i := 0; i < n; i++ {
		length := int32(1 + rng.IntN(60))
		if rng.IntN(4) == 0 || mode == 1 {
			length = int32(1 + rng.IntN(900))
		}
		p := Period{From: civil.FromDays(d), To: civil.FromDays(d + length - 1), Degree: []int{25, 50, 75, 100}[rng.IntN(4)]}
		if i == n-1 && rng.IntN(3) == 0 {
			p.To = Date{}
		}
		ps = append(ps, p)
		d += length + int32(gapChoices[rng.IntN(len(gapChoices))])
	}
	// The evaluated date: somewhere from the first period to shortly after
	// the last, clamped to the evaluable range.
	end := d + 100
	D := start + rng.Int32N(end-start)
	if mode == 2 {
		// Close to the start of a period: karens, sjuklön, återinsjuknande.
		p := ps[rng.IntN(len(ps))]
		D = p.From.Days() + rng.Int32N(20)
	}
	D = max(D, e.minDate.Days())
	D = min(D, e.maxDate.Days())
	rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	income := float64(rng.IntN(700_000))
	if rng.IntN(10) == 0 {
		income = float64(rng.IntN(20_000))
	}
	in := Input{
		Date:           civil.FromDays(D),
		Employment:     emps[rng.IntN(len(emps))],
		AnnualIncome:   income,
		Periods:        ps,
		SeriousIllness: rng.IntN(10) == 0,
	}
	if rng.IntN(4) == 0 {
		// Many short sjukperioder before D: allmänt högriskskydd.
		in.Periods = nil
		d := D - 400 + rng.Int32N(200)
		for d <= D {
			length := int32(1 + rng.IntN(10))
			in.Periods = append(in.Periods, Period{From: civil.FromDays(d), To: civil.FromDays(d + length - 1), Degree: 100})
			d += length + int32(4+rng.IntN(30))
		}
		in.Periods[len(in.Periods)-1].To = Date{}
	}
	if rng.IntN(3) == 0 {
		// A birth date that puts the age limit near D.
		in.BirthDate = civil.FromDays(D - int32(66*365) + rng.Int32N(3*365) - 800)
	}
	if in.Employment == SelfEmployed && rng.IntN(3) == 0 {
		in.KarenstidDays = []int{1, 14, 30, 60, 90}[rng.IntN(5)]
		if rng.IntN(2) == 0 {
			in.KarenstidFrom = civil.FromDays(D - rng.Int32N(500))
		}
		if _, err := e.Evaluate(in, Options{}); err != nil {
			in.KarenstidDays, in.KarenstidFrom = 0, Date{} // not a choice the law offered then
		}
	}
	return in
}

func payerOf(k dayKind) string {
	switch k {
	case kindSjuklon, kindSjuklonAvd:
		return PayerEmployer
	case kindFK, kindFKAvdrag:
		return PayerFK
	}
	return PayerNone
}

func TestEngineAgreesWithNaiveReferenceOnRandomCases(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(1, 2))
	cases := randomCases()
	for c := 0; c < cases; c++ {
		in := randomInput(rng, e)
		got, err := e.Evaluate(in, Options{})
		if err != nil {
			t.Fatalf("case %d: %v\ninput %+v", c, err, in)
		}
		want := refEvaluate(e, in)
		mismatch := got.Sick != want.sick || got.ChainDay != want.chainDay || got.FrameDays != want.frame ||
			(want.sick && (got.Level != want.level || got.Payer != payerOf(want.kind) ||
				got.TimeLimitReached != want.limited)) ||
			got.Milestones != want.milestones ||
			got.KarensCompensation != want.compensation || got.AgeLimitReached != want.ageLimit
		if mismatch {
			b, _ := json.Marshal(in)
			t.Fatalf("case %d differs from the reference\ninput %s\ngot  sick=%v chain=%d frame=%d level=%s payer=%s limit=%v comp=%d age=%v %+v\nwant sick=%v chain=%d frame=%d level=%s payer=%s limit=%v comp=%d age=%v %+v",
				c, b, got.Sick, got.ChainDay, got.FrameDays, got.Level, got.Payer, got.TimeLimitReached, got.KarensCompensation, got.AgeLimitReached, got.Milestones,
				want.sick, want.chainDay, want.frame, want.level, payerOf(want.kind), want.limited, want.compensation, want.ageLimit, want.milestones)
		}
	}
}

func TestChainDayGrowsByOnePerSickDayInsideACase(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for c := 0; c < 300; c++ {
		in := randomInput(rng, e)
		prev, err := e.Evaluate(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for step := 0; step < 40 && in.Date.Before(e.maxDate); step++ {
			in.Date = in.Date.AddDays(1)
			cur, err := e.Evaluate(in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Two sick days in a row are in one case, so the chain moves on
			// by exactly one.
			if prev.Sick && cur.Sick && cur.ChainDay != prev.ChainDay+1 {
				t.Fatalf("%v: chain day %d after %d", in.Date, cur.ChainDay, prev.ChainDay)
			}
			// The first sick day after a gap either continues the case or
			// starts a new one at day 1.
			if !prev.Sick && cur.Sick && cur.ChainDay != 1 && cur.Milestones.Day91.IsZero() {
				t.Fatalf("%v: chain day %d without milestones", in.Date, cur.ChainDay)
			}
			prev = cur
		}
	}
}

func TestAmountsNeverExceedTheYearsMaximum(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for c := 0; c < 3000; c++ {
		in := randomInput(rng, e)
		in.AnnualIncome = float64(rng.IntN(2_000_000))
		r, err := e.Evaluate(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		max := e.maxNormalFull[in.Date.Year()-e.pbbYear0]
		if r.FullDailyAmount.Normal > max || r.FullDailyAmount.Continuation > max || r.DailyAmount > max {
			t.Fatalf("%v: amounts %+v / %d above the year's maximum %d", in.Date, r.FullDailyAmount, r.DailyAmount, max)
		}
		if r.Payer != PayerFK && r.DailyAmount != 0 {
			t.Fatalf("%v: payer %s but daily amount %d", in.Date, r.Payer, r.DailyAmount)
		}
	}
}

func TestResultsDoNotDependOnPeriodOrder(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(7, 8))
	for c := 0; c < 1000; c++ {
		in := randomInput(rng, e)
		a, err := e.Evaluate(in, Options{Trace: true})
		if err != nil {
			t.Fatal(err)
		}
		rng.Shuffle(len(in.Periods), func(i, j int) { in.Periods[i], in.Periods[j] = in.Periods[j], in.Periods[i] })
		b, err := e.Evaluate(in, Options{Trace: true})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("order changed the result:\n%+v\n%+v", a, b)
		}
	}
}

func TestBatchEncoderMatchesEncodingJSON(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(9, 10))
	for c := 0; c < 500; c++ {
		in := randomInput(rng, e)
		for _, tr := range []bool{false, true} {
			r, err := e.Evaluate(in, Options{Trace: tr})
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendResult(nil, &r); !bytes.Equal(got, want) {
				t.Fatalf("appendResult differs from json.Marshal:\n%s\n%s", got, want)
			}
		}
	}
	for _, s := range []string{"", "a\"b\\c", "<&>", "\u2028\u2029", "\x01\x1f\t\n\r", "åäö §", "\xff"} {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestInputRoundTripsThroughJSON(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(11, 12))
	for c := 0; c < 300; c++ {
		in := randomInput(rng, e)
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseInput(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(in, back) {
			t.Fatalf("round trip changed the input:\n%+v\n%+v", in, back)
		}
	}
}

// randomCases is how many random cases a property test tries: 1500, 200
// with -short; a long local run may ask for more with RULES_CASES:
// RULES_CASES=100000 go test ./rules -run Reference.
func randomCases() int {
	if testing.Short() {
		return 200
	}
	if n, _ := strconv.Atoi(os.Getenv("RULES_CASES")); n > 0 {
		return n
	}
	return 1500
}

func TestEngineIsSafeForConcurrentUse(t *testing.T) {
	e := testEngine(t)
	in, err := ParseInput([]byte(lineTemplates[2]))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.Evaluate(in, Options{Trace: true})
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i := 0; i < 200; i++ {
				got, err := e.Evaluate(in, Options{Trace: true})
				ok = ok && err == nil && reflect.DeepEqual(got, want)
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("concurrent evaluations disagree")
		}
	}
}
