package rulesview

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/svg"
)

// Geometry of the timeline picture, in SVG user units: rows of equal
// height from the top, the time axis below them and room under the axis
// for its labels and the markers' words.
const (
	tlWidth     = 960.0
	tlLeft      = 120.0 // room for the row labels
	tlRight     = 16.0
	tlTop       = 34.0
	tlRowHeight = 26.0
	tlRowGap    = 8.0
	tlBelowAxis = 60.0
)

// tlRowY is the top of row i.
func tlRowY(i int) float64 { return tlTop + float64(i)*(tlRowHeight+tlRowGap) }

// Colours of the picture. Text on a fill keeps a contrast of at least
// 4.5:1; the same colours mark the legend below the picture.
var (
	PhaseFill  = map[string]string{rules.Phase1To90: "#e3eef9", rules.Phase91To180: "#c6dcf2", rules.Phase181To365: "#a9caeb", rules.Phase366On: "#8cb8e4"}
	PayFill    = map[string]string{PayKarens: "#c62828", PaySjuklon: "#f9a825", PayNormal: "#2e7d32", PayContinuation: "#9ccc65", PayLimit: "#616161"}
	DegreeFill = map[int]string{100: "#3d4d5c", 75: "#56697c", 50: "#8799ab", 25: "#b3c1ce"}
	// MarkColour is the colour of each kind of mark. Each kind differs in
	// shape as well as colour; fills keep a contrast of at least 3:1
	// against white.
	MarkColour = map[string]string{
		MarkCertificate:     "#3d4d5c",
		MarkDeadlineOpen:    "#8a4b00",
		MarkDeadlineOverdue: "#b00020",
		MarkDeadlineDone:    "#2e7d32",
		MarkGranted:         "#2e7d32",
		MarkRejected:        "#b00020",
		MarkWithdrawn:       "#616161",
		MarkActionOpen:      "#0b4f8a",
		MarkActionDone:      "#2e7d32",
		MarkActionCancelled: "#616161",
	}
)

const (
	Ink       = "#1b1e23"
	DateLine  = "#1b1e23"
	LevelLine = "#0b4f8a"
	LimitLine = "#b00020"
)

// words are the message ids of a picture's words: the calculator's or the
// case page's.
type words struct{ title, phases, periods, date string }

func (t Timeline) words() words {
	if t.Case {
		return words{"case.tl.title", "case.tl.row.phases", "case.tl.row.periods", "case.tl.today"}
	}
	return words{"calc.tl.title", "calc.tl.row.phases", "calc.tl.row.periods", "calc.tl.date"}
}

