package rules

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/civil"
)

// Error codes of parameter updates and scenarios. Like the input codes
// they are part of the API and the command line: never rename one.
const (
	CodeUnknownParameter = "unknown_parameter"
	CodeInvalidValue     = "invalid_value"
	CodeNegativeValue    = "negative_value"
	CodeValueOutOfRange  = "value_out_of_range"
	CodeDatesOutOfOrder  = "dates_out_of_order"
	CodeOverlappingValue = "overlapping_value"
	CodeValueGap         = "value_gap"
	CodeBuiltinConflict  = "builtin_conflict"
	CodeMissingSource    = "missing_source"
	CodeNotCalendarYear  = "not_calendar_year"
	CodeInvalidScenario  = "invalid_scenario"
)

// ParamUpdate is a value of a parameter added after the release: the
// prisbasbelopp of a new year, a new level or cap. Dates are written
// YYYY-MM-DD, as in the parameter files.
type ParamUpdate struct {
	Name string
	// From is the first day the value applies.
	From string
	// To is the last day; "" leaves the value in force until a later one
	// (a prisbasbelopp always ends with its calendar year).
	To    string
	Value string
	// Ref is the legal reference; "" takes that of the value before it.
	Ref string
	// Source is where the value was published: an SFS number or an
	// address. Required.
	Source string
	Note   string
}

// UpdateProblem is a stored update that New could not apply: usually a
// release that now carries its own value for the same day. The built-in
// value prevails; the update is left out and reported.
type UpdateProblem struct {
	// Index is the update's position in the list given to NewWithUpdates.
	Index  int
	Update ParamUpdate
	Errors []*Error
}

// NewWithUpdates builds an engine from the embedded parameters and the
// updates, applied in order. An update that repeats a built-in value
// exactly is harmless and skipped silently; one that does not fit any more
// (it conflicts with a built-in value, overlaps, or is invalid) is left out
// and returned among the problems, never applied over the built-in value.
func NewWithUpdates(updates []ParamUpdate) (*Engine, []UpdateProblem, error) {
	p, err := builtinParams()
	if err != nil {
		return nil, nil, err
	}
	var problems []UpdateProblem
	for i, u := range updates {
		s, errs := checkUpdate(p, u, true)
		if len(errs) > 0 {
			problems = append(problems, UpdateProblem{Index: i, Update: u, Errors: errs})
			continue
		}
		p = p.with(u.Name, s)
	}
	e, err := build(p)
	return e, problems, err
}

// WithUpdate validates u against e's parameters as a new update and
// returns the engine with it applied. Every problem found is returned, each
// with the update's field it concerns ("name", "from", "to", "value",
// "source") and nothing is applied. Call it on an engine without a
// scenario.
func (e *Engine) WithUpdate(u ParamUpdate) (*Engine, []*Error) {
	s, errs := checkUpdate(e.params, u, false)
	if len(errs) > 0 {
		return nil, errs
	}
	ne, err := build(e.params.with(u.Name, s))
	if err != nil {
		return nil, []*Error{newError(CodeInvalidValue, "value", err.Error(), "värdet fungerar inte med de andra parametrarna: "+err.Error())}
	}
	return ne, nil
}

