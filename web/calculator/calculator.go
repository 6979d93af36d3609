package calculator

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
)

// Page is GET /rakna, "Räkna på sjukpenning och
// rehabiliteringskedjan": a public form that asks the rules engine where a
// case stands on a date and shows the answer, a timeline picture and the
// rules applied. The form is sent with GET, so a result is a link that can
// be shared: the input describes a situation, not a person. It works
// without JavaScript.
func (s *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	form, submitted := parseCalcForm(r.URL.Query())
	engine := s.Engine()
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
				errs = site.Problems{engineProblem(formField(re.Field, rows), re)}
			case err != nil:
				return site.Internal("calculator", err)
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
	s.Render(w, r, status, "calculator", site.Page{Lang: lang, Title: translate(lang, "calc.title"), Actor: a, Data: data})
	return nil
}

// calcExampleURL fills the form with the worked example of the API
// documentation.
const calcExampleURL = "/rakna?date=2014-06-30&employment=employee&annual_income=300000&p1_from=2014-01-01&p1_degree=100"

// calcPage is what calculator.html shows.
type calcPage struct {
	First, Last string
	ExampleURL  string
	Errors      site.Problems
	// Summary lists the errors with the label of their field, for the box
	// at the top of the page.
	Summary []form.Link
	// General are errors that belong to no single field.
	General    []string
	Date       form.Input
	Employment form.Input
	Income     form.Input
	Rows       []calcRow
	Serious    form.Input
	Result     *calcResult
}

type calcRow struct {
	Legend           string
	From, To, Degree form.Input
}

// fill prepares the form's controls with what the person typed and the
// errors next to the fields they belong to.
func (d *calcPage) fill(lang string, f calcForm) {
	T := func(id string) string { return translate(lang, id) }
	fieldErr := map[string]string{}
	for _, p := range d.Errors {
		msg := p.Message(feature.Words, lang, calcErrPrefix)
		if p.Field == "" {
			d.General = append(d.General, msg)
			continue
		}
		fieldErr[p.Field] = msg
	}
	in := func(id, kind, label, hint, value string) form.Input {
		return form.Input{ID: id, Name: id, Kind: kind, Label: label, Hint: hint, Value: value, Error: fieldErr[id]}
	}
	choices := func(c form.Input, values, labels []string) form.Input {
		for i, v := range values {
			c.Options = append(c.Options, site.Choice{Value: v, Label: labels[i], Selected: v == c.Value})
		}
		return c
	}
	d.Date = in(calcFieldDate, "date", T("calc.date"), T("calc.date.hint")+" "+d.First+" – "+d.Last+".", f.Date)
	var kinds, kindLabels []string
	for _, e := range []rules.Employment{rules.Employee, rules.Unemployed, rules.SelfEmployed} {
		kinds, kindLabels = append(kinds, string(e)), append(kindLabels, T("calc.employment."+string(e)))
	}
	d.Employment = choices(in(calcFieldEmployment, "select", T("calc.employment"), "", f.Employment), kinds, kindLabels)
	d.Income = in(calcFieldIncome, "text", T("calc.income"), T("calc.income.hint"), f.Income)
	d.Serious = in(calcFieldSerious, "checkbox", T("calc.serious"), T("calc.serious.hint"), "")
	d.Serious.Checked = f.SeriousIllness
	degrees := []string{"100", "75", "50", "25"}
	var degreeLabels []string
	for _, deg := range degrees {
		degreeLabels = append(degreeLabels, deg+" %")
	}
	for i, p := range f.Periods {
		d.Rows = append(d.Rows, calcRow{
			Legend: T("calc.period") + " " + strconv.Itoa(i+1),
			From:   in(calcPeriodField(i, "from"), "date", T("calc.from"), T("calc.date.format"), p.From),
			To:     in(calcPeriodField(i, "to"), "date", T("calc.to"), T("calc.to.hint"), p.To),
			Degree: choices(in(calcPeriodField(i, "degree"), "select", T("calc.degree"), "", p.Degree), degrees, degreeLabels),
		})
	}
	// The summary follows the order of the form, not of the checks.
	for _, c := range d.controls() {
		if c.Error != "" {
			d.Summary = append(d.Summary, form.Link{ID: c.ID, Text: c.label + ": " + c.Error})
		}
	}
}

