package rules

import (
	"errors"
	"strings"
	"testing"
)

// Worked cases for the rules of karens beyond the default, the age limit
// and the pandemic compensation. Each is computed by hand from the cited
// paragraph (C); the comments give the counting.

const (
	srcSFB27  = "SFB 27 kap. (consolidated text as of 2025-12-22), copy at github.com/se-lex/sfs-processor data/md-markers/2010/sfs-2010-110-markers.md"
	srcDs129  = "Ds 2012:9 Karenstid för egenföretagare, section 1.1, https://lagen.nu/ds/2012:9"
	srcTenje  = "Regeringen 2024-12, Egenföretagare som har fyllt 55 kommer kunna välja en kortare karenstid, github.com/civictechsweden/g0vse (branch data) pressmeddelanden/2024/12/egenforetagare-som-har-fyllt-55-kommer-kunna-valja-en-kortare-karenstid.md"
	srcGovCov = "Regeringen, Åtgärder inom sjukförsäkringen med anledning av nya coronaviruset (700 kr from 2020-03-11; self-employed 804 kr a day for the first 14 days), https://www.gov.se/regeringens-politik/socialforsakringar/atgarder-inom-sjukforsakringen-med-anledning-av-corona/"
	srcArb20  = "Arbetet 2020-04-07 (804 kr from 2020-06-01), https://arbetet.se/2020/04/07/dags-att-soka-ersattning-for-karensavdraget/"
	srcArb22  = "Arbetet 2022-02-03 (withdrawn autumn 2021, 810 kr 2021-12-08 – 2022-03-31), https://arbetet.se/2022/02/03/dags-att-soka-ersattning-for-karensavdrag-det-har-galler-forsakringskassan-karensdag/"
)

// shortPeriods returns n one-day periods, the first on from and then every
// step days: each one a new sjukperiod (more than five days apart) with its
// own karens.
func shortPeriods(from string, n, step int) []Period {
	d := mustDate(from)
	var ps []Period
	for i := 0; i < n; i++ {
		ps = append(ps, Period{From: d, To: d, Degree: 100})
		d = d.AddDays(step)
	}
	return ps
}