// checkUpdate validates u against the parameters p and returns the
// parameter's series with u applied. At load (stored updates read back)
// an update that repeats a built-in value is accepted without change.
func checkUpdate(p *paramSet, u ParamUpdate, load bool) (series, []*Error) {
	var errs []*Error
	spec, known := paramSpecs[u.Name]
	switch {
	case u.Name == "":
		errs = append(errs, errMissing("name"))
	case !known:
		errs = append(errs, newError(CodeUnknownParameter, "name", "no parameter is called "+strconv.Quote(u.Name),
			"det finns ingen parameter som heter "+strconv.Quote(u.Name)))
	}
	if strings.TrimSpace(u.Source) == "" {
		errs = append(errs, newError(CodeMissingSource, "source", "give the source of the value (an SFS number or an address)",
			"ange källan till värdet (ett SFS-nummer eller en adress)"))
	}
	sp, verrs := checkValue(paramValue{From: u.From, To: u.To, Value: u.Value, Ref: u.Ref, Source: u.Source, Note: u.Note},
		spec, known, u.Name, "")
	errs = append(errs, verrs...)
	if len(errs) > 0 {
		return nil, errs
	}
	sp.origin = originStored
	s := p.series[u.Name]
	fromText := civil.FromDays(sp.from).String()
	for _, b := range s {
		if b.from != sp.from || b.origin != originBuiltin {
			continue
		}
		if load && b.s == sp.s && b.to == sp.to {
			return s, nil // the release now carries the same value
		}
		return nil, []*Error{newError(CodeBuiltinConflict, "from",
			u.Name+" already has a built-in value from "+fromText+" ("+b.s+"); a stored value cannot replace it",
			u.Name+" har redan ett inbyggt värde från "+fromText+" ("+b.s+"); ett sparat värde kan inte ersätta det")}
	}
	last := s[len(s)-1]
	for _, b := range s {
		if b.from <= sp.from && sp.from <= b.to && (b.to != openEnd || b.from == sp.from) {
			return nil, []*Error{newError(CodeOverlappingValue, "from",
				"the value "+b.s+" of "+u.Name+" is in force on "+fromText+" ("+spanDates(b)+")",
				"värdet "+b.s+" för "+u.Name+" gäller redan den "+fromText+" ("+spanDates(b)+")")}
		}
	}
	switch {
	case sp.from < last.from:
		return nil, []*Error{newError(CodeDatesOutOfOrder, "from",
			"a new value must start after the newest value of "+u.Name+", which starts "+civil.FromDays(last.from).String(),
			"ett nytt värde måste börja efter det senaste värdet för "+u.Name+", som börjar "+civil.FromDays(last.from).String())}
	case last.to != openEnd && sp.from > last.to+1:
		next := civil.FromDays(last.to + 1).String()
		return nil, []*Error{newError(CodeValueGap, "from",
			"the newest value of "+u.Name+" ends "+civil.FromDays(last.to).String()+"; the next must start "+next,
			"det senaste värdet för "+u.Name+" slutar "+civil.FromDays(last.to).String()+"; nästa måste börja "+next)}
	}
	if sp.ref == "" {
		sp.ref = last.ref
	}
	out := make(series, len(s), len(s)+1)
	copy(out, s)
	if last.to == openEnd {
		out[len(out)-1].to = sp.from - 1
	}
	return append(out, sp), nil
}

// checkValue validates one value of a parameter (of a stored update, or of
// a scenario with field paths under prefix): its dates, its value in the
// parameter's kind and range, and a prisbasbelopp's calendar year. A
// prisbasbelopp without an end gets the end of its year.
func checkValue(v paramValue, spec paramSpec, known bool, name, prefix string) (span, []*Error) {
	var errs []*Error
	for _, f := range []struct{ field, text string }{{"ref", v.Ref}, {"source", v.Source}, {"note", v.Note}} {
		if !plainText(f.text) {
			errs = append(errs, errNotText(prefix+f.field))
		}
	}
	from, to := Date{}, civil.FromDays(openEnd)
	switch d, err := ParseDate(v.From); {
	case v.From == "":
		errs = append(errs, errMissing(prefix+"from"))
	case err != nil:
		errs = append(errs, newError(CodeInvalidDate, prefix+"from", strconv.Quote(v.From)+" is not a date (YYYY-MM-DD)",
			strconv.Quote(v.From)+" är inte ett datum (ÅÅÅÅ-MM-DD)"))
	default:
		from = d
	}
	if v.To != "" {
		switch d, err := ParseDate(v.To); {
		case err != nil:
			errs = append(errs, newError(CodeInvalidDate, prefix+"to", strconv.Quote(v.To)+" is not a date (YYYY-MM-DD)",
				strconv.Quote(v.To)+" är inte ett datum (ÅÅÅÅ-MM-DD)"))
		case !from.IsZero() && d.Before(from):
			errs = append(errs, newError(CodeDatesOutOfOrder, prefix+"to", "the value ends before it starts",
				"värdet slutar innan det börjar"))
		default:
			to = d
		}
	}
	var n int64
	v.Value = strings.TrimSpace(v.Value)
	switch {
	case v.Value == "":
		errs = append(errs, errMissing(prefix+"value"))
	case !known:
	case strings.HasPrefix(v.Value, "-"):
		errs = append(errs, newError(CodeNegativeValue, prefix+"value", name+" cannot be negative", name+" kan inte vara negativt"))
	default:
		var err error
		if n, err = parseValue(v.Value, spec); err != nil {
			errs = append(errs, newError(CodeInvalidValue, prefix+"value", err.Error(), valueHintSV(spec)))
		} else if spec.max > 0 && n != -1 && (n < spec.min || n > spec.max) {
			lo, hi := boundText(spec, spec.min), boundText(spec, spec.max)
			errs = append(errs, newError(CodeValueOutOfRange, prefix+"value",
				name+" must lie between "+lo+" and "+hi, name+" måste ligga mellan "+lo+" och "+hi))
		}
	}
	if name == "prisbasbelopp" && !from.IsZero() {
		y, m, d := from.Civil()
		end, _ := NewDate(y, 12, 31)
		switch {
		case m != 1 || d != 1:
			errs = append(errs, newError(CodeNotCalendarYear, prefix+"from", "a prisbasbelopp applies from 1 January",
				"ett prisbasbelopp gäller från den 1 januari"))
		case to.Days() == openEnd:
			to = end
		case to != end:
			errs = append(errs, newError(CodeNotCalendarYear, prefix+"to", "a prisbasbelopp applies to 31 December of its year",
				"ett prisbasbelopp gäller till den 31 december samma år"))
		}
	}
	if len(errs) > 0 {
		return span{}, errs
	}
	sp := span{from: from.Days(), to: to.Days(), v: n, s: v.Value, ref: strings.TrimSpace(v.Ref),
		source: strings.TrimSpace(v.Source), note: strings.TrimSpace(v.Note)}
	if spec.kind == "days-list" {
		cps, _ := parseCheckpoints(v.Value)
		for j, c := range cps {
			sp.cps[j] = int32(c)
		}
	}
	return sp, nil
}