// TimelineSVG draws t as an accessible picture: role="img" with a title
// and a description that says in words what the picture shows. Nothing is
// told by the picture alone (the description, and on the case page the
// table beside it, say it too), nor by colour alone (every kind of mark
// has its own shape). A timeline without an axis draws nothing.
func TimelineSVG(t Timeline, lang, idPrefix string) template.HTML {
	if t.From.IsZero() || t.To.IsZero() {
		return ""
	}
	T := func(id string) string { return translate(lang, id) }
	wd := t.words()
	rows := []string{wd.phases, wd.periods}
	if t.Case {
		for _, mr := range t.markRows() {
			rows = append(rows, mr.label)
		}
	} else {
		rows = append(rows, "calc.tl.row.pay")
	}
	axisY := tlRowY(len(rows)) + 4
	height := axisY + tlBelowAxis

	w := &svg.Writer{}
	titleID, descID := idPrefix+"-title", idPrefix+"-desc"
	w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-timeline",
		"viewBox", "0 0 "+svg.Num(tlWidth)+" "+svg.Num(height), "width", svg.Num(tlWidth), "height", svg.Num(height),
		"role", "img", "aria-labelledby", titleID+" "+descID, "font-size", "12")
	w.Open("title", "id", titleID)
	w.Escaped(T(wd.title))
	w.Close("title")
	w.Open("desc", "id", descID)
	if t.Case {
		w.Escaped(caseTimelineDesc(t, lang))
	} else {
		w.Escaped(timelineDesc(t, lang))
	}
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
	mid := func(d rules.Date) float64 { x0, wd := span(d, d); return x0 + wd/2 }

	for i, id := range rows {
		y := tlRowY(i)
		w.Text(T(id), "x", svg.Num(tlLeft-8), "y", svg.Num(y+tlRowHeight/2+4), "text-anchor", "end", "fill", Ink)
		if t.Case && i >= 2 {
			w.Elem("line", "x1", svg.Num(tlLeft), "y1", svg.Num(y+tlRowHeight/2), "x2", svg.Num(tlLeft+plotW), "y2", svg.Num(y+tlRowHeight/2),
				"stroke", "#c8cdd2", "stroke-width", "1")
		}
	}

	// Phases of the rehabilitation chain, labelled where there is room.
	for _, p := range t.Phases {
		x0, wd := span(p.From, p.To)
		w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(tlRowY(0)), "width", svg.Num(wd), "height", svg.Num(tlRowHeight),
			"fill", PhaseFill[p.Kind], "stroke", "#ffffff")
		if wd >= 44 {
			w.Text(phaseText(p.Kind), "x", svg.Num(x0+wd/2), "y", svg.Num(tlRowY(0)+tlRowHeight/2+4),
				"text-anchor", "middle", "fill", Ink)
		}
	}
	// The periods, with their degree.
	for _, p := range t.Periods {
		x0, wd := span(p.From, p.To)
		w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(tlRowY(1)), "width", svg.Num(wd), "height", svg.Num(tlRowHeight),
			"fill", DegreeFill[p.Degree], "stroke", "#ffffff")
		if wd >= 40 {
			ink := "#ffffff"
			if p.Degree <= 50 {
				ink = Ink
			}
			label := strconv.Itoa(p.Degree) + " %"
			if p.Open {
				label += " →"
			}
			w.Text(label, "x", svg.Num(x0+wd/2), "y", svg.Num(tlRowY(1)+tlRowHeight/2+4), "text-anchor", "middle", "fill", ink)
		}
	}
	if !t.Case {
		// Who pays, day by day.
		for _, p := range t.Pay {
			if p.Kind == "" {
				continue
			}
			x0, wd := span(p.From, p.To)
			w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(tlRowY(2)), "width", svg.Num(wd), "height", svg.Num(tlRowHeight), "fill", PayFill[p.Kind])
		}
	}
	// The case's events, a row each.
	for i, mr := range t.markRows() {
		cy := tlRowY(i+2) + tlRowHeight/2
		for _, m := range mr.marks {
			if m.Date.Before(t.From) || m.Date.After(t.To) {
				continue
			}
			drawMark(w, m.Kind, mid(m.Date), cy)
		}
	}

	// The time axis with its ticks.
	w.Elem("line", "x1", svg.Num(tlLeft), "y1", svg.Num(axisY), "x2", svg.Num(tlLeft+plotW), "y2", svg.Num(axisY), "stroke", Ink)
	for _, tk := range AxisTicks(t.From, t.To) {
		tx := x(tk.Date)
		w.Elem("line", "x1", svg.Num(tx), "y1", svg.Num(axisY), "x2", svg.Num(tx), "y2", svg.Num(axisY+5), "stroke", Ink)
		if tk.Label != "" {
			w.Text(tk.Label, "x", svg.Num(tx), "y", svg.Num(axisY+18), "text-anchor", "middle", "fill", Ink)
		}
	}

	// Markers: the change to the continuation level, the time limit, the
	// day asked about or today.
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
		mx := mid(d)
		attrs := []string{"x1", svg.Num(mx), "y1", svg.Num(tlTop - 4), "x2", svg.Num(mx), "y2", svg.Num(axisY), "stroke", colour, "stroke-width", "2"}
		if dash != "" {
			attrs = append(attrs, "stroke-dasharray", dash)
		}
		w.Elem("line", attrs...)
		w.Text(label, "x", svg.Num(mx), "y", svg.Num(labelY), "text-anchor", anchor(mx), "fill", colour)
	}
	marker(t.ContinuationLevel, LevelLine, "6 3", axisY+38, T("calc.tl.continuation_from")+" "+t.ContinuationLevel.String())
	marker(t.TimeLimit, LimitLine, "2 2", axisY+56, T("calc.tl.limit_from")+" "+t.TimeLimit.String())
	marker(t.Date, DateLine, "", tlTop-12, T(wd.date)+" "+t.Date.String())
	w.Close("svg")
	return w.HTML()
}

