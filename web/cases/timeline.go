package cases

// The timeline picture of a case: the whole case on one time axis, drawn on
// the server as SVG in the manner of the calculator's (package
// web/internal/rulesview): the chain's phases, the periods with
// their degree, certificates, deadlines, decisions and the plan's actions,
// with a line for today. It is an image with a title and a description for
// screen readers, and the page lists the same items in a table beside it:
// nothing is told by the picture alone, nor by colour alone (each kind of
// mark has its own shape).

import (
	"html/template"
	"sort"
	"strconv"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/svg"
)

// caseTimeline is what the picture shows.
type caseTimeline struct {
	From, To civil.Date
	Today    civil.Date
	Phases   []rulesview.TimelineSpan
	Periods  []rulesview.TimelinePeriod
	// Marks are the dated events by row.
	Certificates, Deadlines, Decisions, Actions []timelineMark
	// ContinuationLevel and TimeLimit are the milestones of the case's
	// last evaluated day, zero when they do not apply.
	ContinuationLevel, TimeLimit civil.Date
}

// timelineMark is one dated event: Kind selects its shape and colour,
// Label says what it is.
type timelineMark struct {
	Date  civil.Date
	Kind  string
	Label string
}

// Kinds of marks.
const (
	markCertificate     = "certificate"
	markDeadlineOpen    = "deadline_open"
	markDeadlineOverdue = "deadline_overdue"
	markDeadlineDone    = "deadline_done"
	markGranted         = "granted"
	markRejected        = "rejected"
	markWithdrawn       = "withdrawn"
	markActionOpen      = "action_open"
	markActionDone      = "action_done"
	markActionCancelled = "action_cancelled"
)

// buildCaseTimeline lays out a case. The phases come from the rules
// engine, evaluated on today or, for a case that has ended, on its last
// day: the milestones already passed are the days they happened, those
// ahead assume the case goes on.
func (s *Handlers) buildCaseTimeline(c store.Case, periods []store.Period, certs []store.CertificateSummary,
	deadlines []store.CaseDeadline, decisions []store.CaseDecision, actions []store.PlanAction, today civil.Date) caseTimeline {
	first, last := storedDay(c.FirstDay), storedDay(c.LastDay)
	t := caseTimeline{From: first, To: last, Today: today}
	widen := func(d civil.Date) {
		if d.IsZero() {
			return
		}
		t.From, t.To = rulesview.MinDate(t.From, d), rulesview.MaxDate(t.To, d)
	}
	for _, p := range periods {
		tp := rulesview.TimelinePeriod{From: storedDay(p.From), To: storedDay(p.To), Degree: p.Degree}
		t.Periods = append(t.Periods, tp)
		widen(tp.From)
		widen(tp.To)
	}
	for _, ct := range certs {
		d := civil.Of(ct.SignedAt.In(site.Stockholm))
		t.Certificates = append(t.Certificates, timelineMark{Date: d, Kind: markCertificate,
			Label: storedDay(ct.FirstDay).String() + "–" + storedDay(ct.LastDay).String() + ", " + ct.UnitName})
		widen(d)
	}
	for _, dl := range deadlines {
		due := storedDay(dl.Due)
		kind := markDeadlineOpen
		switch {
		case dl.Done:
			kind = markDeadlineDone
		case today.After(due):
			kind = markDeadlineOverdue
		}
		t.Deadlines = append(t.Deadlines, timelineMark{Date: due, Kind: kind, Label: dl.Kind})
		widen(due)
	}
	for _, x := range decisions {
		d := storedDay(x.DecidedOn)
		t.Decisions = append(t.Decisions, timelineMark{Date: d, Kind: x.Outcome, Label: x.Paragraph})
		widen(d)
	}
	for _, x := range actions {
		d := storedDay(x.Due)
		kind := markActionOpen
		switch x.Status {
		case store.ActionDone:
			kind = markActionDone
		case store.ActionCancelled:
			kind = markActionCancelled
		}
		t.Actions = append(t.Actions, timelineMark{Date: d, Kind: kind, Label: x.Title})
		widen(d)
	}
	// Today is on the axis while the case is recent; an old case is drawn
	// without the years since.
	if !today.Before(t.From) && today.Sub(t.To) <= 180 {
		widen(today)
	}
	if t.From.IsZero() || t.To.IsZero() {
		return t
	}
	pad := max(3, t.To.Sub(t.From)/40)
	t.From, t.To = t.From.AddDays(-pad), t.To.AddDays(pad)

	// The phases of the chain.
	if len(periods) == 0 {
		return t
	}
	date := today
	if date.After(last) {
		date = last
	}
	if date.Before(first) {
		return t
	}
	in := rulesInputOf(c, periods, date)
	res, err := s.Engine().Evaluate(in, rules.Options{Trace: true})
	if err != nil || !res.Sick {
		return t
	}
	ms := res.Milestones
	t.ContinuationLevel, t.TimeLimit = ms.ContinuationLevel, ms.TimeLimit
	start := rulesview.TraceDate(res, rules.StepCaseStart)
	bounds := []civil.Date{start, ms.Day91, ms.Day181, ms.Day366}
	for i, from := range bounds {
		if from.IsZero() || from.After(last) {
			break
		}
		to := last
		if i+1 < len(bounds) && !bounds[i+1].IsZero() && !bounds[i+1].After(last) {
			to = bounds[i+1].AddDays(-1)
		}
		t.Phases = append(t.Phases, rulesview.TimelineSpan{From: from, To: to, Kind: rulesview.ChainPhases[i]})
	}
	return t
}

