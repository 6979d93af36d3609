package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"

	"github.com/finsam/finsam/civil"
)

// Scenario is a named set of parameter overrides: what the engine would
// answer if, say, the time limit of 2008–2016 applied today or the SGI cap
// were 10 prisbasbelopp. It is written as the parameter files are, a list
// of them under "params":
//
//	{"name": "SGI cap 10 pbb", "description": "…",
//	 "params": [{"name": "sgi_cap_pbb", "values": [{"from": "2008-01-01", "value": "10.0"}]}]}
//
// Each value replaces the law's values over its dates; the law's values
// show through elsewhere. ref and source are optional (a what-if has no
// legal source); unit, when given, must be the parameter's.
type Scenario struct {
	Name        string
	Description string
	params      []paramFile
	spans       [][]span // parsed values, parallel to params
}

type scenarioFile struct {
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Params      []paramFile `json:"params"`
}

// MaxScenarioBytes bounds a scenario's JSON.
const MaxScenarioBytes = 64 << 10

// ParseScenario reads and validates a scenario. Every problem is
// returned, each with the JSON path of its field (e.g.
// "params[0].values[1].value").
func ParseScenario(data []byte) (Scenario, []*Error) {
	if len(data) > MaxScenarioBytes {
		return Scenario{}, []*Error{newError(CodeInvalidScenario, "", "a scenario is at most "+strconv.Itoa(MaxScenarioBytes)+" bytes",
			"ett scenario får vara högst "+strconv.Itoa(MaxScenarioBytes)+" byte")}
	}
	var f scenarioFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		code, msg := CodeInvalidJSON, "the scenario is not valid JSON: "+err.Error()
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			code = CodeInvalidType
		} else if bytes.Contains([]byte(err.Error()), []byte("unknown field")) {
			code = CodeUnknownField
		}
		return Scenario{}, []*Error{newError(code, "", msg, "scenariot är inte giltig JSON i rätt form")}
	}
	if dec.More() {
		return Scenario{}, []*Error{newError(CodeInvalidJSON, "", "data after the scenario", "data efter scenariot")}
	}
	sc := Scenario{Name: f.Name, Description: f.Description, params: f.Params}
	var errs []*Error
	if !plainText(f.Name) {
		errs = append(errs, errNotText("name"))
	}
	if !plainText(f.Description) {
		errs = append(errs, errNotText("description"))
	}
	if len(f.Params) == 0 {
		errs = append(errs, newError(CodeMissingField, "params", "a scenario overrides at least one parameter",
			"ett scenario måste ändra minst en parameter"))
	}
	seen := map[string]bool{}
	for i, pf := range f.Params {
		at := "params[" + strconv.Itoa(i) + "]."
		spec, known := paramSpecs[pf.Name]
		switch {
		case pf.Name == "":
			errs = append(errs, errMissing(at+"name"))
		case !known:
			errs = append(errs, newError(CodeUnknownParameter, at+"name", "no parameter is called "+strconv.Quote(pf.Name),
				"det finns ingen parameter som heter "+strconv.Quote(pf.Name)))
		case seen[pf.Name]:
			errs = append(errs, newError(CodeOverlappingValue, at+"name", pf.Name+" is listed twice",
				pf.Name+" finns med två gånger"))
		}
		seen[pf.Name] = true
		if len(pf.Values) == 0 {
			errs = append(errs, errMissing(at+"values"))
		}
		var spans []span
		for j, v := range pf.Values {
			vat := at + "values[" + strconv.Itoa(j) + "]."
			sp, verrs := checkValue(v, spec, known, pf.Name, vat)
			errs = append(errs, verrs...)
			if len(verrs) > 0 {
				continue
			}
			if n := len(spans); n > 0 && sp.from <= spans[n-1].to {
				errs = append(errs, newError(CodeDatesOutOfOrder, vat+"from",
					"values must be in date order without overlapping", "värdena måste komma i datumordning utan att överlappa"))
				continue
			}
			sp.origin = originScenario
			spans = append(spans, sp)
		}
		sc.spans = append(sc.spans, spans)
	}
	if len(errs) > 0 {
		return Scenario{}, errs
	}
	return sc, nil
}

// Overrides lists the scenario's values, as rows with OriginScenario.
func (sc Scenario) Overrides() []ParamRow {
	var rows []ParamRow
	for i, pf := range sc.params {
		for _, sp := range sc.spans[i] {
			row := ParamRow{Name: pf.Name, From: civil.FromDays(sp.from), Value: sp.s, Unit: pf.Unit, Ref: sp.ref,
				Source: sp.source, Note: sp.note, Origin: OriginScenario}
			if sp.to != openEnd {
				row.To = civil.FromDays(sp.to)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// WithScenario returns an engine that evaluates under sc: each of its
// values replaces e's over its dates. The result's trace names every
// overridden value (step scenario_override), and the steps that use one
// cite the scenario as their reference. A scenario that leaves a gap in a
// parameter (its values starting after the law's end) is refused with
// invalid_scenario.
func (e *Engine) WithScenario(sc Scenario) (*Engine, *Error) {
	p := e.params
	label := "scenario"
	if sc.Name != "" {
		label = "scenario: " + sc.Name
	}
	var overrides []ParamRow
	for i, pf := range sc.params {
		over := make([]span, len(sc.spans[i]))
		copy(over, sc.spans[i])
		for j := range over {
			if over[j].ref == "" {
				over[j].ref = label
			}
		}
		s, err := overlay(p.series[pf.Name], over)
		if err != nil {
			return nil, newError(CodeInvalidScenario, "params["+strconv.Itoa(i)+"].values", pf.Name+": "+err.Error(),
				pf.Name+": scenariots värden lämnar en lucka efter lagens sista värde")
		}
		p = p.with(pf.Name, s)
		for _, sp := range over {
			row := ParamRow{Name: pf.Name, From: civil.FromDays(sp.from), Value: sp.s, Unit: p.units[pf.Name], Ref: sp.ref,
				Source: sp.source, Note: sp.note, Origin: OriginScenario}
			if sp.to != openEnd {
				row.To = civil.FromDays(sp.to)
			}
			overrides = append(overrides, row)
		}
	}
	ne, err := build(p)
	if err != nil {
		return nil, newError(CodeInvalidScenario, "params", err.Error(), "scenariot går inte att använda: "+err.Error())
	}
	ne.scenario = sc.Name
	if ne.scenario == "" {
		ne.scenario = label
	}
	ne.overrides = overrides
	return ne, nil
}

// Scenario names the scenario the engine evaluates under; "" for the law
// as it is.
func (e *Engine) Scenario() string { return e.scenario }

// overlay lays the values over (in date order, not overlapping) on base:
// each replaces base over its dates. The result must be contiguous.
func overlay(base series, over []span) (series, error) {
	var out series
	for _, b := range base {
		lo, done := b.from, false
		for _, o := range over {
			if o.to < lo || o.from > b.to {
				continue
			}
			if o.from > lo {
				p := b
				p.from, p.to = lo, o.from-1
				out = append(out, p)
			}
			if o.to >= b.to {
				done = true
				break
			}
			lo = o.to + 1
		}
		if !done {
			p := b
			p.from = lo
			out = append(out, p)
		}
	}
	out = append(out, over...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].from < out[j].from })
	for i := 1; i < len(out); i++ {
		if out[i].from != out[i-1].to+1 {
			return nil, errors.New("values leave a gap after " + civil.FromDays(out[i-1].to).String())
		}
	}
	return out, nil
}
