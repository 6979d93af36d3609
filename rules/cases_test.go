package rules

import (
	"math/rand/v2"
	"testing"
)

// SFB 27 kap. 51 §: sjukperioder are added together when fewer than 90
// days passed between them (chain_join_gap_days.json); "between" counts
// the days with neither period.
func TestSameCaseJoinsPeriodsFewerThan90DaysApart(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		name           string
		prevLast, next string
		want           bool
	}{
		{"overlapping", "2020-01-31", "2020-01-20", true},
		{"adjacent", "2020-01-31", "2020-02-01", true},
		{"89 days between", "2020-01-31", "2020-04-30", true}, // Feb 29 + Mar 31 + Apr 1–29
		{"90 days between", "2020-01-31", "2020-05-01", false},
		{"before the engine's first date, read at 2008-07-01", "2006-01-01", "2006-03-31", true},
		{"after the engine's last date", "2030-01-01", "2030-06-01", false},
	} {
		if got := e.SameCase(mustDate(tc.prevLast), mustDate(tc.next)); got != tc.want {
			t.Errorf("%s: SameCase(%s, %s) = %v, want %v", tc.name, tc.prevLast, tc.next, got, tc.want)
		}
	}
}

func TestChainDayDateCountsSickDaysOfTheCaseAndProjectsPastIt(t *testing.T) {
	e := testEngine(t)
	// Two periods 21 gap days apart are one case (27 kap. 51 §); a third,
	// 90 days after the second, starts a new one.
	ps := []Period{
		sickPeriod("2024-02-01", "2024-02-10", 50), // given out of order
		sickPeriod("2024-01-01", "2024-01-10", 100),
		sickPeriod("2024-05-11", "2024-05-20", 100),
	}
	for _, tc := range []struct {
		name, date string
		n          int
		want       string // "" when ok is false
	}{
		{"first day", "2024-01-05", 1, "2024-01-01"},
		{"last day of the first period", "2024-01-05", 10, "2024-01-10"},
		{"gap days are not counted", "2024-01-05", 11, "2024-02-01"},
		{"the case of a gap day is the one before it", "2024-01-20", 20, "2024-02-10"},
		{"projected from the last certified day", "2024-02-05", 25, "2024-02-15"},
		{"a new case counts from its own first day", "2024-05-15", 1, "2024-05-11"},
		{"a later case does not change the projection", "2024-02-05", 120, "2024-05-20"},
		{"no period on or before the date", "2023-12-31", 1, ""},
		{"day 0 does not exist", "2024-01-05", 0, ""},
	} {
		got, ok := e.ChainDayDate(ps, mustDate(tc.date), tc.n)
		if tc.want == "" {
			if ok {
				t.Errorf("%s: got %v, want none", tc.name, got)
			}
			continue
		}
		if !ok || got != mustDate(tc.want) {
			t.Errorf("%s: ChainDayDate(%s, %d) = %v, %v; want %s", tc.name, tc.date, tc.n, got, ok, tc.want)
		}
	}
	c, ok := e.CaseSpan(ps, mustDate("2024-03-01"))
	if want := (CaseSpan{First: mustDate("2024-01-01"), Last: mustDate("2024-02-10"), Days: 20}); !ok || c != want {
		t.Errorf("CaseSpan = %+v, %v; want %+v", c, ok, want)
	}
	open := append(ps[:2:2], sickPeriod("2024-02-20", "", 100))
	if c, ok := e.CaseSpan(open, mustDate("2024-03-01")); !ok || !c.Open || !c.Last.IsZero() || c.Days != 0 {
		t.Errorf("open-ended CaseSpan = %+v, %v", c, ok)
	}
	if d, ok := e.ChainDayDate(open, mustDate("2024-03-01"), 400); !ok || d != mustDate("2024-02-20").AddDays(400-21) {
		t.Errorf("day 400 in an open-ended period = %v, %v", d, ok)
	}
}

func TestChainDayDateRefusesWhatEvaluateRefuses(t *testing.T) {
	e := testEngine(t)
	for name, ps := range map[string][]Period{
		"overlap":        {sickPeriod("2024-01-01", "2024-01-10", 100), sickPeriod("2024-01-10", "2024-01-20", 100)},
		"to before from": {sickPeriod("2024-01-10", "2024-01-01", 100)},
		"no start":       {{To: mustDate("2024-01-10"), Degree: 100}},
	} {
		if d, ok := e.ChainDayDate(ps, mustDate("2024-01-15"), 1); ok {
			t.Errorf("%s: got %v", name, d)
		}
		if c, ok := e.CaseSpan(ps, mustDate("2024-01-15")); ok {
			t.Errorf("%s: got %+v", name, c)
		}
	}
}