func evalIn(t *testing.T, in Input) Result {
	t.Helper()
	r, err := testEngine(t).Evaluate(in, Options{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func traceRef(r Result, step string) string {
	for _, s := range r.Trace {
		if s.Step == step {
			return s.Ref
		}
	}
	return ""
}

// SFB 27 kap. 39 § första stycket (SFS 2018:647): after karensavdrag at ten
// occasions in the last twelve months, sjukpenning is paid without one.
func TestGeneralHighRiskProtectionAfterTenKarensavdrag(t *testing.T) {
	// Ten one-day sjukperioder, 20 days apart, from 2023-01-02: the tenth
	// on 2023-01-02 + 180 days = 2023-07-01. Each carried a karensavdrag.
	ten := shortPeriods("2023-01-02", 10, 20)
	cases := []struct {
		name      string
		emp       Employment
		periods   []Period
		date      string
		wantPayer string
		wantPaid  bool // the unemployed: Försäkringskassan pays the first day
		wantSeen  int64
	}{
		// The eleventh sjukperiod on 2023-07-21: ten occasions since
		// 2022-07-21, so no karensavdrag: the employer pays full sjuklön
		// (the payer is the employer either way; the trace says "none").
		{"employee, eleventh sjukperiod", Employee, append(ten, sickPeriod("2023-07-21", "2023-07-30", 100)), "2023-07-21", PayerEmployer, false, 10},
		// Unemployed: the first day of the eleventh sjukperiod is paid.
		{"unemployed, eleventh sjukperiod", Unemployed, append(shortPeriods("2023-01-02", 10, 20), sickPeriod("2023-07-21", "2023-07-30", 100)), "2023-07-21", PayerFK, true, 10},
		// Nine earlier occasions: the karensavdrag is made, nothing paid.
		{"unemployed, tenth sjukperiod", Unemployed, shortPeriods("2023-01-02", 10, 20), "2023-07-01", PayerFK, false, 9},
		// The first occasion (2023-01-02) falls out of the twelve months
		// before 2024-01-03: nine left, the karensavdrag is made again.
		{"unemployed, first occasion out of the twelve months", Unemployed, append(shortPeriods("2023-01-02", 10, 20), sickPeriod("2024-01-03", "", 100)), "2024-01-03", PayerFK, false, 9},
		// Before 2019 the same protection followed ten karensdagar.
		{"unemployed 2016, after ten karensdagar", Unemployed, append(shortPeriods("2016-01-04", 10, 20), sickPeriod("2016-07-22", "", 100)), "2016-07-22", PayerFK, true, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := evalIn(t, Input{Date: mustDate(c.date), Employment: c.emp, AnnualIncome: 300000, Periods: c.periods})
			if r.Payer != c.wantPayer {
				t.Errorf("payer %s, want %s (source: %s)", r.Payer, c.wantPayer, srcSFB27)
			}
			if paid := r.DailyAmount > 0; c.emp == Unemployed && paid != c.wantPaid {
				t.Errorf("first day paid %v (%d kr), want %v (source: %s, 27 kap. 39 §)", paid, r.DailyAmount, c.wantPaid, srcSFB27)
			}
			if got := traceValue(r, StepHighRisk); got != c.wantSeen {
				t.Errorf("karens occasions in twelve months %v, want %d", got, c.wantSeen)
			}
			if got, want := traceValue(r, StepKarens) == "none", c.wantSeen >= 10; got != want {
				t.Errorf("karens %v, want none: %v", traceValue(r, StepKarens), want)
			}
		})
	}
}

// Without the karensavdrag the first day of the sjukperiod counts toward
// the 364 days (27 kap. 21 § only leaves it out "om ett avdrag enligt 27 §
// ska göras").
func TestFirstDayCountsInTheFrameUnderHighRiskProtection(t *testing.T) {
	ps := append(shortPeriods("2023-01-02", 10, 20), sickPeriod("2023-07-21", "2023-07-30", 100))
	r := evalIn(t, Input{Date: mustDate("2023-07-22"), Employment: Unemployed, AnnualIncome: 300000, Periods: ps})
	// The ten earlier first days never counted; 2023-07-21 does.
	if r.FrameDays != 1 {
		t.Errorf("frame days %d on the second day, want 1 (source: %s, 27 kap. 21 §)", r.FrameDays, srcSFB27)
	}
}

// SFB 27 kap. 39 § första stycket, the self-employed: karensdagar lost in
// five sjukperioder in twelve months, at least 21 days in all.
func TestSelfEmployedHighRiskProtection(t *testing.T) {
	week := func(from string) Period { d := mustDate(from); return Period{From: d, To: d.AddDays(9), Degree: 100} }
	// Five sjukperioder of ten days, 2023-01-02 … 2023-05-01, each losing
	// its seven karensdagar: 35 days.
	five := []Period{week("2023-01-02"), week("2023-02-01"), week("2023-03-03"), week("2023-04-02"), week("2023-05-02")}
	r := evalIn(t, Input{Date: mustDate("2023-06-01"), Employment: SelfEmployed, AnnualIncome: 300000, Periods: append(five, week("2023-06-01"))})
	if r.Payer != PayerFK || traceValue(r, StepKarens) != "none" {
		t.Errorf("sixth sjukperiod: payer %s, karens %v; want fk, none (source: %s, 27 kap. 39 §)", r.Payer, traceValue(r, StepKarens), srcSFB27)
	}
	// Five one-day sjukperioder lose only five days, fewer than 21: the
	// karensdagar stay.
	r = evalIn(t, Input{Date: mustDate("2023-06-01"), Employment: SelfEmployed, AnnualIncome: 300000,
		Periods: append(shortPeriods("2023-01-02", 5, 20), week("2023-06-01"))})
	if r.Payer != PayerNone || traceValue(r, StepKarens) != "karensdagar 7" {
		t.Errorf("after five one-day periods: payer %s, karens %v; want none, karensdagar 7", r.Payer, traceValue(r, StepKarens))
	}
}

// SFB 27 kap. 29–30 §§: a chosen karenstid replaces the seven karensdagar;
// 33 §: a sjukperiod within 20 days continues it.
func TestChosenKarenstid(t *testing.T) {
	base := Input{Employment: SelfEmployed, AnnualIncome: 300000, KarenstidDays: 30}
	in := base
	in.Periods = []Period{sickPeriod("2024-03-01", "2024-04-30", 100)}
	for _, c := range []struct {
		date  string
		payer string
	}{{"2024-03-30", PayerNone}, {"2024-03-31", PayerFK}} {
		in.Date = mustDate(c.date)
		if r := evalIn(t, in); r.Payer != c.payer {
			t.Errorf("%s: payer %s, want %s (day 30 of a karenstid of 30 days; source: %s, 27 kap. 30 §)", c.date, r.Payer, c.payer, srcSFB27)
		}
	}
	// Ten days sick, 15 days well, then sick again: the second period
	// continues the karenstid (day 11 on 2024-03-26), so the first paid
	// day, day 31, is the 21st day of the second period, 2024-04-15.
	in.Periods = []Period{sickPeriod("2024-03-01", "2024-03-10", 100), sickPeriod("2024-03-26", "2024-05-31", 100)}
	for _, c := range []struct {
		date  string
		payer string
	}{{"2024-04-14", PayerNone}, {"2024-04-15", PayerFK}} {
		in.Date = mustDate(c.date)
		if r := evalIn(t, in); r.Payer != c.payer {
			t.Errorf("%s: payer %s, want %s (27 kap. 33 §, 20 days; source: %s)", c.date, r.Payer, c.payer, srcSFB27)
		}
	}
	// The karenstid applies from karenstid_from: a sjukperiod that began
	// before keeps the default seven days (27 kap. 31 § tredje stycket).
	in = base
	in.KarenstidFrom = mustDate("2024-06-01")
	in.Periods = []Period{sickPeriod("2024-05-20", "2024-05-31", 100)}
	in.Date = mustDate("2024-05-27")
	if r := evalIn(t, in); r.Payer != PayerFK || traceValue(r, StepKarens) != "karensdagar 7" {
		t.Errorf("period before karenstid_from: payer %s, karens %v; want fk on day 8, karensdagar 7", r.Payer, traceValue(r, StepKarens))
	}
}

func TestChosenKarenstidWhereTheLawDoesNotAllowIt(t *testing.T) {
	cases := []struct {
		name string
		in   Input
		code string
	}{
		// One day could be chosen from 2013 (SFS 2012:932; Ds 2012:9).
		{"one day in 2012", Input{Date: mustDate("2012-06-01"), Employment: SelfEmployed, KarenstidDays: 1}, CodeKarenstidNotAllowed},
		{"an employee", Input{Date: mustDate("2024-06-01"), Employment: Employee, KarenstidDays: 14}, CodeKarenstidNotAllowed},
		{"karenstid_from without karenstid_days", Input{Date: mustDate("2024-06-01"), Employment: SelfEmployed, KarenstidFrom: mustDate("2024-01-01")}, CodeMissingField},
		// Before 2025 a person of 55 could not move to a shorter karenstid
		// (27 kap. 31 § before SFS 2024:1269).
		{"55 years old in 2024, one day", Input{Date: mustDate("2024-06-01"), Employment: SelfEmployed, KarenstidDays: 1,
			KarenstidFrom: mustDate("2024-03-01"), BirthDate: mustDate("1968-05-10")}, CodeKarenstidNotAllowed},
		{"birth date after the date", Input{Date: mustDate("2024-06-01"), Employment: SelfEmployed, BirthDate: mustDate("2024-06-02")}, CodeInvalidBirthDate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := testEngine(t).Evaluate(c.in, Options{})
			var re *Error
			if !errors.As(err, &re) || re.Code != c.code {
				t.Fatalf("error %v, want code %s (sources: %s; %s)", err, c.code, srcDs129, srcTenje)
			}
		})
	}
	// From 2025-01-01 the age limit is gone (SFS 2024:1269).
	in := Input{Date: mustDate("2025-06-01"), Employment: SelfEmployed, KarenstidDays: 1, KarenstidFrom: mustDate("2025-03-01"),
		BirthDate: mustDate("1968-05-10"), Periods: []Period{sickPeriod("2025-06-01", "", 100)}}
	r := evalIn(t, in)
	if r.Payer != PayerNone || traceValue(r, StepKarens) != "karenstid 1" {
		t.Errorf("one day from 2025 at 57: payer %s, karens %v; want none on the one karensdag (source: %s)", r.Payer, traceValue(r, StepKarens), srcTenje)
	}
}

// The self-employed's references by date: the seven karensdagar were in
// 27 kap. 27 § before 2019 and are in 27 a § since (SFS 2018:647); a
// chosen karenstid is 29–30 §§.
func TestSelfEmployedReferencesByDate(t *testing.T) {
	cases := []struct {
		date, from string
		karenstid  int
		want       string
		not        string
	}{
		{"2015-03-03", "2015-03-01", 0, "27 kap. 27 § första stycket 2", "27 a"},
		{"2020-03-03", "2020-03-01", 0, "27 kap. 27 a §", "29–30"},
		{"2015-03-03", "2015-03-01", 14, "27 kap. 29–30 §§", "27 a"},
		{"2010-03-02", "2010-03-01", 0, "AFL", "SFB"},
	}
	for _, c := range cases {
		r := evalIn(t, Input{Date: mustDate(c.date), Employment: SelfEmployed, AnnualIncome: 300000, KarenstidDays: c.karenstid,
			Periods: []Period{sickPeriod(c.from, "", 100)}})
		ref := traceRef(r, StepPayer)
		if !strings.Contains(ref, c.want) || strings.Contains(ref, c.not) {
			t.Errorf("%s (karenstid %d): payer cites %q, want %q and not %q (sources: %s; %s)", c.date, c.karenstid, ref, c.want, c.not, srcDs129, srcSFB27)
		}
	}
}

// SFB 27 kap. 36 § (SFS 2022:879, from 2025-12-01): after 180 days with
// sjukpenning from the start of the month the person reaches the
// riktålder (67 for 2026), Försäkringskassan may stop the benefit.
func TestAgeLimitAfterTheRiktalder(t *testing.T) {
	// Born 1959-03-15: 67 in March 2026, counting from 2026-03-01. An
	// unemployed person sick from 2026-02-01 has sjukpenning every day
	// but the first; 180 days from 2026-03-01 run to 2026-08-27, so on
	// 2026-08-28 the 180 days are behind.
	in := Input{Employment: Unemployed, AnnualIncome: 300000, BirthDate: mustDate("1959-03-15"),
		Periods: []Period{sickPeriod("2026-02-01", "", 100)}}
	for _, c := range []struct {
		date string
		want bool
		days int64
	}{{"2026-08-27", false, 179}, {"2026-08-28", true, 180}} {
		in.Date = mustDate(c.date)
		r := evalIn(t, in)
		if r.AgeLimitReached != c.want || traceValue(r, StepAgeLimit) != c.days {
			t.Errorf("%s: age limit %v after %v days, want %v after %d (source: %s, 27 kap. 36, 38 §§)", c.date, r.AgeLimitReached, traceValue(r, StepAgeLimit), c.want, c.days, srcSFB27)
		}
		if r.Payer != PayerFK {
			t.Errorf("%s: payer %s; the engine flags the limit but Försäkringskassan decides", c.date, r.Payer)
		}
	}
	// Without a birth date the rule is not applied, and the trace says so.
	in.BirthDate = Date{}
	r := evalIn(t, in)
	if r.AgeLimitReached || traceValue(r, StepAgeLimit) != "not applied: no birth date" {
		t.Errorf("no birth date: reached %v, trace %v", r.AgeLimitReached, traceValue(r, StepAgeLimit))
	}
	// Before 2022-12-01 the age was 65 (prop. 2021/22:181): born
	// 1955-01-20, counting from 2020-01-01; sick from 2020-01-01 the 180
	// days (the first a karensavdrag) run to 2020-06-29.
	in = Input{Date: mustDate("2020-06-30"), Employment: Unemployed, AnnualIncome: 300000, BirthDate: mustDate("1955-01-20"),
		Periods: []Period{sickPeriod("2020-01-01", "", 100)}}
	if r := evalIn(t, in); !r.AgeLimitReached || traceValue(r, StepAgeLimit) != int64(180) {
		t.Errorf("65 in 2020: reached %v after %v days, want true after 180", r.AgeLimitReached, traceValue(r, StepAgeLimit))
	}
}

// The pandemic compensation for karens (SFB 27 kap. 9 a §, SFS 2020:195
// and later ordinances).
func TestPandemicKarensCompensation(t *testing.T) {
	cases := []struct {
		name   string
		emp    Employment
		from   string
		date   string
		want   int64
		source string
	}{
		{"employee 2020-04-01", Employee, "2020-04-01", "2020-04-01", 700, srcGovCov},
		{"employee 2020-06-01", Employee, "2020-06-01", "2020-06-01", 804, srcArb20},
		{"employee, second day", Employee, "2020-06-01", "2020-06-02", 0, srcArb20},
		{"unemployed 2022-01-10", Unemployed, "2022-01-10", "2022-01-10", 810, srcArb22},
		{"employee 2021-11-01, withdrawn", Employee, "2021-11-01", "2021-11-01", 0, srcArb22},
		{"employee 2022-04-01, ended", Employee, "2022-04-01", "2022-04-01", 0, srcArb22},
		{"employee 2019-06-03, before", Employee, "2019-06-03", "2019-06-03", 0, srcGovCov},
		{"self-employed 2020-05-05, karensdag 5", SelfEmployed, "2020-05-01", "2020-05-05", 804, srcGovCov},
		{"self-employed, paid day 8", SelfEmployed, "2020-05-01", "2020-05-08", 0, srcGovCov},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := evalIn(t, Input{Date: mustDate(c.date), Employment: c.emp, AnnualIncome: 300000, Periods: []Period{sickPeriod(c.from, "", 100)}})
			if r.KarensCompensation != c.want {
				t.Errorf("compensation %d kr, want %d (source: %s)", r.KarensCompensation, c.want, c.source)
			}
		})
	}
	// A chosen karenstid of 30 days: the compensation covers the first 14.
	for _, c := range []struct {
		date string
		want int64
	}{{"2020-05-14", 804}, {"2020-05-15", 0}} {
		r := evalIn(t, Input{Date: mustDate(c.date), Employment: SelfEmployed, AnnualIncome: 300000, KarenstidDays: 30,
			Periods: []Period{sickPeriod("2020-05-01", "", 100)}})
		if r.KarensCompensation != c.want {
			t.Errorf("%s, karenstid 30: compensation %d, want %d (source: %s)", c.date, r.KarensCompensation, c.want, srcGovCov)
		}
	}
}

func TestParseInputReadsTheOptionalFields(t *testing.T) {
	in, err := ParseInput([]byte(`{"date":"2025-06-01","employment":"self_employed","annual_income":1,"periods":[],` +
		`"birth_date":"1960-02-29","karenstid_days":14,"karenstid_from":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if in.BirthDate != mustDate("1960-02-29") || in.KarenstidDays != 14 || !in.KarenstidFrom.IsZero() {
		t.Errorf("got %+v", in)
	}
	for _, bad := range []struct{ json, code string }{
		{`{"karenstid_days":7}`, CodeInvalidKarenstid},
		{`{"karenstid_days":"14"}`, CodeInvalidType},
		{`{"birth_date":"1960-02-30"}`, CodeInvalidDate},
		{`{"birth_date":null,"birth_date":null}`, CodeInvalidJSON},
	} {
		_, err := ParseInput([]byte(bad.json))
		var re *Error
		if !errors.As(err, &re) || re.Code != bad.code {
			t.Errorf("%s: %v, want %s", bad.json, err, bad.code)
		}
	}
}