// Geometry of the case picture, in SVG user units.
const (
	ctWidth     = 960.0
	ctLeft      = 120.0
	ctRight     = 16.0
	ctTop       = 34.0
	ctRowHeight = 24.0
	ctRowGap    = 8.0
	ctRows      = 6
)

// Colours and shapes of the marks. Each kind differs in shape as well as
// colour; fills keep a contrast of at least 3:1 against white.
var ctMarkColour = map[string]string{
	markCertificate:     "#3d4d5c",
	markDeadlineOpen:    "#8a4b00",
	markDeadlineOverdue: "#b00020",
	markDeadlineDone:    "#2e7d32",
	markGranted:         "#2e7d32",
	markRejected:        "#b00020",
	markWithdrawn:       "#616161",
	markActionOpen:      "#0b4f8a",
	markActionDone:      "#2e7d32",
	markActionCancelled: "#616161",
}

// ctRowY is the top of row i.
func ctRowY(i int) float64 { return ctTop + float64(i)*(ctRowHeight+ctRowGap) }

// caseTimelineSVG draws t as an accessible picture: role="img" with a title
// and a description.
func caseTimelineSVG(t caseTimeline, lang, idPrefix string) template.HTML {
	if t.From.IsZero() || t.To.IsZero() {
		return ""
	}
	T := func(id string) string { return translate(lang, id) }
	w := &svg.Writer{}
	axisY := ctRowY(ctRows) + 4
	height := axisY + 60
	titleID, descID := idPrefix+"-title", idPrefix+"-desc"
	w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-timeline",
		"viewBox", "0 0 "+svg.Num(ctWidth)+" "+svg.Num(height), "width", svg.Num(ctWidth), "height", svg.Num(height),
		"role", "img", "aria-labelledby", titleID+" "+descID, "font-size", "12")
	w.Open("title", "id", titleID)
	w.Escaped(T("case.tl.title"))
	w.Close("title")
	w.Open("desc", "id", descID)
	w.Escaped(caseTimelineDesc(t, lang))
	w.Close("desc")

	plotW := ctWidth - ctLeft - ctRight
	days := float64(t.To.Sub(t.From) + 1)
	x := func(d civil.Date) float64 { return ctLeft + float64(d.Sub(t.From))/days*plotW }
	span := func(from, to civil.Date) (float64, float64) {
		x0, x1 := x(from), x(to.AddDays(1))
		return x0, max(x1-x0, 1)
	}
	mid := func(d civil.Date) float64 { x0, wd := span(d, d); return x0 + wd/2 }

	rows := []string{"case.tl.row.phases", "case.tl.row.periods", "case.tl.row.certificates", "case.tl.row.deadlines",
		"case.tl.row.decisions", "case.tl.row.actions"}
	for i, id := range rows {
		y := ctRowY(i)
		w.Text(T(id), "x", svg.Num(ctLeft-8), "y", svg.Num(y+ctRowHeight/2+4), "text-anchor", "end", "fill", rulesview.Ink)
		if i >= 2 {
			w.Elem("line", "x1", svg.Num(ctLeft), "y1", svg.Num(y+ctRowHeight/2), "x2", svg.Num(ctLeft+plotW), "y2", svg.Num(y+ctRowHeight/2),
				"stroke", "#c8cdd2", "stroke-width", "1")
		}
	}
	for _, p := range t.Phases {
		x0, wd := span(p.From, p.To)
		w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(ctRowY(0)), "width", svg.Num(wd), "height", svg.Num(ctRowHeight),
			"fill", rulesview.PhaseFill[p.Kind], "stroke", "#ffffff")
		if wd >= 44 {
			w.Text(phaseText(p.Kind), "x", svg.Num(x0+wd/2), "y", svg.Num(ctRowY(0)+ctRowHeight/2+4), "text-anchor", "middle", "fill", rulesview.Ink)
		}
	}
	for _, p := range t.Periods {
		x0, wd := span(p.From, p.To)
		w.Elem("rect", "x", svg.Num(x0), "y", svg.Num(ctRowY(1)), "width", svg.Num(wd), "height", svg.Num(ctRowHeight),
			"fill", rulesview.DegreeFill[p.Degree], "stroke", "#ffffff")
		if wd >= 40 {
			ink := "#ffffff"
			if p.Degree <= 50 {
				ink = rulesview.Ink
			}
			w.Text(strconv.Itoa(p.Degree)+" %", "x", svg.Num(x0+wd/2), "y", svg.Num(ctRowY(1)+ctRowHeight/2+4), "text-anchor", "middle", "fill", ink)
		}
	}
	for i, marks := range [][]timelineMark{t.Certificates, t.Deadlines, t.Decisions, t.Actions} {
		cy := ctRowY(i+2) + ctRowHeight/2
		for _, m := range marks {
			if m.Date.Before(t.From) || m.Date.After(t.To) {
				continue
			}
			drawMark(w, m.Kind, mid(m.Date), cy)
		}
	}

	// The axis.
	w.Elem("line", "x1", svg.Num(ctLeft), "y1", svg.Num(axisY), "x2", svg.Num(ctLeft+plotW), "y2", svg.Num(axisY), "stroke", rulesview.Ink)
	for _, tk := range rulesview.AxisTicks(t.From, t.To) {
		tx := x(tk.Date)
		w.Elem("line", "x1", svg.Num(tx), "y1", svg.Num(axisY), "x2", svg.Num(tx), "y2", svg.Num(axisY+5), "stroke", rulesview.Ink)
		if tk.Label != "" {
			w.Text(tk.Label, "x", svg.Num(tx), "y", svg.Num(axisY+18), "text-anchor", "middle", "fill", rulesview.Ink)
		}
	}
	anchor := func(mx float64) string {
		switch {
		case mx < ctLeft+plotW*0.15:
			return "start"
		case mx > ctLeft+plotW*0.85:
			return "end"
		}
		return "middle"
	}
	marker := func(d civil.Date, colour, dash string, labelY float64, label string) {
		if d.IsZero() || d.Before(t.From) || d.After(t.To) {
			return
		}
		mx := mid(d)
		attrs := []string{"x1", svg.Num(mx), "y1", svg.Num(ctTop - 4), "x2", svg.Num(mx), "y2", svg.Num(axisY), "stroke", colour, "stroke-width", "2"}
		if dash != "" {
			attrs = append(attrs, "stroke-dasharray", dash)
		}
		w.Elem("line", attrs...)
		w.Text(label, "x", svg.Num(mx), "y", svg.Num(labelY), "text-anchor", anchor(mx), "fill", colour)
	}
	marker(t.ContinuationLevel, rulesview.LevelLine, "6 3", axisY+36, T("calc.tl.continuation_from")+" "+t.ContinuationLevel.String())
	marker(t.TimeLimit, rulesview.LimitLine, "2 2", axisY+52, T("calc.tl.limit_from")+" "+t.TimeLimit.String())
	marker(t.Today, rulesview.DateLine, "", ctTop-12, T("case.tl.today")+" "+t.Today.String())
	w.Close("svg")
	return w.HTML()
}

