package rules

import (
	"slices"
	"strings"
	"testing"
)

// employee2028 is an employee on day 30 of a sick leave in 2028, a year
// the embedded parameters have no prisbasbelopp for.
const employee2028 = `{"date":"2028-03-01","employment":"employee","annual_income":1000000,"periods":[{"from":"2028-01-31","degree":100}]}`

func mustInput(t testing.TB, s string) Input {
	t.Helper()
	in, err := ParseInput([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func traceStep(r Result, step string) (TraceStep, bool) {
	for _, s := range r.Trace {
		if s.Step == step {
			return s, true
		}
	}
	return TraceStep{}, false
}

// A date past the newest prisbasbelopp is answered with the 2027 amount
// carried forward, and the result says so instead of failing.
func TestADatePastTheNewestValueIsProvisional(t *testing.T) {
	e := testEngine(t)
	r, err := e.Evaluate(mustInput(t, employee2028), Options{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Provisional, []string{"prisbasbelopp"}) {
		t.Fatalf("provisional %q", r.Provisional)
	}
	// SGI capped at 10 × 59 600 (2027), rounded down to hundreds.
	if r.SGI != 596000 {
		t.Errorf("SGI %d, want the 2027 cap 596000", r.SGI)
	}
	st, ok := traceStep(r, StepProvisional)
	if !ok || st.Value != "prisbasbelopp = 59600 (2027-01-01–2027-12-31)" || st.Ref != "SFB 2 kap. 6–7 §§" {
		t.Errorf("trace step %+v", st)
	}
	if !strings.Contains(ExplainSV(r), "Preliminärt") {
		t.Error("the Swedish explanation does not say the value is provisional")
	}
	final, err := e.Evaluate(mustInput(t, strings.Replace(employee2028, "2028-03-01", "2027-12-31", 1)), Options{})
	if err != nil || final.Provisional == nil || len(final.Provisional) != 0 {
		t.Errorf("a date with every value known: provisional %#v, %v", final.Provisional, err)
	}
}

func pbb2028(value string) ParamUpdate {
	return ParamUpdate{Name: "prisbasbelopp", From: "2028-01-01", Value: value, Source: "SFS 2027:999"}
}

// Once the 2028 prisbasbelopp is stored the same date is final and uses it.
func TestAStoredValueMakesTheResultFinal(t *testing.T) {
	e, problems, err := NewWithUpdates([]ParamUpdate{pbb2028("60500")})
	if err != nil || len(problems) != 0 {
		t.Fatal(err, problems)
	}
	r, err := e.Evaluate(mustInput(t, employee2028), Options{Trace: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Provisional) != 0 || r.SGI != 605000 {
		t.Errorf("provisional %q, SGI %d; want final with 10 × 60 500", r.Provisional, r.SGI)
	}
	if st, _ := traceStep(r, StepPrisbasbelopp); st.Value != int64(60500) || st.Ref != "SFB 2 kap. 6–7 §§" {
		t.Errorf("prisbasbelopp step %+v: the stored value takes the reference of the value before it", st)
	}
	if k := e.KnownUntil(); k != mustDate("2028-12-31") {
		t.Errorf("known until %v", k)
	}
	if _, last := e.DateRange(); last != mustDate("2031-12-31") {
		t.Errorf("last date %v", last)
	}
	rows := e.Params()
	last := rows[slices.IndexFunc(rows, func(r ParamRow) bool { return r.Name == "prisbasbelopp" && r.From == mustDate("2028-01-01") })]
	if last.Origin != OriginStored || last.To != mustDate("2028-12-31") || last.Source != "SFS 2027:999" {
		t.Errorf("stored row %+v", last)
	}
}

// A new level closes the open-ended value before it and applies from its
// date.
func TestAStoredLevelEndsTheOpenValueBeforeIt(t *testing.T) {
	e, _, err := NewWithUpdates([]ParamUpdate{{Name: "rate_normal", From: "2027-07-01", Value: "0.85", Source: "SFS 2027:1"}})
	if err != nil {
		t.Fatal(err)
	}
	in := mustInput(t, `{"date":"2027-06-30","employment":"unemployed","annual_income":200000,"periods":[]}`)
	before, _ := e.Evaluate(in, Options{})
	in.Date = mustDate("2027-07-01")
	after, _ := e.Evaluate(in, Options{})
	// 200 000 × 0.97 × rate / 365, rounded.
	if before.FullDailyAmount.Normal != 425 || after.FullDailyAmount.Normal != 452 {
		t.Errorf("normal amounts %d → %d, want 425 → 452", before.FullDailyAmount.Normal, after.FullDailyAmount.Normal)
	}
	var rows []ParamRow
	for _, r := range e.Params() {
		if r.Name == "rate_normal" {
			rows = append(rows, r)
		}
	}
	n := len(rows)
	if rows[n-2].To != mustDate("2027-06-30") || rows[n-2].Origin != OriginBuiltin || rows[n-1].Origin != OriginStored || !rows[n-1].To.IsZero() {
		t.Errorf("rows %+v", rows[n-2:])
	}
}

// Every kind of bad value is refused with a stable code on the field it
// concerns, and nothing is applied.
func TestBadUpdatesAreRefusedWithStableCodes(t *testing.T) {
	base, _, err := NewWithUpdates([]ParamUpdate{pbb2028("60500")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name        string
		u           ParamUpdate
		code, field string
	}{
		{"wrong type", ParamUpdate{Name: "prisbasbelopp", From: "2029-01-01", Value: "sextio tusen", Source: "x"}, CodeInvalidValue, "value"},
		{"a decimal for a whole number", ParamUpdate{Name: "prisbasbelopp", From: "2029-01-01", Value: "60500.5", Source: "x"}, CodeInvalidValue, "value"},
		{"negative", ParamUpdate{Name: "unemployed_daily_max_kr", From: "2029-01-01", Value: "-1", Source: "x"}, CodeNegativeValue, "value"},
		{"out of range", ParamUpdate{Name: "rate_normal", From: "2029-01-01", Value: "1.5", Source: "x"}, CodeValueOutOfRange, "value"},
		{"ends before it starts", ParamUpdate{Name: "rate_normal", From: "2029-01-01", To: "2028-12-31", Value: "0.8", Source: "x"}, CodeDatesOutOfOrder, "to"},
		{"before the first value", ParamUpdate{Name: "rate_normal", From: "1990-01-01", Value: "0.8", Source: "x"}, CodeDatesOutOfOrder, "from"},
		{"overlapping a stored value", pbb2028("61000"), CodeOverlappingValue, "from"},
		{"overlapping a closed built-in value", ParamUpdate{Name: "sgi_cap_pbb", From: "2019-06-01", Value: "9.0", Source: "x"}, CodeOverlappingValue, "from"},
		{"same date as a built-in value", ParamUpdate{Name: "prisbasbelopp", From: "2027-01-01", Value: "59600", Source: "x"}, CodeBuiltinConflict, "from"},
		{"leaving a gap", ParamUpdate{Name: "prisbasbelopp", From: "2030-01-01", Value: "62000", Source: "x"}, CodeValueGap, "from"},
		{"no source", ParamUpdate{Name: "prisbasbelopp", From: "2029-01-01", Value: "61000", Source: " "}, CodeMissingSource, "source"},
		{"unknown parameter", ParamUpdate{Name: "inkomstbasbelopp", From: "2029-01-01", Value: "80000", Source: "x"}, CodeUnknownParameter, "name"},
		{"prisbasbelopp mid-year", ParamUpdate{Name: "prisbasbelopp", From: "2029-02-01", Value: "61000", Source: "x"}, CodeNotCalendarYear, "from"},
		{"no date", ParamUpdate{Name: "prisbasbelopp", Value: "61000", Source: "x"}, CodeMissingField, "from"},
		{"not a date", ParamUpdate{Name: "prisbasbelopp", From: "2029-13-01", Value: "61000", Source: "x"}, CodeInvalidDate, "from"},
		{"a NUL byte in the source", ParamUpdate{Name: "prisbasbelopp", From: "2029-01-01", Value: "61000", Source: "SFS\x002028:1"}, CodeInvalidValue, "source"},
		{"invalid UTF-8 in the note", ParamUpdate{Name: "prisbasbelopp", From: "2029-01-01", Value: "61000", Source: "x", Note: "\xff"}, CodeInvalidValue, "note"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ne, errs := base.WithUpdate(c.u)
			if ne != nil || len(errs) == 0 {
				t.Fatalf("accepted: %+v", c.u)
			}
			if errs[0].Code != c.code || errs[0].Field != c.field || errs[0].MessageSV == "" {
				t.Errorf("got %+v, want %s on %s with a Swedish message", errs[0], c.code, c.field)
			}
		})
	}
	// The stored 2028 value is still the only addition.
	if k := base.KnownUntil(); k != mustDate("2028-12-31") {
		t.Errorf("known until %v", k)
	}
}

// A stored value the release now carries too is harmless when equal, and
// left out (the built-in value prevails) when it differs.
func TestAStoredValueNeverReplacesABuiltInOne(t *testing.T) {
	same := ParamUpdate{Name: "prisbasbelopp", From: "2027-01-01", Value: "59600", Source: "x"}
	if _, problems, err := NewWithUpdates([]ParamUpdate{same}); err != nil || len(problems) != 0 {
		t.Errorf("an update equal to the built-in value: %v %v", problems, err)
	}
	differs := same
	differs.Value = "60000"
	e, problems, err := NewWithUpdates([]ParamUpdate{differs, pbb2028("60500")})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Index != 0 || problems[0].Errors[0].Code != CodeBuiltinConflict {
		t.Fatalf("problems %+v", problems)
	}
	if got := e.pbbFor(mustDate("2027-06-01")).v; got != 59600 {
		t.Errorf("prisbasbelopp 2027 is %d", got)
	}
	if got := e.pbbFor(mustDate("2028-06-01")).v; got != 60500 {
		t.Errorf("the later update was not applied: %d", got)
	}
}

const capScenario = `{"name": "SGI cap 12 pbb", "description": "A higher cap",
	"params": [{"name": "sgi_cap_pbb", "unit": "pbb", "values": [{"from": "2022-01-01", "value": "12.0"}]}]}`

// A scenario replaces a value over its dates, and the trace names it.
func TestAScenarioOverridesAValueAndTheTraceNamesIt(t *testing.T) {
	sc, errs := ParseScenario([]byte(capScenario))
	if errs != nil {
		t.Fatal(errs)
	}
	e := testEngine(t)
	se, perr := e.WithScenario(sc)
	if perr != nil {
		t.Fatal(perr)
	}
	in := mustInput(t, `{"date":"2024-03-01","employment":"employee","annual_income":1000000,"periods":[]}`)
	law, _ := e.Evaluate(in, Options{})
	what, _ := se.Evaluate(in, Options{Trace: true})
	if law.SGI != 573000 || what.SGI != 687600 {
		t.Errorf("SGI %d under the law, %d under the scenario; want 573000 and 687600", law.SGI, what.SGI)
	}
	st, ok := traceStep(what, StepScenarioOverride)
	if !ok || st.Value != "sgi_cap_pbb = 12.0 (2022-01-01–)" || st.Ref != "scenario: SGI cap 12 pbb" {
		t.Errorf("override step %+v", st)
	}
	if st, _ := traceStep(what, StepSGICap); st.Ref != "scenario: SGI cap 12 pbb" {
		t.Errorf("the cap step cites %q", st.Ref)
	}
	// Before the scenario's dates the law shows through.
	in.Date = mustDate("2020-03-01")
	law, _ = e.Evaluate(in, Options{})
	what, _ = se.Evaluate(in, Options{Trace: true})
	if law.SGI != what.SGI {
		t.Errorf("2020: SGI %d under the scenario, %d under the law", what.SGI, law.SGI)
	}
	if _, ok := traceStep(what, StepScenarioOverride); ok {
		t.Error("2020: the trace names an override not yet in force")
	}
	if se.Scenario() != "SGI cap 12 pbb" || e.Scenario() != "" {
		t.Errorf("scenario names %q %q", se.Scenario(), e.Scenario())
	}
}

// A value in the middle of an open-ended one leaves the law on both sides.
func TestAClosedScenarioValueLeavesTheLawOnBothSides(t *testing.T) {
	sc, errs := ParseScenario([]byte(`{"name": "time limit again", "params": [{"name": "continuation_max_days",
		"values": [{"from": "2020-01-01", "to": "2020-12-31", "value": "550"}]}]}`))
	if errs != nil {
		t.Fatal(errs)
	}
	se, perr := testEngine(t).WithScenario(sc)
	if perr != nil {
		t.Fatal(perr)
	}
	for d, want := range map[string]int64{"2019-12-31": -1, "2020-06-01": 550, "2021-01-01": -1} {
		if got := se.contMax.at(mustDate(d).Days()).v; got != want {
			t.Errorf("%s: %d, want %d", d, got, want)
		}
	}
}

func TestBadScenariosAreRefusedWithStableCodes(t *testing.T) {
	cases := []struct {
		name, json, code, field string
	}{
		{"unknown parameter", `{"name": "x", "params": [{"name": "karensvecka", "values": [{"from": "2020-01-01", "value": "7"}]}]}`, CodeUnknownParameter, "params[0].name"},
		{"wrong type", `{"name": "x", "params": [{"name": "rate_normal", "values": [{"from": "2020-01-01", "value": "0,8"}]}]}`, CodeInvalidValue, "params[0].values[0].value"},
		{"negative", `{"name": "x", "params": [{"name": "rate_normal", "values": [{"from": "2020-01-01", "value": "-0.8"}]}]}`, CodeNegativeValue, "params[0].values[0].value"},
		{"out of order", `{"name": "x", "params": [{"name": "rate_normal", "values": [{"from": "2020-01-01", "to": "2020-12-31", "value": "0.8"}, {"from": "2020-06-01", "value": "0.7"}]}]}`, CodeDatesOutOfOrder, "params[0].values[1].from"},
		{"no parameters", `{"name": "x", "params": []}`, CodeMissingField, "params"},
		{"unknown field", `{"name": "x", "parameters": []}`, CodeUnknownField, ""},
		{"not JSON", `{"name": `, CodeInvalidJSON, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := ParseScenario([]byte(c.json))
			if len(errs) == 0 || errs[0].Code != c.code || errs[0].Field != c.field {
				t.Errorf("errors %+v, want %s on %q", errs, c.code, c.field)
			}
		})
	}
	// A scenario that starts after the law's last value leaves a gap.
	sc, _ := ParseScenario([]byte(`{"name": "x", "params": [{"name": "prisbasbelopp", "values": [{"from": "2029-01-01", "value": "70000"}]}]}`))
	if _, err := testEngine(t).WithScenario(sc); err == nil || err.Code != CodeInvalidScenario {
		t.Errorf("a gap: %v", err)
	}
}

// Neither a provisional date nor a scenario costs Evaluate an allocation.
func TestEvaluateStaysAllocationFree(t *testing.T) {
	sc, _ := ParseScenario([]byte(capScenario))
	se, _ := testEngine(t).WithScenario(sc)
	for name, c := range map[string]struct {
		e  *Engine
		in string
	}{
		"provisional": {testEngine(t), employee2028},
		"scenario":    {se, lineTemplates[1]},
	} {
		in := mustInput(t, c.in)
		if n := testing.AllocsPerRun(100, func() { c.e.Evaluate(in, Options{}) }); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}

// A scenario's name and description are text a person wrote: control
// characters and invalid UTF-8 are refused, with the field named.
func TestAScenarioNameMustBePlainText(t *testing.T) {
	for _, c := range []struct{ json, field string }{
		{`{"name": "nul\u0000byte", "params": [{"name": "sgi_cap_pbb", "values": [{"from": "2027-01-01", "value": "12", "source": "x"}]}]}`, "name"},
		{`{"name": "ok", "description": "bell\u0007", "params": [{"name": "sgi_cap_pbb", "values": [{"from": "2027-01-01", "value": "12", "source": "x"}]}]}`, "description"},
	} {
		_, errs := ParseScenario([]byte(c.json))
		if len(errs) == 0 || errs[0].Code != CodeInvalidValue || errs[0].Field != c.field {
			t.Errorf("%s: got %v, want invalid_value on %s", c.json, errs, c.field)
		}
	}
	if _, errs := ParseScenario([]byte(`{"name": "Två rader", "description": "första\nandra", "params": [{"name": "sgi_cap_pbb", "values": [{"from": "2027-01-01", "value": "12", "source": "x"}]}]}`)); len(errs) > 0 {
		t.Errorf("a line break in the description is refused: %v", errs)
	}
}
