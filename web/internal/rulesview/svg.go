package rulesview

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/svg"
)

// Geometry of the timeline picture, in SVG user units.
const (
	tlWidth     = 960.0
	tlLeft      = 110.0 // room for the row labels
	tlRight     = 16.0
	tlRowHeight = 26.0
	tlPhasesY   = 32.0
	tlPeriodsY  = 66.0
	tlPayY      = 100.0
	tlAxisY     = 134.0
	tlHeight    = 200.0
)

// Colours of the picture. Text on a fill keeps a contrast of at least
// 4.5:1; the same colours mark the legend below the picture.
var (
	PhaseFill  = map[string]string{rules.Phase1To90: "#e3eef9", rules.Phase91To180: "#c6dcf2", rules.Phase181To365: "#a9caeb", rules.Phase366On: "#8cb8e4"}
	PayFill    = map[string]string{PayKarens: "#c62828", PaySjuklon: "#f9a825", PayNormal: "#2e7d32", PayContinuation: "#9ccc65", PayLimit: "#616161"}
	DegreeFill = map[int]string{100: "#3d4d5c", 75: "#56697c", 50: "#8799ab", 25: "#b3c1ce"}
)

const (
	Ink       = "#1b1e23"
	DateLine  = "#1b1e23"
	LevelLine = "#0b4f8a"
	LimitLine = "#b00020"
)

// timelineSVG draws t as an accessible picture: role="img" with a title and
// a description that says in words what the picture shows.
func TimelineSVG(t Timeline, lang, idPrefix string) template.HTML {
	w := &svg.Writer{}
	titleID, descID := idPrefix+"-title", idPrefix+"-desc"
	w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-timeline",
		"viewBox", "0 0 "+svg.Num(tlWidth)+" "+svg.Num(tlHeight), "width", svg.Num(tlWidth), "height", svg.Num(tlHeight),
		"role", "img", "aria-labelledby", titleID+" "+descID, "font-size", "12")
	w.Open("title", "id", titleID)
	w.Escaped(translate(lang, "calc.tl.title"))
	w.Close("title")
	w.Open("desc", "id", descID)
	w.Escaped(timelineDesc(t, lang))
	w.Close("desc")

	plotW := tlWidth - tlLeft - tlRight
	days := float64(t.To.Sub(t.From) + 1)
	x := func(d rules.Date) float64 { return tlLeft + float64(d.Sub(t.From))/days*plotW }
	// span is the width of the days from..to, both included, at least a
	// hairline so that a single day stays visible.
	span := func(from, to rules.Date) (float64, float64) {
		x0, x1 := x(from), x(to.AddDays(1))
		return x0, max(x1-x0, 1)
	}

	rowLabel := func(y float64, id string) {
		w.Text(translate(lang, id), "x", svg.Num(tlLeft-8), "y", svg.Num(y+tlRowHeight/2+4), "text-anchor", "end", "fill", Ink)
	}
	rowLabel(tlPhasesY, "calc.tl.row.phases")
	rowLabel(tlPeriodsY, "calc.tl.row.periods")
	rowLabel(tlPayY, "calc.tl.row.pay")

	// Phases of the rehabilitation chain, labelled where there is room.
	for _, p := range t.Phases {
		x0, wd := span(p.From, p.To)
		w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(tlPhasesY), "width", svg.Num(wd), "height", svg.Num(tlRowHeight),
			"fill", PhaseFill[p.Kind], "stroke", "#ffffff")
		if wd >= 44 {
			w.Text(strings.Replace(p.Kind, "-", "–", 1), "x", svg.Num(x0+wd/2), "y", svg.Num(tlPhasesY+tlRowHeight/2+4),
				"text-anchor", "middle", "fill", Ink)
		}
	}
	// The periods, with their degree.
	for _, p := range t.Periods {
		x0, wd := span(p.From, p.To)
		w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(tlPeriodsY), "width", svg.Num(wd), "height", svg.Num(tlRowHeight),
			"fill", DegreeFill[p.Degree], "stroke", "#ffffff")
		if wd >= 44 {
			ink := "#ffffff"
			if p.Degree <= 50 {
				ink = Ink
			}
			label := strconv.Itoa(p.Degree) + " %"
			if p.Open {
				label += " →"
			}
			w.Text(label, "x", svg.Num(x0+wd/2), "y", svg.Num(tlPeriodsY+tlRowHeight/2+4), "text-anchor", "middle", "fill", ink)
		}
	}
	// Who pays, day by day.
	for _, p := range t.Pay {
		if p.Kind == "" {
			continue
		}
		x0, wd := span(p.From, p.To)
		w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(tlPayY), "width", svg.Num(wd), "height", svg.Num(tlRowHeight), "fill", PayFill[p.Kind])
	}

	// The time axis with its ticks.
	w.Elem("line", "x1", svg.Num(tlLeft), "y1", svg.Num(tlAxisY), "x2", svg.Num(tlLeft+plotW), "y2", svg.Num(tlAxisY), "stroke", Ink)
	for _, tk := range AxisTicks(t.From, t.To) {
		tx := x(tk.Date)
		w.Elem("line", "x1", svg.Num(tx), "y1", svg.Num(tlAxisY), "x2", svg.Num(tx), "y2", svg.Num(tlAxisY+5), "stroke", Ink)
		if tk.Label != "" {
			w.Text(tk.Label, "x", svg.Num(tx), "y", svg.Num(tlAxisY+18), "text-anchor", "middle", "fill", Ink)
		}
	}

	// Markers: the day asked about, the change to the continuation level,
	// the time limit.
	anchor := func(mx float64) string {
		switch {
		case mx < tlLeft+plotW*0.15:
			return "start"
		case mx > tlLeft+plotW*0.85:
			return "end"
		}
		return "middle"
	}
	marker := func(d rules.Date, colour, dash string, labelY float64, label string) {
		if d.IsZero() || d.Before(t.From) || d.After(t.To) {
			return
		}
		mx, _ := span(d, d)
		attrs := []string{"x1", svg.Num(mx), "y1", svg.Num(tlPhasesY - 4), "x2", svg.Num(mx), "y2", svg.Num(tlAxisY), "stroke", colour, "stroke-width", "2"}
		if dash != "" {
			attrs = append(attrs, "stroke-dasharray", dash)
		}
		w.Elem("line", attrs...)
		w.Text(label, "x", svg.Num(mx), "y", svg.Num(labelY), "text-anchor", anchor(mx), "fill", colour)
	}
	marker(t.ContinuationLevel, LevelLine, "6 3", tlAxisY+38, translate(lang, "calc.tl.continuation_from")+" "+t.ContinuationLevel.String())
	marker(t.TimeLimit, LimitLine, "2 2", tlAxisY+56, translate(lang, "calc.tl.limit_from")+" "+t.TimeLimit.String())
	marker(t.Date, DateLine, "", tlPhasesY-10, translate(lang, "calc.tl.date")+" "+t.Date.String())
	w.Close("svg")
	return w.HTML()
}