// drawMark draws one mark centred on (cx, cy) in the shape of its kind.
func drawMark(w *svg.Writer, kind string, cx, cy float64) {
	c := ctMarkColour[kind]
	const r = 6.0
	switch kind {
	case markCertificate:
		w.Elem("rect", "x", svg.Num(cx-1.5), "y", svg.Num(cy-ctRowHeight/2+2), "width", "3", "height", svg.Num(ctRowHeight-4), "fill", c)
	case markDeadlineOpen:
		w.Elem("path", "d", diamond(cx, cy, r), "fill", "#ffffff", "stroke", c, "stroke-width", "2")
	case markDeadlineOverdue, markDeadlineDone:
		w.Elem("path", "d", diamond(cx, cy, r), "fill", c)
	case markGranted:
		w.Elem("circle", "cx", svg.Num(cx), "cy", svg.Num(cy), "r", svg.Num(r), "fill", c)
	case markRejected:
		w.Elem("rect", "x", svg.Num(cx-r), "y", svg.Num(cy-r), "width", svg.Num(2*r), "height", svg.Num(2*r), "fill", c)
	case markWithdrawn:
		w.Elem("path", "d", triangle(cx, cy, r), "fill", c)
	case markActionOpen:
		w.Elem("circle", "cx", svg.Num(cx), "cy", svg.Num(cy), "r", svg.Num(r-1), "fill", "#ffffff", "stroke", c, "stroke-width", "2")
	case markActionDone:
		w.Elem("circle", "cx", svg.Num(cx), "cy", svg.Num(cy), "r", svg.Num(r), "fill", c)
	case markActionCancelled:
		w.Elem("path", "d", cross(cx, cy, r), "stroke", c, "stroke-width", "2.5", "fill", "none")
	}
}