// phaseText writes a chain phase with an en dash: "91–180", "366–".
func phaseText(p string) string { return strings.Replace(p, "-", "–", 1) }

// drawMark draws one mark centred on (cx, cy) in the shape of its kind.
func drawMark(w *svg.Writer, kind string, cx, cy float64) {
	c := MarkColour[kind]
	const r = 6.0
	switch kind {
	case MarkCertificate:
		w.Elem("rect", "x", svg.Num(cx-1.5), "y", svg.Num(cy-tlRowHeight/2+2), "width", "3", "height", svg.Num(tlRowHeight-4), "fill", c)
	case MarkDeadlineOpen:
		w.Elem("path", "d", diamond(cx, cy, r), "fill", "#ffffff", "stroke", c, "stroke-width", "2")
	case MarkDeadlineOverdue, MarkDeadlineDone:
		w.Elem("path", "d", diamond(cx, cy, r), "fill", c)
	case MarkGranted:
		w.Elem("circle", "cx", svg.Num(cx), "cy", svg.Num(cy), "r", svg.Num(r), "fill", c)
	case MarkRejected:
		w.Elem("rect", "x", svg.Num(cx-r), "y", svg.Num(cy-r), "width", svg.Num(2*r), "height", svg.Num(2*r), "fill", c)
	case MarkWithdrawn:
		w.Elem("path", "d", triangle(cx, cy, r), "fill", c)
	case MarkActionOpen:
		w.Elem("circle", "cx", svg.Num(cx), "cy", svg.Num(cy), "r", svg.Num(r-1), "fill", "#ffffff", "stroke", c, "stroke-width", "2")
	case MarkActionDone:
		w.Elem("circle", "cx", svg.Num(cx), "cy", svg.Num(cy), "r", svg.Num(r), "fill", c)
	case MarkActionCancelled:
		w.Elem("path", "d", cross(cx, cy, r), "stroke", c, "stroke-width", "2.5", "fill", "none")
	}
}

func diamond(cx, cy, r float64) string {
	n := svg.Num
	return "M" + n(cx) + " " + n(cy-r) + "L" + n(cx+r) + " " + n(cy) + "L" + n(cx) + " " + n(cy+r) + "L" + n(cx-r) + " " + n(cy) + "Z"
}

func triangle(cx, cy, r float64) string {
	n := svg.Num
	return "M" + n(cx) + " " + n(cy-r) + "L" + n(cx+r) + " " + n(cy+r) + "L" + n(cx-r) + " " + n(cy+r) + "Z"
}

func cross(cx, cy, r float64) string {
	n := svg.Num
	return "M" + n(cx-r) + " " + n(cy-r) + "L" + n(cx+r) + " " + n(cy+r) + "M" + n(cx+r) + " " + n(cy-r) + "L" + n(cx-r) + " " + n(cy+r)
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

// caseTimelineDesc says briefly what the picture of a case shows; the
// table beside it lists every item.
func caseTimelineDesc(t Timeline, lang string) string {
	T := func(id string) string { return translate(lang, id) }
	s := T("case.tl.desc") + " " + t.From.String() + "–" + t.To.String() + ". "
	s += T("case.tl.row.periods") + ": " + strconv.Itoa(len(t.Periods)) + ". "
	if len(t.Phases) > 0 {
		s += T("case.tl.row.phases") + ": "
		for i, p := range t.Phases {
			if i > 0 {
				s += "; "
			}
			s += T("case.tl.day") + " " + phaseText(p.Kind) + " " + p.From.String() + "–" + p.To.String()
		}
		s += ". "
	}
	s += T("case.tl.table_hint")
	return s
}
