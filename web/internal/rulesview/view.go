package rulesview

import (
	"html/template"
	"sort"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/svg"
)

// Fact is a labelled value of a result.
type Fact struct{ Label, Value string }

// LegendItem explains one colour, shape or line of a picture.
type LegendItem struct {
	Swatch template.HTML
	Label  string
}

// TraceRow is one step of the rules applied, in words.
type TraceRow struct{ Step, Ref, Value string }

// TimelineLegend explains the colours and shapes that the picture uses:
// on the calculator who pays and the lines of the markers, on the case
// page the kinds of marks it shows.
func TimelineLegend(t Timeline, lang string) []LegendItem {
	swatch := func(fill string) template.HTML {
		w := &svg.Writer{}
		w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-swatch", "width", "14", "height", "14",
			"viewBox", "0 0 14 14", "aria-hidden", "true", "focusable", "false")
		w.Elem("rect", "width", "14", "height", "14", "fill", fill)
		w.Close("svg")
		return w.HTML()
	}
	line := func(colour, dash string) template.HTML {
		w := &svg.Writer{}
		w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-swatch", "width", "14", "height", "14",
			"viewBox", "0 0 14 14", "aria-hidden", "true", "focusable", "false")
		attrs := []string{"x1", "7", "y1", "0", "x2", "7", "y2", "14", "stroke", colour, "stroke-width", "2"}
		if dash != "" {
			attrs = append(attrs, "stroke-dasharray", dash)
		}
		w.Elem("line", attrs...)
		w.Close("svg")
		return w.HTML()
	}
	mark := func(kind string) template.HTML {
		w := &svg.Writer{}
		w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-swatch", "width", "16", "height", "16",
			"viewBox", "0 0 16 16", "aria-hidden", "true", "focusable", "false")
		if kind == MarkCertificate {
			w.Elem("rect", "x", "6.5", "y", "1", "width", "3", "height", "14", "fill", MarkColour[kind])
		} else {
			drawMark(w, kind, 8, 8)
		}
		w.Close("svg")
		return w.HTML()
	}
	var items []LegendItem
	seen := map[string]bool{}
	for _, p := range t.Pay {
		seen[p.Kind] = true
	}
	for _, mr := range t.markRows() {
		for _, m := range mr.marks {
			seen[m.Kind] = true
		}
	}
	for _, k := range []string{PayKarens, PaySjuklon, PayNormal, PayContinuation, PayLimit} {
		if seen[k] {
			items = append(items, LegendItem{Swatch: swatch(PayFill[k]), Label: translate(lang, "calc.tl."+k)})
		}
	}
	for _, k := range markKinds {
		if seen[k] {
			items = append(items, LegendItem{Swatch: mark(k), Label: translate(lang, "case.tl.legend."+k)})
		}
	}
	if t.Case {
		// The case page's markers are worded in the picture itself.
		return items
	}
	items = append(items, LegendItem{Swatch: line(DateLine, ""), Label: translate(lang, "calc.tl.date")})
	if !t.ContinuationLevel.IsZero() {
		items = append(items, LegendItem{Swatch: line(LevelLine, "6 3"), Label: translate(lang, "calc.tl.continuation_from")})
	}
	if !t.TimeLimit.IsZero() {
		items = append(items, LegendItem{Swatch: line(LimitLine, "2 2"), Label: translate(lang, "calc.tl.limit_from")})
	}
	return items
}

// TimelineItem is one row of the table beside a case's picture.
type TimelineItem struct {
	Row, From, To, Text string
	sort                rules.Date
}

// TimelineItems lists what the picture of a case shows, by date: the
// table that says in words everything the picture draws.
func TimelineItems(t Timeline, lang string) []TimelineItem {
	T := func(id string) string { return translate(lang, id) }
	var out []TimelineItem
	for _, p := range t.Phases {
		out = append(out, TimelineItem{Row: T("case.tl.row.phases"), From: p.From.String(), To: p.To.String(),
			Text: T("case.tl.day") + " " + phaseText(p.Kind), sort: p.From})
	}
	for _, p := range t.Periods {
		out = append(out, TimelineItem{Row: T("case.tl.row.periods"), From: p.From.String(), To: p.To.String(),
			Text: strconv.Itoa(p.Degree) + " %", sort: p.From})
	}
	for _, mr := range t.markRows() {
		for _, m := range mr.marks {
			out = append(out, TimelineItem{Row: T(mr.label), From: m.Date.String(), Text: m.Text, sort: m.Date})
		}
	}
	if !t.Date.IsZero() {
		out = append(out, TimelineItem{Row: T("case.tl.today"), From: t.Date.String(), Text: T("case.tl.today_text"), sort: t.Date})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].sort.Before(out[j].sort) })
	return out
}

// traceValueText shows a trace value in words where a word exists.
func TraceValueText(lang string, st rules.TraceStep) string {
	switch v := st.Value.(type) {
	case bool:
		if v {
			return translate(lang, "calc.yes")
		}
		return translate(lang, "calc.no")
	case int64:
		return FormatInt(lang, v)
	case int:
		return FormatInt(lang, int64(v))
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
		case rules.StepAgeLimit:
			// The engine says in English why the limit did not count.
			switch v {
			case "not applied: no birth date":
				return translate(lang, "calc.age_limit.no_birth_date")
			case "age limit not reached":
				return translate(lang, "calc.age_limit.not_reached")
			}
		case rules.StepProvisional, rules.StepScenarioOverride:
			// "name = value (dates)": the parameter in words.
			if name, rest, ok := strings.Cut(v, " = "); ok {
				return ParamLabel(lang, name) + ": " + rest
			}
		}
		return v
	}
	return ""
}

// formatInt groups digits by thousands the way the language writes them:
// 300 000 in Swedish (with a no-break space), 300,000 in English.
func FormatInt(lang string, n int64) string {
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

// paramLabel is a parameter's name for people.
func ParamLabel(lang, name string) string { return translate(lang, "param.name."+name) }

// provisionalLabels names in words the parameters a result carried
// forward.
func ProvisionalLabels(lang string, res rules.Result) []string {
	var out []string
	for _, n := range res.Provisional {
		out = append(out, ParamLabel(lang, n))
	}
	return out
}