// AxisTick is a mark on a time axis, with its label or none.
type AxisTick struct {
	Date  rules.Date
	Label string
}

// axisTicks marks month starts on a short axis and year starts on a long
// one, at most about a dozen labels.
func AxisTicks(from, to rules.Date) []AxisTick {
	y, m, _ := from.Civil()
	ty, tm, _ := to.Civil()
	months := (ty-y)*12 + tm - m + 1
	var ticks []AxisTick
	if months <= 30 {
		step := 1
		for months/step > 12 {
			step++
		}
		for i := 0; ; i++ {
			mm := m + i
			d, _ := rules.NewDate(y+(mm-1)/12, (mm-1)%12+1, 1)
			if d.After(to) {
				break
			}
			if d.Before(from) {
				continue
			}
			label := ""
			if i%step == 0 {
				label = d.String()[:7]
			}
			ticks = append(ticks, AxisTick{d, label})
		}
		return ticks
	}
	years := to.Year() - y + 1
	step := 1
	for years/step > 12 {
		step++
	}
	for yy := y; yy <= to.Year(); yy++ {
		d, _ := rules.NewDate(yy, 1, 1)
		if d.Before(from) {
			continue
		}
		label := ""
		if (yy-y)%step == 0 {
			label = strconv.Itoa(yy)
		}
		ticks = append(ticks, AxisTick{d, label})
	}
	return ticks
}

// timelineDesc says in words what the picture shows, for screen readers
// and for anyone the colours do not reach.
func timelineDesc(t Timeline, lang string) string {
	if len(t.Periods) == 0 {
		return translate(lang, "calc.tl.empty")
	}
	T := func(id string) string { return translate(lang, id) }
	dates := func(from, to rules.Date) string {
		if from == to {
			return from.String()
		}
		return from.String() + "–" + to.String()
	}
	var b strings.Builder
	b.WriteString(T("calc.tl.row.periods") + ": ")
	for i, p := range t.Periods {
		if i > 0 {
			b.WriteString("; ")
		}
		if p.Open {
			b.WriteString(p.From.String() + " " + T("calc.tl.onwards"))
		} else {
			b.WriteString(dates(p.From, p.To))
		}
		b.WriteString(", " + strconv.Itoa(p.Degree) + " %")
	}
	b.WriteString(". ")
	if len(t.Phases) > 0 {
		b.WriteString(T("calc.tl.row.phases") + ": ")
		for i, p := range t.Phases {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(T("calc.tl.day") + " " + strings.Replace(p.Kind, "-", "–", 1) + " " + dates(p.From, p.To))
		}
		b.WriteString(". ")
	}
	const maxRuns = 20
	var runs []string
	for _, p := range t.Pay {
		if p.Kind != "" {
			runs = append(runs, T("calc.tl."+p.Kind)+" "+dates(p.From, p.To))
		}
	}
	if len(runs) > 0 {
		if len(runs) > maxRuns {
			runs = append(runs[:maxRuns], "…")
		}
		b.WriteString(T("calc.tl.row.pay") + ": " + strings.Join(runs, "; ") + ". ")
	}
	b.WriteString(T("calc.tl.date") + " " + t.Date.String() + ".")
	if !t.ContinuationLevel.IsZero() {
		b.WriteString(" " + T("calc.tl.continuation_from") + " " + t.ContinuationLevel.String() + ".")
	}
	if !t.TimeLimit.IsZero() {
		b.WriteString(" " + T("calc.tl.limit_from") + " " + t.TimeLimit.String() + ".")
	}
	return b.String()
}