// valueHintSV says in Swedish what a value of the parameter's kind looks
// like.
func valueHintSV(spec paramSpec) string {
	switch spec.kind {
	case "int":
		return "ange ett heltal, till exempel 59600"
	case "decimal":
		return "ange ett decimaltal med punkt och högst fyra decimaler, till exempel 0.80"
	case "limit":
		return "ange ett antal dagar eller none"
	case "rule":
		return "ange ett av: " + strings.Join(spec.rules, ", ")
	case "days-list":
		return "ange tre stigande antal dagar, till exempel 90,180,365"
	}
	return "ogiltigt värde"
}

func boundText(spec paramSpec, v int64) string {
	if spec.kind == "decimal" {
		w, f := v/decimalScale, v%decimalScale
		s := strconv.FormatInt(w, 10)
		if f != 0 {
			s += "." + strings.TrimRight(strconv.FormatInt(f+decimalScale, 10)[1:], "0")
		}
		return s
	}
	return strconv.FormatInt(v, 10)
}

// spanDates writes a value's validity, "2027-01-01–2027-12-31" or
// "2011-01-01–" when it is still in force.
func spanDates(sp span) string {
	s := civil.FromDays(sp.from).String() + "–"
	if sp.to != openEnd {
		s += civil.FromDays(sp.to).String()
	}
	return s
}

// Trace steps about the parameters themselves.
const (
	// StepProvisional names a parameter whose newest value ended before
	// the date and was carried forward; its value is "name = value (dates)".
	StepProvisional = "provisional_value"
	// StepScenarioOverride names a value a scenario put in place of the
	// law's.
	StepScenarioOverride = "scenario_override"
)

func init() {
	svLabel[StepProvisional] = "Preliminärt: inget värde är känt för dagen, det senaste används"
	svLabel[StepScenarioOverride] = "Scenario: värde i stället för lagens"
}

// paramTrace adds to a trace the values carried forward on day n and the
// scenario's values that apply up to n.
func (e *Engine) paramTrace(t []TraceStep, n int32) []TraceStep {
	for _, name := range e.provisional(n) {
		sp := e.params.series[name].at(n)
		t = append(t, TraceStep{Step: StepProvisional, Ref: sp.ref, Value: name + " = " + sp.s + " (" + spanDates(*sp) + ")"})
	}
	for _, o := range e.overrides {
		if o.From.Days() > n {
			continue
		}
		dates := o.From.String() + "–"
		if !o.To.IsZero() {
			dates += o.To.String()
		}
		t = append(t, TraceStep{Step: StepScenarioOverride, Ref: o.Ref, Value: o.Name + " = " + o.Value + " (" + dates + ")"})
	}
	return t
}

// plainText reports whether s is valid UTF-8 without control characters
// other than tab and line breaks: text a person wrote, which both databases
// store alike (PostgreSQL's text holds no NUL byte).
func plainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// errNotText refuses a field that is not plain text.
func errNotText(field string) *Error {
	return newError(CodeInvalidValue, field, "the text holds control characters or is not UTF-8",
		"texten innehåller otillåtna tecken")
}
