package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
)

// calculatorPage is GET /rakna, "Räkna på sjukpenning och
// rehabiliteringskedjan": a public form that asks the rules engine where a
// case stands on a date and shows the answer, a timeline picture and the
// rules applied. The form is sent with GET, so a result is a link that can
// be shared: the input describes a situation, not a person. It works
// without JavaScript.
func (s *Server) calculatorPage(w http.ResponseWriter, r *http.Request, a *actor) {
	lang := language(w, r)
	form, submitted := parseCalcForm(r.URL.Query())
	engine := s.engine()
	first, last := engine.DateRange()
	data := calcPage{First: first.String(), Last: last.String(), ExampleURL: calcExampleURL}
	status := http.StatusOK
	if submitted {
		input, rows, errs := form.input()
		if errs == nil {
			in, err := rules.ParseInput(input)
			var res rules.Result
			if err == nil {
				res, err = engine.Evaluate(in, rules.Options{Trace: true})
			}
			var re *rules.Error
			switch {
			case errors.As(err, &re):
				errs = []calcError{{Field: formField(re.Field, rows), Engine: re}}
			case err != nil:
				s.log.ErrorContext(r.Context(), "calculator", "err", err)
				s.errorPage(w, r, http.StatusInternalServerError, "internal")
				return
			default:
				data.Result = calcResultView(engine, lang, in, res, string(input))
			}
		}
		if errs != nil {
			status = http.StatusUnprocessableEntity
			data.Errors = errs
		}
	}
	data.fill(lang, form)
	s.render(w, r, status, "calculator", page{Lang: lang, Title: translate(lang, "calc.title"), Actor: a, Data: data})
}

// calcExampleURL fills the form with the worked example of the API
// documentation.
const calcExampleURL = "/rakna?date=2014-06-30&employment=employee&annual_income=300000&p1_from=2014-01-01&p1_degree=100"

// calcPage is what calculator.html shows.
type calcPage struct {
	First, Last string
	ExampleURL  string
	Errors      []calcError
	// Summary lists the errors with the label of their field, for the box
	// at the top of the page.
	Summary []calcSummaryItem
	// General are errors that belong to no single field.
	General    []string
	Date       calcInput
	Employment calcSelect
	Income     calcInput
	Rows       []calcRow
	Serious    calcInput
	Result     *calcResult
}

type calcSummaryItem struct {
	Href, Text string
}

// calcInput is one form control with its label, hint, value and error.
type calcInput struct {
	ID, Label, Hint, Value, Error string
	Checked                       bool
}

// ErrorID is the id of the element that holds the error message.
func (c calcInput) ErrorID() string { return c.ID + "-error" }

// calcSelect is a list to choose from.
type calcSelect struct {
	In      calcInput
	Options []calcOption
}

type calcOption struct {
	Value, Label string
	Selected     bool
}

type calcRow struct {
	Legend   string
	From, To calcInput
	Degree   calcSelect
}

