package coordination

import (
	"fmt"
	"html/template"
	"sort"
	"time"

	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/svg"
)

// The person's timeline across the agencies: one SVG picture, with the
// same items as a table beside it, of what the viewer may see — sick-leave
// periods and their degrees and the chain's milestones (sick leave),
// certificates (sick leave), FK's decisions (decisions), meetings, plan
// actions and insatser (the plan). What the consent does not cover for the
// viewer is neither drawn nor listed.

// tlItem is one thing on the timeline: a span of days, or a day.
type tlItem struct {
	Lane     string // message id of its lane
	From, To time.Time
	Label    string
}

// tlRow is one row of the timeline's table.
type tlRow struct{ When, Lane, What string }

const (
	tlW, tlLeft, tlRight = 860.0, 170.0, 16.0
	tlLaneH, tlTop       = 30.0, 30.0
)

var tlFill = map[string]string{
	"coord.tl.sickleave": "#a9caeb", "coord.tl.chain": "#e3eef9", "coord.tl.certificates": "#6e5494",
	"coord.tl.decisions": "#1b6e3a", "coord.tl.meetings": "#b3541e", "coord.tl.actions": "#3a5f8a", "coord.tl.insatser": "#c6dcf2",
}

// timeline draws items; lanes are in the order given.
func timeline(lang string, lanes []string, items []tlItem, today time.Time) (template.HTML, []tlRow) {
	if len(items) == 0 {
		return "", nil
	}
	from, to := items[0].From, items[0].To
	for _, it := range items {
		if it.From.Before(from) {
			from = it.From
		}
		if it.To.After(to) {
			to = it.To
		}
	}
	if today.Before(from) {
		from = today
	}
	if today.After(to) {
		to = today
	}
	from, to = from.AddDate(0, 0, -3), to.AddDate(0, 0, 3)
	days := to.Sub(from).Hours() / 24
	plot := tlW - tlLeft - tlRight
	x := func(t time.Time) float64 { return tlLeft + t.Sub(from).Hours()/24/days*plot }
	height := tlTop + float64(len(lanes))*tlLaneH + 10
	w := &svg.Writer{}
	w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-timeline", "viewBox", "0 0 "+svg.Num(tlW)+" "+svg.Num(height),
		"width", svg.Num(tlW), "height", svg.Num(height), "role", "img", "aria-labelledby", "coord-tl-title coord-tl-desc", "font-size", "12")
	w.Open("title", "id", "coord-tl-title")
	w.Escaped(translate(lang, "coord.tl.title"))
	w.Close("title")
	w.Open("desc", "id", "coord-tl-desc")
	w.Escaped(fmt.Sprintf(translate(lang, "coord.tl.desc"), dayUTC(from), dayUTC(to)))
	w.Close("desc")
	// Month ticks.
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0); m.Before(to); m = m.AddDate(0, 1, 0) {
		w.Elem("line", "x1", svg.Num(x(m)), "x2", svg.Num(x(m)), "y1", svg.Num(tlTop-6), "y2", svg.Num(height-10), "stroke", "#d0d4d9")
		w.Text(m.Format("2006-01"), "x", svg.Num(x(m)+2), "y", svg.Num(tlTop-10), "fill", rulesview.Ink)
	}
	laneY := map[string]float64{}
	for i, l := range lanes {
		y := tlTop + float64(i)*tlLaneH
		laneY[l] = y
		w.Text(translate(lang, l), "x", svg.Num(tlLeft-8), "y", svg.Num(y+tlLaneH/2+4), "text-anchor", "end", "fill", rulesview.Ink)
	}
	var rows []tlRow
	for _, it := range items {
		y, ok := laneY[it.Lane]
		if !ok {
			continue
		}
		x0, x1 := x(it.From), x(it.To.AddDate(0, 0, 1))
		fill := tlFill[it.Lane]
		if it.To.After(it.From) {
			w.Open("rect", "x", svg.Num(x0), "y", svg.Num(y+5), "width", svg.Num(max(x1-x0, 2)), "height", svg.Num(tlLaneH-10), "fill", fill, "stroke", "#ffffff")
		} else {
			cx := x0
			w.Open("circle", "cx", svg.Num(cx), "cy", svg.Num(y+tlLaneH/2), "r", "6", "fill", fill)
		}
		w.Open("title")
		w.Escaped(it.Label)
		w.Close("title")
		if it.To.After(it.From) {
			w.Close("rect")
		} else {
			w.Close("circle")
		}
		when := dayUTC(it.From)
		if it.To.After(it.From) {
			when += " – " + dayUTC(it.To)
		}
		rows = append(rows, tlRow{When: when, Lane: translate(lang, it.Lane), What: it.Label})
	}
	// Today.
	w.Elem("line", "x1", svg.Num(x(today)), "x2", svg.Num(x(today)), "y1", svg.Num(tlTop-4), "y2", svg.Num(height-8), "stroke", "#c01c28", "stroke-width", "2")
	w.Close("svg")
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].When < rows[j].When })
	return w.HTML(), rows
}