type labelledControl struct {
	form.Input
	label string
}

// controls lists the form's controls in order, each with the label a
// person sees in the summary of errors.
func (d *calcPage) controls() []labelledControl {
	out := []labelledControl{{d.Date, d.Date.Label}, {d.Employment, d.Employment.Label}, {d.Income, d.Income.Label}}
	for _, r := range d.Rows {
		for _, c := range []form.Input{r.From, r.To, r.Degree} {
			out = append(out, labelledControl{c, r.Legend + ", " + lowerFirst(c.Label)})
		}
	}
	return out
}

// calcResult is the answer as the page shows it.
type calcResult struct {
	Date       string
	Facts      []rulesview.Fact
	Milestones []rulesview.Fact
	Timeline   template.HTML
	Legend     []rulesview.LegendItem
	Trace      []rulesview.TraceRow
	// InputJSON is the same question as the API and the command line take.
	InputJSON string
	// Provisional names the parameters carried forward past their newest
	// value, for the notice.
	Provisional []string
}

func calcResultView(e *rules.Engine, lang string, in rules.Input, res rules.Result, inputJSON string) *calcResult {
	T := func(id string) string { return translate(lang, id) }
	kr := func(n int64) string { return rulesview.FormatInt(lang, n) + " kr" }
	yesNo := func(b bool) string {
		if b {
			return T("calc.yes")
		}
		return T("calc.no")
	}
	v := &calcResult{Date: res.Date.String(), InputJSON: inputJSON, Provisional: rulesview.ProvisionalLabels(lang, res)}
	v.Facts = append(v.Facts, rulesview.Fact{Label: T("calc.sick"), Value: yesNo(res.Sick)})
	if res.Sick {
		v.Facts = append(v.Facts, rulesview.Fact{Label: T("calc.chain_day"), Value: strconv.Itoa(res.ChainDay) + " (" + T("calc.phase") + " " + strings.Replace(res.ChainPhase, "-", "–", 1) + ")"})
	}
	v.Facts = append(v.Facts,
		rulesview.Fact{Label: T("calc.payer"), Value: T("calc.payer." + res.Payer)},
		rulesview.Fact{Label: T("calc.level"), Value: T("calc.level." + res.Level)},
		rulesview.Fact{Label: T("calc.daily_amount"), Value: kr(res.DailyAmount)},
		rulesview.Fact{Label: T("calc.full_daily_amount"), Value: kr(res.FullDailyAmount.Normal) + " " + T("calc.at_normal") + ", " +
			kr(res.FullDailyAmount.Continuation) + " " + T("calc.at_continuation")},
		rulesview.Fact{Label: T("calc.sgi"), Value: kr(res.SGI)},
		rulesview.Fact{Label: T("calc.frame_days"), Value: strconv.Itoa(res.FrameDays) + " " + T("calc.frame_days.of")},
		rulesview.Fact{Label: T("calc.time_limit"), Value: yesNo(res.TimeLimitReached)},
	)
	date := func(d rules.Date) string {
		if d.IsZero() {
			return T("calc.not_applicable")
		}
		return d.String()
	}
	ms := res.Milestones
	v.Milestones = []rulesview.Fact{
		{Label: T("calc.ms.day_91"), Value: date(ms.Day91)},
		{Label: T("calc.ms.day_181"), Value: date(ms.Day181)},
		{Label: T("calc.ms.day_366"), Value: date(ms.Day366)},
		{Label: T("calc.ms.continuation_level"), Value: date(ms.ContinuationLevel)},
		{Label: T("calc.ms.time_limit"), Value: date(ms.TimeLimit)},
	}
	tl := rulesview.BuildTimeline(e, in, res)
	if len(tl.Periods) > 0 {
		v.Timeline = rulesview.TimelineSVG(tl, lang, "calc-timeline")
		v.Legend = rulesview.TimelineLegend(tl, lang)
	}
	for _, st := range res.Trace {
		v.Trace = append(v.Trace, rulesview.TraceRow{Step: T("calc.step." + st.Step), Ref: st.Ref, Value: rulesview.TraceValueText(lang, st)})
	}
	return v
}

// lowerFirst puts a label after a comma: "Period 2, till och med".
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
