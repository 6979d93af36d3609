package rules

import (
	"embed"
	"encoding/json"
	"fmt"
	"github.com/finsam/finsam/civil"
	"io/fs"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed params/*.json
var paramFiles embed.FS

// Where a parameter value comes from, as ParamRow.Origin says.
const (
	// OriginBuiltin is a value of the parameter files shipped with finsam.
	OriginBuiltin = "built-in"
	// OriginStored is a value an administrator added after the release
	// (ParamUpdate).
	OriginStored = "stored"
	// OriginScenario is a value a scenario put in place of the law's.
	OriginScenario = "scenario"
)

var originNames = [...]string{OriginBuiltin, OriginStored, OriginScenario}

const (
	originBuiltin uint8 = iota
	originStored
	originScenario
)

// ParamRow is one value of one legislation parameter, for `finsam rules
// params` and for anyone who wants to see what the engine believes. Its
// JSON is what the command line's --json and the API give.
type ParamRow struct {
	Name string `json:"name"`
	// From is the first day the value applies.
	From Date `json:"from"`
	// To is the last day the value applies; the zero Date (null in JSON)
	// when it still applies (open-ended).
	To    Date   `json:"to"`
	Value string `json:"value"`
	Unit  string `json:"unit"`
	// Ref is the legal reference (paragraph) that carries the value.
	Ref string `json:"ref"`
	// Source is the official source the value was checked against.
	Source string `json:"source"`
	// Note records doubts: a value or date that could not be confirmed says
	// so here.
	Note string `json:"note"`
	// Origin is OriginBuiltin, OriginStored or OriginScenario.
	Origin string `json:"origin"`
}

// paramFile is the on-disk shape of one parameter: one file per parameter,
// values keyed by the day they take effect (as OpenFisca does it). A
// scenario lists parameters in the same shape.
type paramFile struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Unit        string       `json:"unit"`
	Values      []paramValue `json:"values"`
}

type paramValue struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Value  string `json:"value"`
	Ref    string `json:"ref"`
	Source string `json:"source"`
	Note   string `json:"note"`
}

// openEnd stands for "still in force" inside the engine.
const openEnd = math.MaxInt32

// span is one validity interval of a parameter, with the value already
// parsed for the hot path.
type span struct {
	from, to int32 // day numbers (Date.Days()), inclusive; to == openEnd when open
	v        int64 // numeric value, scaled by decimalScale for decimals
	s        string
	ref      string
	cps      [3]int32 // the rehabilitation chain's checkpoints, for that parameter
	source   string
	note     string
	origin   uint8
}

// series is a parameter's values in date order, without gaps or overlaps.
type series []span

// at returns the value in force on day n. A day after the last value's end
// gets the last value, carried forward: Evaluate reports such a parameter
// as provisional (see Engine.provisional). New guarantees coverage of every
// earlier day the engine asks for, so a day before the first value is a bug
// in the engine.
func (s series) at(n int32) *span {
	// Values are contiguous, so the last one starting on or before n is in
	// force on n (or, past the end, the one carried forward).
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].from <= n {
			return &s[i]
		}
	}
	panic(fmt.Sprintf("rules: no parameter value for day %v", civil.FromDays(n)))
}

// end is the last day of the series' last value; openEnd when it is still
// in force.
func (s series) end() int32 { return s[len(s)-1].to }

// decimalScale is the fixed-point scale of decimal parameters (0.97 is
// 9700), which keeps every amount computation in exact integer arithmetic.
const decimalScale = 10000

// Karens rules (values of karens_employee).
const (
	karensDag    = "karensdag"
	karensAvdrag = "karensavdrag"
)

// paramSpec says how to read and check each parameter the engine needs.
type paramSpec struct {
	kind string // "int", "decimal", "rule", "limit", "days-list", "int-list"
	// history marks parameters needed for days before the first evaluable
	// date (the engine counts sick days back to the start of the case).
	history bool
	rules   []string // allowed values of a "rule" parameter
	// min and max bound a number ("int", "limit" days, or a "decimal"
	// scaled by decimalScale) that an update or a scenario may set; max 0
	// means no bound beyond the type's own.
	min, max int64
}

var paramSpecs = map[string]paramSpec{
	"prisbasbelopp":             {kind: "int", min: 1, max: 10_000_000},
	"sgi_cap_pbb":               {kind: "decimal", min: 1, max: 100 * decimalScale},
	"sgi_threshold_pbb":         {kind: "decimal", max: 10 * decimalScale},
	"sgi_rounding_kr":           {kind: "int", min: 1, max: 10_000},
	"benefit_base_factor":       {kind: "decimal", max: decimalScale},
	"rate_normal":               {kind: "decimal", max: decimalScale},
	"rate_continuation":         {kind: "decimal", max: decimalScale},
	"normal_level_max_days":     {kind: "int", min: 1, max: ringDays - 1},
	"frame_window_days":         {kind: "int", min: 1, max: ringDays - 1},
	"sjuklon_frame_days":        {kind: "int", max: maxSjuklonDays},
	"continuation_max_days":     {kind: "limit", min: 1, max: 10_000},
	"sjukloneperiod_days":       {kind: "int", history: true, min: 1, max: maxSjuklonDays},
	"karens_employee":           {kind: "rule", history: true, rules: []string{karensDag, karensAvdrag}},
	"karens_days_self_employed": {kind: "int", history: true, max: 90},
	"recurrence_gap_days":       {kind: "int", history: true, max: 365},
	"chain_join_gap_days":       {kind: "int", min: 1, max: 3650},
	"rehab_chain_checkpoints":   {kind: "days-list"},
	"unemployed_daily_max_kr":   {kind: "int", min: 1, max: 100_000},
	"serious_illness_exception": {kind: "rule", rules: []string{"synnerliga skäl", "allvarlig sjukdom"}},

	"high_risk_karens_count":           {kind: "int", history: true},
	"high_risk_self_employed_periods":  {kind: "int", history: true},
	"high_risk_self_employed_days":     {kind: "int", history: true},
	"recurrence_gap_days_karenstid":    {kind: "int", history: true},
	"karenstid_choices_self_employed":  {kind: "int-list", history: true},
	"karenstid_shorter_max_age":        {kind: "limit"},
	"age_limit_years":                  {kind: "limit"},
	"pandemic_karens_compensation_kr":  {kind: "int"},
	"pandemic_self_employed_karens_kr": {kind: "int"},
}

// provisionalYears is how many calendar years past the last prisbasbelopp
// Evaluate answers, with the newest values carried forward and the result
// marked provisional. Further out a carried-forward amount is no longer a
// useful estimate, and the date is refused as out of range.
const provisionalYears = 3

// Engine holds validated, immutable legislation parameters. It is safe for
// concurrent use.
type Engine struct {
	rows []ParamRow
	// params is what the engine was built from; WithUpdates and
	// WithScenario build new engines from it.
	params *paramSet

	// minDate and maxDate bound the dates that can be evaluated: from the
	// start of the rehabilitation chain to provisionalYears past the last
	// day with a prisbasbelopp.
	minDate, maxDate Date
	// historyStart is the earliest day a sick-leave period may start: the
	// first day every rule used to count past days is known.
	historyStart Date

	pbbYear0 int
	pbb      []span // one per calendar year from pbbYear0

	sgiCap, sgiThreshold, sgiRounding, factor, rateNormal, rateCont series
	normalMax, frameWindow, sjuklonFrame, contMax                   series
	sjukloneperiod, karens, karensSelf, recurrenceGap, joinGap      series
	checkpoints, unemployedMax, seriousIllness                      series

	// The rules of karens beyond the default (SFB 27 kap. 29–33, 39 §§),
	// the age limit (27 kap. 36 §) and the pandemic compensation.
	highRiskCount, highRiskSelfPeriods, highRiskSelfDays, recurrenceKarenstid series
	karenstidChoices, karenstidMaxAge, ageLimit                               series
	pandemicKarens, pandemicSelf                                              series

	// highRiskMin is the lowest number of karens occasions any value of the
	// high-risk thresholds asks for: a sjukperiod with fewer occasions in
	// the year before it has no allmänt högriskskydd whatever its date, so
	// the thresholds are not looked up.
	highRiskMin int64
	// pandemicFrom..pandemicTo holds every day on which a pandemic
	// compensation is paid (a value other than 0, carried forward past the
	// last value as at does): a day outside it has none without a lookup.
	pandemicFrom, pandemicTo int32

	// provEnds and provNames list the parameters whose last value ends, in
	// the order they end: a date after provEnds[i] evaluates with
	// provNames[:i+1] carried forward.
	provEnds  []int32
	provNames []string
	// scenario names the scenario the engine evaluates under, "" for none;
	// overrides are the scenario's values.
	scenario  string
	overrides []ParamRow

	// maxNormalFull is the highest full daily amount at the normal level for
	// each year, used by the property tests and sanity checks.
	maxNormalFull []int64
}

// paramSet is every parameter's series and unit: what an Engine is built
// from. It is never changed once built; an update or a scenario makes a
// new set that shares the series it leaves alone.
type paramSet struct {
	series map[string]series
	units  map[string]string
}

// with returns a copy of p with name's series replaced.
func (p *paramSet) with(name string, s series) *paramSet {
	q := &paramSet{series: make(map[string]series, len(p.series)), units: p.units}
	for k, v := range p.series {
		q.series[k] = v
	}
	q.series[name] = s
	return q
}

// New parses and validates the embedded parameter files. It fails when a
// parameter is missing, a value does not parse, or validity intervals have
// gaps or overlaps.
func New() (*Engine, error) {
	p, err := builtinParams()
	if err != nil {
		return nil, err
	}
	return build(p)
}

// builtinParams are the embedded parameter files, read once.
var builtinParams = sync.OnceValues(func() (*paramSet, error) {
	sub, err := fs.Sub(paramFiles, "params")
	if err != nil {
		return nil, err
	}
	return loadParams(sub)
})

// defaultEngine backs Batch callers and tests that only need the embedded
// parameters; the Engine it returns is immutable.
var defaultEngine = sync.OnceValues(New)

func newFromFS(fsys fs.FS) (*Engine, error) {
	p, err := loadParams(fsys)
	if err != nil {
		return nil, err
	}
	return build(p)
}

// loadParams reads and checks a release's parameter files: each file on
// its own, then that together they cover every day up to the last
// prisbasbelopp (a release is consistent; only later days are carried
// forward).
func loadParams(fsys fs.FS) (*paramSet, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	p := &paramSet{series: map[string]series{}, units: map[string]string{}}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var pf paramFile
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&pf); err != nil {
			return nil, fmt.Errorf("rules: parameter file %s: %w", name, err)
		}
		if pf.Name+".json" != path.Base(name) {
			return nil, fmt.Errorf("rules: parameter file %s names parameter %q", name, pf.Name)
		}
		spec, ok := paramSpecs[pf.Name]
		if !ok {
			return nil, fmt.Errorf("rules: parameter file %s: unknown parameter %q", name, pf.Name)
		}
		if pf.Unit == "" {
			return nil, fmt.Errorf("rules: parameter %s: no unit", pf.Name)
		}
		s, err := parseSeries(pf, spec)
		if err != nil {
			return nil, err
		}
		p.series[pf.Name] = s
		p.units[pf.Name] = pf.Unit
	}
	for name := range paramSpecs {
		if _, ok := p.series[name]; !ok {
			return nil, fmt.Errorf("rules: parameter %s is missing", name)
		}
	}
	last := p.series["prisbasbelopp"].end()
	for name, s := range p.series {
		if s.end() < last {
			return nil, fmt.Errorf("rules: parameter %s ends %v, before %v", name, civil.FromDays(s.end()), civil.FromDays(last))
		}
	}
	return p, nil
}

// build checks that a parameter set can drive the engine and makes the
// Engine.
func build(p *paramSet) (*Engine, error) {
	all := p.series
	e := &Engine{params: p}
	pbb := all["prisbasbelopp"]
	for i, sp := range pbb {
		if err := checkPbbSpan(sp); err != nil {
			return nil, err
		}
		if i == 0 {
			e.pbbYear0 = civil.FromDays(sp.from).Year()
		}
	}
	e.pbb = pbb
	lastYear := civil.FromDays(pbb.end()).Year()
	e.maxDate, _ = NewDate(lastYear+provisionalYears, 12, 31)
	e.minDate = civil.FromDays(all["rehab_chain_checkpoints"][0].from)
	for name, spec := range paramSpecs {
		if spec.history {
			if f := all[name][0].from; f > e.historyStart.Days() {
				e.historyStart = civil.FromDays(f)
			}
		}
	}
	// Every parameter must cover the days the engine can ask about from
	// the first evaluable date (or the history start); days after a
	// parameter's last value carry it forward.
	for name, spec := range paramSpecs {
		s := all[name]
		need := e.minDate
		if spec.history {
			need = e.historyStart
		}
		if name == "prisbasbelopp" || name == "sgi_cap_pbb" || name == "sgi_threshold_pbb" ||
			name == "sgi_rounding_kr" || name == "benefit_base_factor" {
			// Amounts are computed for the evaluated date only.
			need = e.minDate
		}
		if s[0].from > need.Days() {
			return nil, fmt.Errorf("rules: parameter %s starts %v, after %v", name, civil.FromDays(s[0].from), need)
		}
	}
	e.sgiCap = all["sgi_cap_pbb"]
	e.sgiThreshold = all["sgi_threshold_pbb"]
	e.sgiRounding = all["sgi_rounding_kr"]
	e.factor = all["benefit_base_factor"]
	e.rateNormal = all["rate_normal"]
	e.rateCont = all["rate_continuation"]
	e.normalMax = all["normal_level_max_days"]
	e.frameWindow = all["frame_window_days"]
	e.sjuklonFrame = all["sjuklon_frame_days"]
	e.contMax = all["continuation_max_days"]
	e.sjukloneperiod = all["sjukloneperiod_days"]
	e.karens = all["karens_employee"]
	e.karensSelf = all["karens_days_self_employed"]
	e.recurrenceGap = all["recurrence_gap_days"]
	e.joinGap = all["chain_join_gap_days"]
	e.checkpoints = all["rehab_chain_checkpoints"]
	e.unemployedMax = all["unemployed_daily_max_kr"]
	e.seriousIllness = all["serious_illness_exception"]
	e.highRiskCount = all["high_risk_karens_count"]
	e.highRiskSelfPeriods = all["high_risk_self_employed_periods"]
	e.highRiskSelfDays = all["high_risk_self_employed_days"]
	e.recurrenceKarenstid = all["recurrence_gap_days_karenstid"]
	e.karenstidChoices = all["karenstid_choices_self_employed"]
	e.karenstidMaxAge = all["karenstid_shorter_max_age"]
	e.ageLimit = all["age_limit_years"]
	e.pandemicKarens = all["pandemic_karens_compensation_kr"]
	e.pandemicSelf = all["pandemic_self_employed_karens_kr"]

	// The day loop keeps counted days in a ring of ringDays bits; a frame
	// window longer than that would silently miscount.
	for _, sp := range e.frameWindow {
		if sp.v <= 0 || sp.v >= ringDays {
			return nil, fmt.Errorf("rules: frame_window_days %d outside 1–%d", sp.v, ringDays-1)
		}
	}
	// The allmänt högriskskydd remembers the latest maxKarensEvents
	// sjukperioder with karens: a threshold of more sjukperioder than that
	// could never be reached. (The self-employed's threshold in days is
	// reached by fewer sjukperioder, each losing several days.)
	e.highRiskMin = math.MaxInt64
	for _, s := range []series{e.highRiskCount, e.highRiskSelfPeriods} {
		for _, sp := range s {
			if sp.v > maxKarensEvents {
				return nil, fmt.Errorf("rules: high-risk threshold %d above %d", sp.v, maxKarensEvents)
			}
			e.highRiskMin = min(e.highRiskMin, sp.v)
		}
	}
	e.pandemicFrom, e.pandemicTo = pandemicDays(e.pandemicKarens, e.pandemicSelf)
	for _, sp := range e.sjukloneperiod {
		if sp.v < 1 || sp.v > maxSjuklonDays {
			return nil, fmt.Errorf("rules: sjukloneperiod_days %d outside 1–%d", sp.v, maxSjuklonDays)
		}
	}

	for y := e.pbbYear0; y <= e.maxDate.Year(); y++ {
		d, _ := NewDate(y, 12, 31)
		if d.Days() < e.minDate.Days() {
			e.maxNormalFull = append(e.maxNormalFull, 0)
			continue
		}
		a := e.amounts(d, math.MaxInt32, Employee)
		e.maxNormalFull = append(e.maxNormalFull, a.normal)
	}

	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, sp := range all[name] {
			row := ParamRow{Name: name, From: civil.FromDays(sp.from), Value: sp.s, Unit: p.units[name],
				Ref: sp.ref, Source: sp.source, Note: sp.note, Origin: originNames[sp.origin]}
			if sp.to != openEnd {
				row.To = civil.FromDays(sp.to)
			}
			e.rows = append(e.rows, row)
		}
	}
	// The parameters that can run out, in the order they do.
	for _, name := range names {
		if end := all[name].end(); end != openEnd {
			e.provEnds = append(e.provEnds, end)
			e.provNames = append(e.provNames, name)
		}
	}
	sort.Stable(byEnd{e.provEnds, e.provNames})
	return e, nil
}

// pandemicDays returns the first and last day on which any of ss has a
// value other than 0, the last value counting as carried forward for ever;
// from > to when there is none.
func pandemicDays(ss ...series) (from, to int32) {
	from, to = math.MaxInt32, math.MinInt32
	for _, s := range ss {
		for i, sp := range s {
			if sp.v == 0 {
				continue
			}
			from = min(from, sp.from)
			if i == len(s)-1 {
				to = math.MaxInt32
			} else {
				to = max(to, sp.to)
			}
		}
	}
	return from, to
}

type byEnd struct {
	ends  []int32
	names []string
}

func (b byEnd) Len() int           { return len(b.ends) }
func (b byEnd) Less(i, j int) bool { return b.ends[i] < b.ends[j] }
func (b byEnd) Swap(i, j int) {
	b.ends[i], b.ends[j] = b.ends[j], b.ends[i]
	b.names[i], b.names[j] = b.names[j], b.names[i]
}

// checkPbbSpan holds a prisbasbelopp value to what the law makes it: the
// amount of one calendar year.
func checkPbbSpan(sp span) error {
	y, m, d := civil.FromDays(sp.from).Civil()
	ty, tm, td := civil.FromDays(sp.to).Civil()
	if sp.to == openEnd || m != 1 || d != 1 || ty != y || tm != 12 || td != 31 {
		return fmt.Errorf("rules: prisbasbelopp %v: each value must cover exactly one calendar year", civil.FromDays(sp.from))
	}
	return nil
}

// noProvisional is shared by every Result without provisional values, so
// that "provisional" is [] in JSON without an allocation.
var noProvisional = []string{}

// provisional names the parameters whose newest value ends before day n,
// so that their value on n is carried forward. The returned slice is the
// engine's own, capped so that appending to it copies.
func (e *Engine) provisional(n int32) []string {
	k := 0
	for k < len(e.provEnds) && e.provEnds[k] < n {
		k++
	}
	if k == 0 {
		return noProvisional
	}
	return e.provNames[:k:k]
}

func parseSeries(pf paramFile, spec paramSpec) (series, error) {
	if len(pf.Values) == 0 {
		return nil, fmt.Errorf("rules: parameter %s has no values", pf.Name)
	}
	var s series
	for i, v := range pf.Values {
		at := fmt.Sprintf("rules: parameter %s value %d", pf.Name, i)
		if v.To == "" && i != len(pf.Values)-1 {
			return nil, fmt.Errorf("%s: only the last value may be open-ended", at)
		}
		if v.Ref == "" || v.Source == "" {
			return nil, fmt.Errorf("%s: every value needs a legal reference and a source", at)
		}
		sp, err := parseSpan(v, spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		if i > 0 {
			prev := s[i-1]
			switch {
			case sp.from <= prev.to:
				return nil, fmt.Errorf("%s: starts %v, overlapping the value that ends %v", at, civil.FromDays(sp.from), civil.FromDays(prev.to))
			case sp.from != prev.to+1:
				return nil, fmt.Errorf("%s: starts %v, leaving a gap after %v", at, civil.FromDays(sp.from), civil.FromDays(prev.to))
			}
		}
		s = append(s, sp)
	}
	return s, nil
}

// parseSpan reads one value of a parameter file: its dates, its value in
// the parameter's kind, and its reference and source as they are.
func parseSpan(v paramValue, spec paramSpec) (span, error) {
	from, err := ParseDate(v.From)
	if err != nil {
		return span{}, fmt.Errorf("from %q: %w", v.From, err)
	}
	to := civil.FromDays(openEnd)
	if v.To != "" {
		if to, err = ParseDate(v.To); err != nil {
			return span{}, fmt.Errorf("to %q: %w", v.To, err)
		}
		if to.Before(from) {
			return span{}, fmt.Errorf("to %v before from %v", to, from)
		}
	}
	sp := span{from: from.Days(), to: to.Days(), s: v.Value, ref: v.Ref, source: v.Source, note: v.Note}
	if sp.v, err = parseValue(v.Value, spec); err != nil {
		return span{}, err
	}
	if spec.kind == "days-list" {
		cps, _ := parseCheckpoints(v.Value)
		for j, c := range cps {
			sp.cps[j] = int32(c)
		}
	}
	return sp, nil
}

func parseValue(v string, spec paramSpec) (int64, error) {
	switch spec.kind {
	case "int":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("value %q is not a whole non-negative number", v)
		}
		return n, nil
	case "decimal":
		return parseDecimal(v)
	case "limit":
		if v == "none" {
			return -1, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("value %q is neither a positive number of days nor \"none\"", v)
		}
		return n, nil
	case "rule":
		for _, r := range spec.rules {
			if v == r {
				return 0, nil
			}
		}
		return 0, fmt.Errorf("value %q is not one of %q", v, spec.rules)
	case "days-list":
		_, err := parseCheckpoints(v)
		return 0, err
	case "int-list":
		prev := int64(0)
		for p := range strings.SplitSeq(v, ",") {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || n <= prev {
				return 0, fmt.Errorf("value %q must list increasing positive whole numbers", v)
			}
			prev = n
		}
		return 0, nil
	}
	return 0, fmt.Errorf("unknown parameter kind %q", spec.kind)
}

// parseDecimal reads a decimal such as "0.97" or "7.5" as a fixed-point
// number scaled by decimalScale, rejecting more precision than the scale
// holds rather than rounding it away.
func parseDecimal(v string) (int64, error) {
	whole, frac, _ := strings.Cut(v, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || whole == "" || len(frac) > 4 || w > 1e6 {
		return 0, fmt.Errorf("value %q is not a decimal with at most 4 decimals", v)
	}
	f := int64(0)
	if frac != "" {
		for len(frac) < 4 {
			frac += "0"
		}
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || f < 0 {
			return 0, fmt.Errorf("value %q is not a decimal", v)
		}
	}
	return w*decimalScale + f, nil
}

// parseCheckpoints reads the rehabilitation chain's checkpoints, e.g.
// "90,180,365": three increasing day counts.
func parseCheckpoints(v string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(v, ",")
	if len(parts) != 3 {
		return out, fmt.Errorf("value %q must list three checkpoints", v)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 || (i > 0 && n <= out[i-1]) {
			return out, fmt.Errorf("value %q must list three increasing day counts", v)
		}
		out[i] = n
	}
	return out, nil
}

// Params returns every value of every parameter, sorted by name and date:
// one row per value with its validity interval, unit, legal reference,
// source and origin (built-in, stored or scenario).
func (e *Engine) Params() []ParamRow {
	return append([]ParamRow(nil), e.rows...)
}

// DateRange returns the first and last date Evaluate accepts. Dates after
// KnownUntil evaluate with the newest values carried forward, and the
// result names them as provisional.
func (e *Engine) DateRange() (first, last Date) { return e.minDate, e.maxDate }

// KnownUntil is the last date on which every parameter has a value in
// force: later dates carry some value forward (Result.Provisional).
func (e *Engine) KnownUntil() Date {
	if len(e.provEnds) == 0 {
		return e.maxDate
	}
	return civil.FromDays(min(e.provEnds[0], e.maxDate.Days()))
}

// pbbFor returns the prisbasbelopp span of d's calendar year, the last
// one known for a year after it.
func (e *Engine) pbbFor(d Date) *span {
	i := min(d.Year()-e.pbbYear0, len(e.pbb)-1)
	return &e.pbb[i]
}

// ProvisionalOn names the parameters whose newest value ends before d: the
// values a result on d would carry forward.
func (e *Engine) ProvisionalOn(d Date) []string {
	return append([]string(nil), e.provisional(d.Days())...)
}