// The property the case work relies on: ChainDayDate inverts Evaluate's
// ChainDay, and CaseSpan names the days Evaluate counts, on random cases.
func TestChainDayDateAgreesWithEvaluateOnRandomCases(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(11, 12))
	cases := randomCases()
	first, last := e.DateRange()
	evalAt := func(in Input, d Date) (Result, bool) {
		if d.Before(first) || d.After(last) {
			return Result{}, false
		}
		in.Date = d
		// The chain does not depend on karens or age; a karenstid chosen
		// for the evaluated date may not have been offered on d.
		in.KarenstidDays, in.KarenstidFrom, in.BirthDate = 0, Date{}, Date{}
		r, err := e.Evaluate(in, Options{})
		if err != nil {
			t.Fatalf("%v: %v", d, err)
		}
		return r, true
	}
	covered := func(ps []Period, d Date) bool {
		for _, p := range ps {
			if !d.Before(p.From) && (p.To.IsZero() || !d.After(p.To)) {
				return true
			}
		}
		return false
	}
	checked, sick := 0, 0
	for c := 0; c < cases; c++ {
		in := randomInput(rng, e)
		r, err := e.Evaluate(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Sick {
			sick++
			// Evaluate's day, found again.
			if d, ok := e.ChainDayDate(in.Periods, in.Date, r.ChainDay); !ok || d != in.Date {
				t.Fatalf("case %d: chain day %d on %v, ChainDayDate gives %v, %v\n%+v", c, r.ChainDay, in.Date, d, ok, in)
			}
			// Milestones reached in the case are the dates of days 91, 181, 366.
			for i, m := range []Date{r.Milestones.Day91, r.Milestones.Day181, r.Milestones.Day366} {
				n := []int{91, 181, 366}[i]
				if r.ChainDay >= n {
					if d, _ := e.ChainDayDate(in.Periods, in.Date, n); d != m {
						t.Fatalf("case %d: day %d on %v, milestone %v\n%+v", c, n, d, m, in)
					}
				}
			}
			span, ok := e.CaseSpan(in.Periods, in.Date)
			if !ok {
				t.Fatalf("case %d: no case span on a sick day", c)
			}
			if r1, ok := evalAt(in, span.First); ok && r1.ChainDay != 1 {
				t.Fatalf("case %d: first day %v has chain day %d", c, span.First, r1.ChainDay)
			}
			if !span.Open {
				if rl, ok := evalAt(in, span.Last); ok && rl.ChainDay != span.Days {
					t.Fatalf("case %d: last day %v has chain day %d, span says %d", c, span.Last, rl.ChainDay, span.Days)
				}
			}
		}
		// Any day n of the case, where it is certified. A projection past
		// the case can land in a later case's period; there it is a
		// hypothesis, not a day Evaluate counts.
		span, _ := e.CaseSpan(in.Periods, in.Date)
		for k := 0; k < 5; k++ {
			n := 1 + rng.IntN(1200)
			d, ok := e.ChainDayDate(in.Periods, in.Date, n)
			if !ok || !covered(in.Periods, d) || (!span.Open && d.After(span.Last)) {
				continue
			}
			if rd, ok := evalAt(in, d); ok {
				checked++
				if rd.ChainDay != n {
					t.Fatalf("case %d: ChainDayDate(%d) = %v, where Evaluate counts day %d\n%+v", c, n, d, rd.ChainDay, in)
				}
			}
		}
	}
	if checked < cases || sick < cases/4 {
		t.Fatalf("only %d dates checked, %d sick days of %d cases", checked, sick, cases)
	}
}

// Evaluate restarts the chain exactly where SameCase says a period does not
// join: on the first day of every period after the first.
func TestSameCaseIsEvaluatesSplit(t *testing.T) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(13, 14))
	first, last := e.DateRange()
	for c := 0; c < 500; c++ {
		in := randomInput(rng, e)
		ps := append([]Period(nil), in.Periods...)
		var tmp [16]period
		sorted := tmp[:0]
		for i, p := range ps {
			to := int32(openEnd)
			if !p.To.IsZero() {
				to = p.To.Days()
			}
			sorted = append(sorted, period{from: p.From.Days(), to: to, idx: int32(i)})
		}
		sortPeriods(sorted)
		for i := 1; i < len(sorted); i++ {
			d := ps[sorted[i].idx].From
			if d.Before(first) || d.After(last) {
				continue
			}
			in.Date = d
			r, err := e.Evaluate(in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			prevLast := ps[sorted[i-1].idx].To
			if join := e.SameCase(prevLast, d); join == (r.ChainDay == 1) {
				t.Fatalf("case %d: SameCase(%v, %v) = %v but Evaluate gives chain day %d", c, prevLast, d, join, r.ChainDay)
			}
		}
	}
}