func diamond(cx, cy, r float64) string {
	return "M" + svg.Num(cx) + " " + svg.Num(cy-r) + "L" + svg.Num(cx+r) + " " + svg.Num(cy) + "L" + svg.Num(cx) + " " + svg.Num(cy+r) + "L" + svg.Num(cx-r) + " " + svg.Num(cy) + "Z"
}

func triangle(cx, cy, r float64) string {
	return "M" + svg.Num(cx) + " " + svg.Num(cy-r) + "L" + svg.Num(cx+r) + " " + svg.Num(cy+r) + "L" + svg.Num(cx-r) + " " + svg.Num(cy+r) + "Z"
}

func cross(cx, cy, r float64) string {
	return "M" + svg.Num(cx-r) + " " + svg.Num(cy-r) + "L" + svg.Num(cx+r) + " " + svg.Num(cy+r) + "M" + svg.Num(cx+r) + " " + svg.Num(cy-r) + "L" + svg.Num(cx-r) + " " + svg.Num(cy+r)
}

// caseTimelineDesc says briefly what the picture shows; the table beside
// it lists every item.
func caseTimelineDesc(t caseTimeline, lang string) string {
	T := func(id string) string { return translate(lang, id) }
	s := T("case.tl.desc") + " " + t.From.String() + "–" + t.To.String() + ". "
	s += T("case.tl.row.periods") + ": " + strconv.Itoa(len(t.Periods)) + ". "
	if len(t.Phases) > 0 {
		s += T("case.tl.row.phases") + ": "
		for i, p := range t.Phases {
			if i > 0 {
				s += "; "
			}
			s += T("case.day") + " " + phaseText(p.Kind) + " " + p.From.String() + "–" + p.To.String()
		}
		s += ". "
	}
	s += T("case.tl.table_hint")
	return s
}

