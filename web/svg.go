package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
)

// svgWriter writes SVG markup to embed in an HTML page. Every attribute
// value and text is escaped. The Content-Security-Policy forbids inline
// styles, so colours are presentation attributes (fill=, stroke=), which
// the policy does not touch.
type svgWriter struct{ b strings.Builder }

// open writes a start tag; attrs are name, value pairs.
func (w *svgWriter) open(tag string, attrs ...string) {
	w.b.WriteString("<" + tag)
	w.attrs(attrs)
	w.b.WriteString(">")
}

// elem writes an empty element.
func (w *svgWriter) elem(tag string, attrs ...string) {
	w.b.WriteString("<" + tag)
	w.attrs(attrs)
	w.b.WriteString("/>")
}

func (w *svgWriter) close(tag string) { w.b.WriteString("</" + tag + ">") }

// text writes a text element with escaped content.
func (w *svgWriter) text(s string, attrs ...string) {
	w.open("text", attrs...)
	w.b.WriteString(template.HTMLEscapeString(s))
	w.close("text")
}

func (w *svgWriter) attrs(attrs []string) {
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteString(" " + attrs[i] + `="` + template.HTMLEscapeString(attrs[i+1]) + `"`)
	}
}

// html is the markup written so far. It is safe to embed: everything that
// came from outside was escaped on the way in.
func (w *svgWriter) html() template.HTML { return template.HTML(w.b.String()) }

// num formats a coordinate with at most one decimal.
func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

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
	tlPhaseFill  = map[string]string{rules.Phase1To90: "#e3eef9", rules.Phase91To180: "#c6dcf2", rules.Phase181To365: "#a9caeb", rules.Phase366On: "#8cb8e4"}
	tlPayFill    = map[string]string{payKarens: "#c62828", paySjuklon: "#f9a825", payNormal: "#2e7d32", payContinuation: "#9ccc65", payLimit: "#616161"}
	tlDegreeFill = map[int]string{100: "#3d4d5c", 75: "#56697c", 50: "#8799ab", 25: "#b3c1ce"}
)

const (
	tlInk       = "#1b1e23"
	tlDateLine  = "#1b1e23"
	tlLevelLine = "#0b4f8a"
	tlLimitLine = "#b00020"
)

// timelineSVG draws t as an accessible picture: role="img" with a title and
// a description that says in words what the picture shows.
func timelineSVG(t timeline, lang, idPrefix string) template.HTML {
	w := &svgWriter{}
	titleID, descID := idPrefix+"-title", idPrefix+"-desc"
	w.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-timeline",
		"viewBox", "0 0 "+num(tlWidth)+" "+num(tlHeight), "width", num(tlWidth), "height", num(tlHeight),
		"role", "img", "aria-labelledby", titleID+" "+descID, "font-size", "12")
	w.open("title", "id", titleID)
	w.b.WriteString(template.HTMLEscapeString(translate(lang, "calc.tl.title")))
	w.close("title")
	w.open("desc", "id", descID)
	w.b.WriteString(template.HTMLEscapeString(timelineDesc(t, lang)))
	w.close("desc")

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
		w.text(translate(lang, id), "x", num(tlLeft-8), "y", num(y+tlRowHeight/2+4), "text-anchor", "end", "fill", tlInk)
	}
	rowLabel(tlPhasesY, "calc.tl.row.phases")
	rowLabel(tlPeriodsY, "calc.tl.row.periods")
	rowLabel(tlPayY, "calc.tl.row.pay")

	// Phases of the rehabilitation chain, labelled where there is room.
	for _, p := range t.Phases {
		x0, wd := span(p.From, p.To)
		w.elem("rect", "x", num(x0), "y", num(tlPhasesY), "width", num(wd), "height", num(tlRowHeight),
			"fill", tlPhaseFill[p.Kind], "stroke", "#ffffff")
		if wd >= 44 {
			w.text(strings.Replace(p.Kind, "-", "–", 1), "x", num(x0+wd/2), "y", num(tlPhasesY+tlRowHeight/2+4),
				"text-anchor", "middle", "fill", tlInk)
		}
	}
	// The periods, with their degree.
	for _, p := range t.Periods {
		x0, wd := span(p.From, p.To)
		w.elem("rect", "x", num(x0), "y", num(tlPeriodsY), "width", num(wd), "height", num(tlRowHeight),
			"fill", tlDegreeFill[p.Degree], "stroke", "#ffffff")
		if wd >= 44 {
			ink := "#ffffff"
			if p.Degree <= 50 {
				ink = tlInk
			}
			label := strconv.Itoa(p.Degree) + " %"
			if p.Open {
				label += " →"
			}
			w.text(label, "x", num(x0+wd/2), "y", num(tlPeriodsY+tlRowHeight/2+4), "text-anchor", "middle", "fill", ink)
		}
	}
	// Who pays, day by day.
	for _, p := range t.Pay {
		if p.Kind == "" {
			continue
		}
		x0, wd := span(p.From, p.To)
		w.elem("rect", "x", num(x0), "y", num(tlPayY), "width", num(wd), "height", num(tlRowHeight), "fill", tlPayFill[p.Kind])
	}

	// The time axis with its ticks.
	w.elem("line", "x1", num(tlLeft), "y1", num(tlAxisY), "x2", num(tlLeft+plotW), "y2", num(tlAxisY), "stroke", tlInk)
	for _, tk := range axisTicks(t.From, t.To) {
		tx := x(tk.d)
		w.elem("line", "x1", num(tx), "y1", num(tlAxisY), "x2", num(tx), "y2", num(tlAxisY+5), "stroke", tlInk)
		if tk.label != "" {
			w.text(tk.label, "x", num(tx), "y", num(tlAxisY+18), "text-anchor", "middle", "fill", tlInk)
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
		attrs := []string{"x1", num(mx), "y1", num(tlPhasesY - 4), "x2", num(mx), "y2", num(tlAxisY), "stroke", colour, "stroke-width", "2"}
		if dash != "" {
			attrs = append(attrs, "stroke-dasharray", dash)
		}
		w.elem("line", attrs...)
		w.text(label, "x", num(mx), "y", num(labelY), "text-anchor", anchor(mx), "fill", colour)
	}
	marker(t.ContinuationLevel, tlLevelLine, "6 3", tlAxisY+38, translate(lang, "calc.tl.continuation_from")+" "+t.ContinuationLevel.String())
	marker(t.TimeLimit, tlLimitLine, "2 2", tlAxisY+56, translate(lang, "calc.tl.limit_from")+" "+t.TimeLimit.String())
	marker(t.Date, tlDateLine, "", tlPhasesY-10, translate(lang, "calc.tl.date")+" "+t.Date.String())
	w.close("svg")
	return w.html()
}

type axisTick struct {
	d     rules.Date
	label string
}

// axisTicks marks month starts on a short axis and year starts on a long
// one, at most about a dozen labels.
func axisTicks(from, to rules.Date) []axisTick {
	y, m, _ := from.Civil()
	ty, tm, _ := to.Civil()
	months := (ty-y)*12 + tm - m + 1
	var ticks []axisTick
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
			ticks = append(ticks, axisTick{d, label})
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
		ticks = append(ticks, axisTick{d, label})
	}
	return ticks
}

// timelineDesc says in words what the picture shows, for screen readers
// and for anyone the colours do not reach.
func timelineDesc(t timeline, lang string) string {
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