// fill prepares the form's controls with what the person typed and the
// errors next to the fields they belong to.
func (d *calcPage) fill(lang string, f calcForm) {
	T := func(id string) string { return translate(lang, id) }
	fieldErr := map[string]string{}
	for _, e := range d.Errors {
		msg := e.message(lang)
		if e.Field == "" {
			d.General = append(d.General, msg)
			continue
		}
		if _, dup := fieldErr[e.Field]; !dup {
			fieldErr[e.Field] = msg
		}
	}
	in := func(id, label, hint, value string) calcInput {
		return calcInput{ID: id, Label: label, Hint: hint, Value: value, Error: fieldErr[id]}
	}
	d.Date = in(calcFieldDate, T("calc.date"), T("calc.date.hint")+" "+d.First+" – "+d.Last+".", f.Date)
	d.Employment.In = in(calcFieldEmployment, T("calc.employment"), "", f.Employment)
	for _, e := range []rules.Employment{rules.Employee, rules.Unemployed, rules.SelfEmployed} {
		d.Employment.Options = append(d.Employment.Options, calcOption{Value: string(e), Label: T("calc.employment." + string(e)), Selected: string(e) == f.Employment})
	}
	d.Income = in(calcFieldIncome, T("calc.income"), T("calc.income.hint"), f.Income)
	d.Serious = in(calcFieldSerious, T("calc.serious"), T("calc.serious.hint"), "")
	d.Serious.Checked = f.SeriousIllness
	for i, p := range f.Periods {
		row := calcRow{
			Legend: T("calc.period") + " " + strconv.Itoa(i+1),
			From:   in(calcPeriodField(i, "from"), T("calc.from"), T("calc.date.format"), p.From),
			To:     in(calcPeriodField(i, "to"), T("calc.to"), T("calc.to.hint"), p.To),
			Degree: calcSelect{In: in(calcPeriodField(i, "degree"), T("calc.degree"), "", p.Degree)},
		}
		for _, deg := range []string{"100", "75", "50", "25"} {
			row.Degree.Options = append(row.Degree.Options, calcOption{Value: deg, Label: deg + " %", Selected: deg == p.Degree})
		}
		d.Rows = append(d.Rows, row)
	}
	// The summary follows the order of the form, not of the checks.
	for _, c := range d.controls() {
		if c.Error != "" {
			d.Summary = append(d.Summary, calcSummaryItem{Href: "#" + c.ID, Text: c.label + ": " + c.Error})
		}
	}
}

type labelledControl struct {
	calcInput
	label string
}

// controls lists the form's controls in order, each with the label a
// person sees in the summary of errors.
func (d *calcPage) controls() []labelledControl {
	out := []labelledControl{{d.Date, d.Date.Label}, {d.Employment.In, d.Employment.In.Label}, {d.Income, d.Income.Label}}
	for _, r := range d.Rows {
		for _, c := range []calcInput{r.From, r.To, r.Degree.In} {
			out = append(out, labelledControl{c, r.Legend + ", " + lowerFirst(c.Label)})
		}
	}
	return out
}

// calcResult is the answer as the page shows it.
type calcResult struct {
	Date       string
	Facts      []calcFact
	Milestones []calcFact
	Timeline   template.HTML
	Legend     []calcLegendItem
	Trace      []calcTraceRow
	// InputJSON is the same question as the API and the command line take.
	InputJSON string
	// Provisional names the parameters carried forward past their newest
	// value, for the notice.
	Provisional []string
}

type calcFact struct{ Label, Value string }

type calcLegendItem struct {
	Swatch template.HTML
	Label  string
}

type calcTraceRow struct{ Step, Ref, Value string }

func calcResultView(e *rules.Engine, lang string, in rules.Input, res rules.Result, inputJSON string) *calcResult {
	T := func(id string) string { return translate(lang, id) }
	kr := func(n int64) string { return formatInt(lang, n) + " kr" }
	yesNo := func(b bool) string {
		if b {
			return T("calc.yes")
		}
		return T("calc.no")
	}
	v := &calcResult{Date: res.Date.String(), InputJSON: inputJSON, Provisional: provisionalLabels(lang, res)}
	v.Facts = append(v.Facts, calcFact{T("calc.sick"), yesNo(res.Sick)})
	if res.Sick {
		v.Facts = append(v.Facts, calcFact{T("calc.chain_day"), strconv.Itoa(res.ChainDay) + " (" + T("calc.phase") + " " + strings.Replace(res.ChainPhase, "-", "–", 1) + ")"})
	}
	v.Facts = append(v.Facts,
		calcFact{T("calc.payer"), T("calc.payer." + res.Payer)},
		calcFact{T("calc.level"), T("calc.level." + res.Level)},
		calcFact{T("calc.daily_amount"), kr(res.DailyAmount)},
		calcFact{T("calc.full_daily_amount"), kr(res.FullDailyAmount.Normal) + " " + T("calc.at_normal") + ", " +
			kr(res.FullDailyAmount.Continuation) + " " + T("calc.at_continuation")},
		calcFact{T("calc.sgi"), kr(res.SGI)},
		calcFact{T("calc.frame_days"), strconv.Itoa(res.FrameDays) + " " + T("calc.frame_days.of")},
		calcFact{T("calc.time_limit"), yesNo(res.TimeLimitReached)},
	)
	date := func(d rules.Date) string {
		if d.IsZero() {
			return T("calc.not_applicable")
		}
		return d.String()
	}
	ms := res.Milestones
	v.Milestones = []calcFact{
		{T("calc.ms.day_91"), date(ms.Day91)},
		{T("calc.ms.day_181"), date(ms.Day181)},
		{T("calc.ms.day_366"), date(ms.Day366)},
		{T("calc.ms.continuation_level"), date(ms.ContinuationLevel)},
		{T("calc.ms.time_limit"), date(ms.TimeLimit)},
	}
	tl := buildTimeline(e, in, res)
	if len(tl.Periods) > 0 {
		v.Timeline = timelineSVG(tl, lang, "calc-timeline")
		v.Legend = timelineLegend(tl, lang)
	}
	for _, st := range res.Trace {
		v.Trace = append(v.Trace, calcTraceRow{Step: T("calc.step." + st.Step), Ref: st.Ref, Value: traceValueText(lang, st)})
	}
	return v
}