// timelineItem is one row of the table beside the picture.
type timelineItem struct {
	Row, From, To, Text string
	sort                civil.Date
}

// caseTimelineItems lists what the picture shows, by date.
func caseTimelineItems(t caseTimeline, lang string) []timelineItem {
	T := func(id string) string { return translate(lang, id) }
	var out []timelineItem
	for _, p := range t.Phases {
		out = append(out, timelineItem{Row: T("case.tl.row.phases"), From: p.From.String(), To: p.To.String(),
			Text: T("case.day") + " " + phaseText(p.Kind), sort: p.From})
	}
	for _, p := range t.Periods {
		out = append(out, timelineItem{Row: T("case.tl.row.periods"), From: p.From.String(), To: p.To.String(),
			Text: strconv.Itoa(p.Degree) + " %", sort: p.From})
	}
	add := func(row string, marks []timelineMark, text func(timelineMark) string) {
		for _, m := range marks {
			out = append(out, timelineItem{Row: T(row), From: m.Date.String(), Text: text(m), sort: m.Date})
		}
	}
	add("case.tl.row.certificates", t.Certificates, func(m timelineMark) string { return T("case.tl.cert") + " " + m.Label })
	add("case.tl.row.deadlines", t.Deadlines, func(m timelineMark) string {
		return casework.DeadlineLabel(m.Label, lang) + " (" + T("case.tl.mark."+m.Kind) + ")"
	})
	add("case.tl.row.decisions", t.Decisions, func(m timelineMark) string {
		return T("case.outcome."+m.Kind) + ", " + m.Label
	})
	add("case.tl.row.actions", t.Actions, func(m timelineMark) string { return m.Label + " (" + T("case.tl.mark."+m.Kind) + ")" })
	if !t.Today.IsZero() {
		out = append(out, timelineItem{Row: T("case.tl.today"), From: t.Today.String(), Text: T("case.tl.today_text"), sort: t.Today})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].sort.Before(out[j].sort) })
	return out
}

// caseTimelineLegend explains the shapes and colours the picture uses.
func caseTimelineLegend(t caseTimeline, lang string) []rulesview.LegendItem {
	swatch := func(kind string) template.HTML {
		w := &svg.Writer{}
		w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-swatch", "width", "16", "height", "16",
			"viewBox", "0 0 16 16", "aria-hidden", "true", "focusable", "false")
		if kind == markCertificate {
			w.Elem("rect", "x", "6.5", "y", "1", "width", "3", "height", "14", "fill", ctMarkColour[kind])
		} else {
			drawMark(w, kind, 8, 8)
		}
		w.Close("svg")
		return w.HTML()
	}
	seen := map[string]bool{}
	for _, marks := range [][]timelineMark{t.Certificates, t.Deadlines, t.Decisions, t.Actions} {
		for _, m := range marks {
			seen[m.Kind] = true
		}
	}
	var items []rulesview.LegendItem
	for _, k := range []string{markCertificate, markDeadlineOpen, markDeadlineOverdue, markDeadlineDone, markGranted, markRejected,
		markWithdrawn, markActionOpen, markActionDone, markActionCancelled} {
		if seen[k] {
			items = append(items, rulesview.LegendItem{Swatch: swatch(k), Label: translate(lang, "case.tl.legend."+k)})
		}
	}
	return items
}
