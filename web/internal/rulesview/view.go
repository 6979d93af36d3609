package rulesview

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/svg"
)

type Fact struct{ Label, Value string }

type LegendItem struct {
	Swatch template.HTML
	Label  string
}

type TraceRow struct{ Step, Ref, Value string }

// timelineLegend explains the colours that the picture uses.
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
	var items []LegendItem
	seen := map[string]bool{}
	for _, p := range t.Pay {
		seen[p.Kind] = true
	}
	for _, k := range []string{PayKarens, PaySjuklon, PayNormal, PayContinuation, PayLimit} {
		if seen[k] {
			items = append(items, LegendItem{swatch(PayFill[k]), translate(lang, "calc.tl."+k)})
		}
	}
	items = append(items, LegendItem{line(DateLine, ""), translate(lang, "calc.tl.date")})
	if !t.ContinuationLevel.IsZero() {
		items = append(items, LegendItem{line(LevelLine, "6 3"), translate(lang, "calc.tl.continuation_from")})
	}
	if !t.TimeLimit.IsZero() {
		items = append(items, LegendItem{line(LimitLine, "2 2"), translate(lang, "calc.tl.limit_from")})
	}
	return items
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
