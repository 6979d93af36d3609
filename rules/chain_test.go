package rules

import (
	"errors"
	"reflect"
	"testing"
)

// Computed chains: each case is derived by hand from the cited rules (C),
// not from a published worked example. The comments give the arithmetic.

func sickPeriod(from, to string, degree int) Period {
	p := Period{From: mustDate(from), Degree: degree}
	if to != "" {
		p.To = mustDate(to)
	}
	return p
}

func evaluate(t *testing.T, date string, emp Employment, income float64, serious bool, ps ...Period) Result {
	t.Helper()
	r, err := testEngine(t).Evaluate(Input{Date: mustDate(date), Employment: emp, AnnualIncome: income, Periods: ps, SeriousIllness: serious}, Options{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type dayWant struct {
	date     string
	chainDay int
	phase    string
	payer    string
	level    string
	frame    int // -1: not checked
	amount   int64
	limit    bool
}

func checkDays(t *testing.T, emp Employment, income float64, serious bool, ps []Period, wants []dayWant) {
	t.Helper()
	for _, w := range wants {
		r := evaluate(t, w.date, emp, income, serious, ps...)
		if r.ChainDay != w.chainDay || r.Payer != w.payer || r.Level != w.level || r.DailyAmount != w.amount ||
			r.TimeLimitReached != w.limit || (w.phase != "" && r.ChainPhase != w.phase) || (w.frame >= 0 && r.FrameDays != w.frame) {
			t.Errorf("%s: got chain %d %q payer %s level %s frame %d amount %d limit %v\n want chain %d %q payer %s level %s frame %d amount %d limit %v",
				w.date, r.ChainDay, r.ChainPhase, r.Payer, r.Level, r.FrameDays, r.DailyAmount, r.TimeLimitReached,
				w.chainDay, w.phase, w.payer, w.level, w.frame, w.amount, w.limit)
		}
	}
}

func TestEmployeeBefore2019HasKarensdagThenSjuklonThenSjukpenning(t *testing.T) {
	// 2015: karensdag on day 1 (AFL/SFB 27 kap. 27 § old wording), sjuklön
	// days 2–14 (SjLL 7 §), sjukpenning from day 15 (27 kap. 9 §). On day
	// 15 the 13 sjuklön days already count toward the frame (27 kap. 22 §).
	// 300 000 kr in 2015: 300 000 × 0.776 / 365 = 637.8 -> 638 kr.
	ps := []Period{sickPeriod("2015-03-02", "", 100)}
	checkDays(t, Employee, 300000, false, ps, []dayWant{
		{"2015-03-02", 1, Phase1To90, PayerNone, LevelNone, 0, 0, false},
		{"2015-03-03", 2, Phase1To90, PayerEmployer, LevelNone, 0, 0, false},
		{"2015-03-15", 14, Phase1To90, PayerEmployer, LevelNone, 0, 0, false},
		{"2015-03-16", 15, Phase1To90, PayerFK, LevelNormal, 13, 638, false},
		{"2015-03-17", 16, Phase1To90, PayerFK, LevelNormal, 14, 638, false},
	})
}

func TestEmployeeFrom2019HasKarensavdragOnSjuklonNotAKarensdag(t *testing.T) {
	// From 2019-01-01 the employer pays sjuklön from day 1, less the
	// karensavdrag (SjLL 6 §, SFS 2018:648); the rule of the day the
	// sjukperiod starts applies.
	checkDays(t, Employee, 300000, false, []Period{sickPeriod("2019-01-01", "", 100)}, []dayWant{
		{"2019-01-01", 1, Phase1To90, PayerEmployer, LevelNone, 0, 0, false},
		{"2019-01-15", 15, Phase1To90, PayerFK, LevelNormal, 13, 638, false}, // 300 000 × 0.776 / 365 = 637.8
	})
}

func TestKarensRuleFollowsTheDayTheSjukperiodStarts(t *testing.T) {
	// A sjukperiod that starts on 2018-12-31 begins with a karensdag even
	// though the evaluated day falls in 2019.
	r := evaluate(t, "2018-12-31", Employee, 300000, false, sickPeriod("2018-12-31", "", 100))
	if r.Payer != PayerNone {
		t.Errorf("2018-12-31: payer %s, want none (karensdag)", r.Payer)
	}
	r = evaluate(t, "2019-01-01", Employee, 300000, false, sickPeriod("2019-01-01", "", 100))
	if r.Payer != PayerEmployer {
		t.Errorf("2019-01-01: payer %s, want employer (karensavdrag)", r.Payer)
	}
}

func TestUnemployedKarensdagBefore2019AndKarensavdragAfter(t *testing.T) {
	// 2015: day 1 karensdag, sjukpenning from day 2 (no sjuklöneperiod).
	checkDays(t, Unemployed, 300000, false, []Period{sickPeriod("2015-03-02", "", 100)}, []dayWant{
		{"2015-03-02", 1, Phase1To90, PayerNone, LevelNone, 0, 0, false},
		{"2015-03-03", 2, Phase1To90, PayerFK, LevelNormal, 0, 486, false}, // capped at 486 (28 kap. 11 §)
	})
	// 2020: day 1 is a sjukpenning day whose whole benefit goes to the
	// karensavdrag (27 kap. 27 §); it does not count toward the 364 days
	// (27 kap. 21 §), so the frame on day 2 is 0.
	checkDays(t, Unemployed, 200000, false, []Period{sickPeriod("2020-03-02", "", 100)}, []dayWant{
		{"2020-03-02", 1, Phase1To90, PayerFK, LevelNormal, 0, 0, false},
		{"2020-03-03", 2, Phase1To90, PayerFK, LevelNormal, 0, 425, false}, // 200 000 × 0.776 / 365 = 425.2
	})
}

func TestSelfEmployedWaitOneDayUntilMid2010AndSevenDaysAfter(t *testing.T) {
	checkDays(t, SelfEmployed, 300000, false, []Period{sickPeriod("2009-03-02", "", 100)}, []dayWant{
		{"2009-03-02", 1, Phase1To90, PayerNone, LevelNone, 0, 0, false},
		{"2009-03-03", 2, Phase1To90, PayerFK, LevelNormal, 0, 638, false},
	})
	checkDays(t, SelfEmployed, 300000, false, []Period{sickPeriod("2012-03-05", "", 100)}, []dayWant{
		{"2012-03-11", 7, Phase1To90, PayerNone, LevelNone, 0, 0, false},
		{"2012-03-12", 8, Phase1To90, PayerFK, LevelNormal, 0, 638, false},
	})
}

func TestPeriodsFewerThan90DaysApartAreOneCase(t *testing.T) {
	a := sickPeriod("2021-01-01", "2021-03-31", 100) // 90 days
	// 89 days between: 2021-04-01 … 2021-06-28. The chain goes on at 91;
	// the gap days are not counted (27 kap. 51 §).
	r := evaluate(t, "2021-06-29", Employee, 300000, false, a, sickPeriod("2021-06-29", "", 100))
	if r.ChainDay != 91 || r.ChainPhase != Phase91To180 {
		t.Errorf("89 days apart: chain day %d %q, want 91 91-180", r.ChainDay, r.ChainPhase)
	}
	if got := r.Milestones.Day91; got != mustDate("2021-06-29") {
		t.Errorf("day 91 milestone %v", got)
	}
	// 90 days between: a new case starts at day 1.
	r = evaluate(t, "2021-06-30", Employee, 300000, false, a, sickPeriod("2021-06-30", "", 100))
	if r.ChainDay != 1 {
		t.Errorf("90 days apart: chain day %d, want 1", r.ChainDay)
	}
}

func TestNewSjukperiodWithinFiveDaysContinuesKarensAndSjuklon(t *testing.T) {
	a := sickPeriod("2015-03-02", "2015-03-11", 100) // sjukperiod days 1–10
	// Starts 5 days after the end (27 kap. 32 §, SjLL 7 §): the same
	// sjukperiod, so day 11, no new karensdag, sjukpenning from day 15.
	b := sickPeriod("2015-03-16", "", 100)
	checkDays(t, Employee, 300000, false, []Period{a, b}, []dayWant{
		{"2015-03-16", 11, "", PayerEmployer, LevelNone, -1, 0, false},
		{"2015-03-19", 14, "", PayerEmployer, LevelNone, -1, 0, false},
		{"2015-03-20", 15, "", PayerFK, LevelNormal, 13, 638, false},
	})
	// Starts 6 days after: a new sjukperiod with a new karensdag.
	c := sickPeriod("2015-03-17", "", 100)
	checkDays(t, Employee, 300000, false, []Period{a, c}, []dayWant{
		{"2015-03-17", 11, "", PayerNone, LevelNone, 0, 0, false},
	})
}

func TestSjuklonCountsTowardTheFrameOnlyWhenSjukpenningFollows(t *testing.T) {
	// 10 days: never reaches sjukpenning, nothing counts.
	r := evaluate(t, "2015-04-01", Employee, 300000, false, sickPeriod("2015-03-02", "2015-03-11", 100))
	if r.FrameDays != 0 || r.Sick {
		t.Errorf("after 10 days of sjuklön: frame %d sick %v, want 0 false", r.FrameDays, r.Sick)
	}
	// 20 days: the 13 sjuklön days and 6 sjukpenning days count.
	r = evaluate(t, "2015-04-01", Employee, 300000, false, sickPeriod("2015-03-02", "2015-03-21", 100))
	if r.FrameDays != 19 {
		t.Errorf("after 20 days: frame %d, want 19", r.FrameDays)
	}
}

func TestContinuationLevelStartsOnDay366(t *testing.T) {
	// Karensdag (day 1) does not count; days 2–365 are 364 counted days,
	// so day 366 is the first with a full frame (27 kap. 21–22 §§).
	// 300 000 kr: 638 normal, 300 000 × 0.7275 / 365 = 597.9 -> 598.
	checkDays(t, Employee, 300000, false, []Period{sickPeriod("2015-01-01", "", 100)}, []dayWant{
		{"2015-12-31", 365, Phase181To365, PayerFK, LevelNormal, 363, 638, false},
		{"2016-01-01", 366, Phase366On, PayerFK, LevelContinuation, 364, 598, false},
	})
	// The same for the unemployed after 2019: the karensavdrag day does not
	// count either.
	checkDays(t, Unemployed, 200000, false, []Period{sickPeriod("2021-01-01", "", 100)}, []dayWant{
		{"2021-12-31", 365, Phase181To365, PayerFK, LevelNormal, 363, 425, false},
		{"2022-01-01", 366, Phase366On, PayerFK, LevelContinuation, 364, 399, false},
	})
	r := evaluate(t, "2015-06-01", Employee, 300000, false, sickPeriod("2015-01-01", "", 100))
	if r.Milestones.ContinuationLevel != mustDate("2016-01-01") || r.Milestones.Day366 != mustDate("2016-01-01") {
		t.Errorf("milestones %+v", r.Milestones)
	}
}

func TestNormalLevelReturnsAfter87UncountedDaysInTheFrame(t *testing.T) {
	// Unemployed, sick 500 days from 2011-01-03 (karensdag, then 499
	// counted days), then a gap of g days and a new sjukperiod whose first
	// day is again a karensdag. On its second day the frame holds
	// 450 − (g + 1) counted days: the normal level needs fewer than 364,
	// so g ≥ 86, i.e. 87 uncounted days (the gap and the karensdag).
	start := mustDate("2011-01-03")
	end := start.AddDays(499)
	for _, c := range []struct {
		gap   int
		level string
	}{{85, LevelContinuation}, {86, LevelNormal}} {
		next := end.AddDays(c.gap + 1)
		ps := []Period{{From: start, To: end, Degree: 100}, {From: next, Degree: 100}}
		r := evaluate(t, next.AddDays(1).String(), Unemployed, 300000, false, ps...)
		if r.Level != c.level || r.FrameDays != 449-c.gap {
			t.Errorf("gap %d: level %s frame %d, want %s %d", c.gap, r.Level, r.FrameDays, c.level, 449-c.gap)
		}
	}
}

func TestTimeLimitAfter364Plus550Days(t *testing.T) {
	// Sick from 2009-01-01: normal level days 2–365, continuation days
	// 366–915 (550 days), no benefit from day 916 = 2011-07-05 (AFL 3 kap.
	// 4 §, SFB 27 kap. 24 a §; ISF: 364 + 550 = 914 benefit days).
	ps := []Period{sickPeriod("2009-01-01", "", 100)}
	checkDays(t, Employee, 300000, false, ps, []dayWant{
		{"2011-07-04", 915, Phase366On, PayerFK, LevelContinuation, 450, 598, false},
		{"2011-07-05", 916, Phase366On, PayerNone, LevelNone, 450, 0, true},
	})
	for _, d := range []string{"2010-06-01", "2011-07-04", "2011-07-05", "2012-01-01"} {
		r := evaluate(t, d, Employee, 300000, false, ps...)
		if r.Milestones.TimeLimit != mustDate("2011-07-05") || r.Milestones.ContinuationLevel != mustDate("2010-01-01") {
			t.Errorf("%s: milestones %+v, want time limit 2011-07-05, continuation 2010-01-01", d, r.Milestones)
		}
	}
}

func TestTimeLimitAbolishedOn20160201(t *testing.T) {
	// Sick from 2013-06-01: day 916 is 2015-12-03, so the limit held from
	// then until 2016-01-31 (SFS 2015:963); on 2016-02-01 sjukpenning is
	// paid again at the continuation level: the 60 unpaid days leave 390
	// counted days in the frame.
	ps := []Period{sickPeriod("2013-06-01", "", 100)}
	checkDays(t, Employee, 300000, false, ps, []dayWant{
		{"2015-12-02", 915, Phase366On, PayerFK, LevelContinuation, -1, 598, false},
		{"2015-12-03", 916, Phase366On, PayerNone, LevelNone, -1, 0, true},
		{"2016-01-31", 975, Phase366On, PayerNone, LevelNone, -1, 0, true},
		{"2016-02-01", 976, Phase366On, PayerFK, LevelContinuation, 390, 598, false},
	})
	// A case whose day 916 would fall after 2016-01-31 never meets it.
	r := evaluate(t, "2015-06-01", Employee, 300000, false, sickPeriod("2014-01-01", "", 100))
	if !r.Milestones.TimeLimit.IsZero() {
		t.Errorf("time limit milestone %v, want null", r.Milestones.TimeLimit)
	}
	r = evaluate(t, "2016-07-04", Employee, 300000, false, sickPeriod("2014-01-01", "", 100))
	if r.Payer != PayerFK || r.Level != LevelContinuation || r.TimeLimitReached {
		t.Errorf("2016-07-04: %s %s limit %v", r.Payer, r.Level, r.TimeLimitReached)
	}
}

func TestSeriousIllnessKeepsTheNormalLevelAndNeverReachesTheLimit(t *testing.T) {
	r := evaluate(t, "2013-06-01", Employee, 300000, true, sickPeriod("2011-01-01", "", 100))
	if r.Level != LevelNormal || r.Payer != PayerFK || r.TimeLimitReached {
		t.Errorf("level %s payer %s limit %v", r.Level, r.Payer, r.TimeLimitReached)
	}
	if !r.Milestones.ContinuationLevel.IsZero() || !r.Milestones.TimeLimit.IsZero() {
		t.Errorf("milestones %+v, want no continuation level and no time limit", r.Milestones)
	}
}

func TestChainPhaseBoundaries(t *testing.T) {
	ps := []Period{sickPeriod("2020-01-01", "", 100)}
	for _, c := range []struct {
		date  string
		day   int
		phase string
	}{
		{"2020-03-30", 90, Phase1To90}, {"2020-03-31", 91, Phase91To180},
		{"2020-06-28", 180, Phase91To180}, {"2020-06-29", 181, Phase181To365},
		{"2020-12-30", 365, Phase181To365}, {"2020-12-31", 366, Phase366On},
	} {
		r := evaluate(t, c.date, Employee, 300000, false, ps...)
		if r.ChainDay != c.day || r.ChainPhase != c.phase {
			t.Errorf("%s: %d %q, want %d %q", c.date, r.ChainDay, r.ChainPhase, c.day, c.phase)
		}
	}
}

func TestNotSickGivesZerosButStillTheAmounts(t *testing.T) {
	r := evaluate(t, "2023-06-01", Employee, 300000, false, sickPeriod("2023-01-01", "2023-02-28", 100))
	if r.Sick || r.ChainDay != 0 || r.ChainPhase != "" || r.Payer != PayerNone || r.Level != LevelNone ||
		r.DailyAmount != 0 || r.Milestones != (Milestones{}) {
		t.Errorf("not sick: %+v", r)
	}
	if r.SGI != 300000 || r.FullDailyAmount.Normal != 638 || r.FrameDays != 59-1 {
		t.Errorf("amounts %d %+v frame %d", r.SGI, r.FullDailyAmount, r.FrameDays)
	}
}

func TestSGIThresholdAndCapChangeOnTheirExactDates(t *testing.T) {
	for _, c := range []struct {
		date   string
		income float64
		sgi    int64
	}{
		{"2022-06-01", 11591, 0},     // below 0.24 × 48 300 = 11 592 (25 kap. 3 §)
		{"2022-06-01", 11592, 11500}, // reaches it; rounded down (25 kap. 5 §)
		{"2018-06-30", 400000, 341200},
		{"2018-07-01", 400000, 364000},
		{"2021-12-31", 500000, 380800},
		{"2022-01-01", 500000, 483000},
		{"2022-06-01", 299999.99, 299900},
	} {
		r := evaluate(t, c.date, Employee, c.income, false)
		if r.SGI != c.sgi {
			t.Errorf("%s income %v: SGI %d, want %d", c.date, c.income, r.SGI, c.sgi)
		}
	}
}

func TestPartTimeBenefitIsTheDegreesShareRoundedHalfUp(t *testing.T) {
	for _, c := range []struct {
		emp    Employment
		degree int
		want   int64
	}{
		{Employee, 100, 1027}, {Employee, 75, 770}, {Employee, 50, 514}, {Employee, 25, 257},
		{Unemployed, 50, 272}, // 543 / 2 = 271.5
	} {
		r := evaluate(t, "2022-06-01", c.emp, 1e6, false, sickPeriod("2022-01-03", "", c.degree))
		if r.DailyAmount != c.want {
			t.Errorf("%s at %d %%: %d, want %d", c.emp, c.degree, r.DailyAmount, c.want)
		}
	}
}

func TestFuturePeriodsDoNotChangeTheDay(t *testing.T) {
	a := evaluate(t, "2023-03-01", Employee, 300000, false, sickPeriod("2023-01-01", "2023-03-10", 100))
	b := evaluate(t, "2023-03-01", Employee, 300000, false, sickPeriod("2023-01-01", "2023-03-10", 100), sickPeriod("2023-03-12", "", 50))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("a later period changed the result:\n%+v\n%+v", a, b)
	}
}

func TestBadInputGivesStableErrorCodes(t *testing.T) {
	e := testEngine(t)
	cases := []struct {
		name, json, code, field string
	}{
		{"malformed JSON", `{`, CodeInvalidJSON, ""},
		{"not an object", `[1]`, CodeInvalidType, ""},
		{"impossible date", `{"date":"2014-13-40"}`, CodeInvalidDate, "date"},
		{"date with time", `{"date":"2014-01-01T00:00:00Z"}`, CodeInvalidDate, "date"},
		{"unknown field", `{"date":"2014-01-01","x":1}`, CodeUnknownField, "x"},
		{"unknown field in a period", `{"periods":[{"from":"2014-01-01","degree":100,"grade":1}]}`, CodeUnknownField, "periods[0].grade"},
		{"duplicate field", `{"date":"2014-01-01","date":"2014-01-02"}`, CodeInvalidJSON, "date"},
		{"data after the object", `{"date":"2014-01-01"} {}`, CodeInvalidJSON, ""},
		{"missing date", `{"employment":"employee","annual_income":1,"periods":[]}`, CodeMissingField, "date"},
		{"missing periods", `{"date":"2014-01-01","employment":"employee","annual_income":1}`, CodeMissingField, "periods"},
		{"unknown employment", `{"date":"2014-01-01","employment":"student","annual_income":1,"periods":[]}`, CodeUnknownEmployment, "employment"},
		{"income as a string", `{"date":"2014-01-01","employment":"employee","annual_income":"1","periods":[]}`, CodeInvalidType, "annual_income"},
		{"negative income", `{"date":"2014-01-01","employment":"employee","annual_income":-1,"periods":[]}`, CodeNegativeIncome, "annual_income"},
		{"absurd income", `{"date":"2014-01-01","employment":"employee","annual_income":1e300,"periods":[]}`, CodeInvalidIncome, "annual_income"},
		{"degree 60", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-01","degree":60}]}`, CodeInvalidDegree, "periods[0].degree"},
		{"degree missing", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-01"}]}`, CodeMissingField, "periods[0].degree"},
		{"from missing", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-01","degree":100},{"degree":100}]}`, CodeMissingField, "periods[1].from"},
		{"periods not a list", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":{}}`, CodeInvalidType, "periods"},
		{"serious_illness not a boolean", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":[],"serious_illness":"yes"}`, CodeInvalidType, "serious_illness"},
		{"to before from", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-05","to":"2014-01-01","degree":100}]}`, CodeToBeforeFrom, "periods[0].to"},
		{"overlapping periods", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-05","degree":100},{"from":"2013-12-01","to":"2014-01-05","degree":50}]}`, CodeOverlappingPeriods, "periods[1].from"},
		{"date before the chain existed", `{"date":"2008-06-30","employment":"employee","annual_income":1,"periods":[]}`, CodeDateOutOfRange, "date"},
		{"date past the provisional years after the last prisbasbelopp", `{"date":"2031-01-01","employment":"employee","annual_income":1,"periods":[]}`, CodeDateOutOfRange, "date"},
		{"period before the history rules", `{"date":"2014-01-01","employment":"employee","annual_income":1,"periods":[{"from":"2004-12-31","degree":100}]}`, CodeDateOutOfRange, "periods[0].from"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := ParseInput([]byte(c.json))
			if err == nil {
				_, err = e.Evaluate(in, Options{})
			}
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not *Error", err)
			}
			if re.Code != c.code || re.Field != c.field {
				t.Errorf("got %s %q (%s), want %s %q", re.Code, re.Field, re.Message, c.code, c.field)
			}
			if re.Message == "" || re.MessageSV == "" {
				t.Errorf("missing message: %+v", re)
			}
		})
	}
}

func TestLimitStraightAfterTheNormalLevelHasNoContinuationMilestone(t *testing.T) {
	// Sick 2008-02-07 → 2010-10-09 with short breaks: the case used its 550
	// continuation days (AFL 3 kap. 4 §, SFB 27 kap. 24 a §) before the
	// break of 2010-10-10 → 2011-01-06. Back on 2011-01-07, the frame has
	// room again and the normal level is paid for 364 days; on 2012-01-07
	// the level would switch, but no continuation day is left, so the time
	// limit holds from that day. No day of this run is at the continuation
	// level: the milestone is null, on the day before (projected) and after.
	e := testEngine(t)
	const periods = `[{"from":"2008-02-07","to":"2008-06-14","degree":50},{"from":"2008-06-15","to":"2008-09-24","degree":50},` +
		`{"from":"2008-11-24","to":"2010-10-09","degree":50},{"from":"2011-01-07","to":"2013-03-01","degree":100}]`
	for _, c := range []struct {
		date    string
		limited bool
	}{{"2012-01-06", false}, {"2012-01-07", true}, {"2012-02-01", true}} {
		in, err := ParseInput([]byte(`{"date":"` + c.date + `","employment":"employee","annual_income":405655,"periods":` + periods + `}`))
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Evaluate(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.TimeLimitReached != c.limited || r.Milestones.TimeLimit != mustDate("2012-01-07") || !r.Milestones.ContinuationLevel.IsZero() {
			t.Errorf("%s: limit reached %v, milestones %+v; want limit %v from 2012-01-07 and no continuation level",
				c.date, r.TimeLimitReached, r.Milestones, c.limited)
		}
	}
}