// timelineLegend explains the colours that the picture uses.
func timelineLegend(t timeline, lang string) []calcLegendItem {
	swatch := func(fill string) template.HTML {
		w := &svgWriter{}
		w.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-swatch", "width", "14", "height", "14",
			"viewBox", "0 0 14 14", "aria-hidden", "true", "focusable", "false")
		w.elem("rect", "width", "14", "height", "14", "fill", fill)
		w.close("svg")
		return w.html()
	}
	line := func(colour, dash string) template.HTML {
		w := &svgWriter{}
		w.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-swatch", "width", "14", "height", "14",
			"viewBox", "0 0 14 14", "aria-hidden", "true", "focusable", "false")
		attrs := []string{"x1", "7", "y1", "0", "x2", "7", "y2", "14", "stroke", colour, "stroke-width", "2"}
		if dash != "" {
			attrs = append(attrs, "stroke-dasharray", dash)
		}
		w.elem("line", attrs...)
		w.close("svg")
		return w.html()
	}
	var items []calcLegendItem
	seen := map[string]bool{}
	for _, p := range t.Pay {
		seen[p.Kind] = true
	}
	for _, k := range []string{payKarens, paySjuklon, payNormal, payContinuation, payLimit} {
		if seen[k] {
			items = append(items, calcLegendItem{swatch(tlPayFill[k]), translate(lang, "calc.tl."+k)})
		}
	}
	items = append(items, calcLegendItem{line(tlDateLine, ""), translate(lang, "calc.tl.date")})
	if !t.ContinuationLevel.IsZero() {
		items = append(items, calcLegendItem{line(tlLevelLine, "6 3"), translate(lang, "calc.tl.continuation_from")})
	}
	if !t.TimeLimit.IsZero() {
		items = append(items, calcLegendItem{line(tlLimitLine, "2 2"), translate(lang, "calc.tl.limit_from")})
	}
	return items
}

// traceValueText shows a trace value in words where a word exists.
func traceValueText(lang string, st rules.TraceStep) string {
	switch v := st.Value.(type) {
	case bool:
		if v {
			return translate(lang, "calc.yes")
		}
		return translate(lang, "calc.no")
	case int64:
		return formatInt(lang, v)
	case int:
		return formatInt(lang, int64(v))
	case rules.Date:
		if v.IsZero() {
			return translate(lang, "calc.not_applicable")
		}
		return v.String()
	case string:
		switch st.Step {
		case rules.StepPayer:
			return translate(lang, "calc.payer."+v)
		case rules.StepLevel:
			return translate(lang, "calc.level."+v)
		case rules.StepChainPhase:
			return strings.Replace(v, "-", "–", 1)
		case rules.StepProvisional, rules.StepScenarioOverride:
			// "name = value (dates)": the parameter in words.
			if name, rest, ok := strings.Cut(v, " = "); ok {
				return paramLabel(lang, name) + ": " + rest
			}
		}
		return v
	}
	return ""
}

// formatInt groups digits by thousands the way the language writes them:
// 300 000 in Swedish (with a no-break space), 300,000 in English.
func formatInt(lang string, n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "\u00a0"
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

// lowerFirst puts a label after a comma: "Period 2, till och med".
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
