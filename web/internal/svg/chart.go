package svg

import (
	"html/template"
	"strconv"
	"strings"
)

// The charts of the quality board and the yearly report: hand-written SVG
// drawn on the server, each an image with a title and a description
// (role="img") and followed on the page by a table of the same numbers. Colours and lines come from classes
// in finsam.css (finsam-chart__*): the Content-Security-Policy allows no
// inline styles.

// ChartPoint is one value of a chart.
type ChartPoint struct {
	Label string  // on the axis
	Value float64 // in the chart's unit
	Text  string  // the value as written beside it
}

// Geometry of the charts, in SVG user units.
const (
	ChartWidth     = 720.0
	ChartHeight    = 260.0
	ChartLeft      = 44.0
	ChartRight     = 12.0
	ChartTop       = 16.0
	ChartBottom    = 40.0
	chartBarGap    = 0.25 // of a column's width
	BarLabelWidth  = 430.0
	BarRowHeight   = 28.0
	BarValueWidth  = 56.0
	chartGridLines = 4 // grid lines above zero
)

// ChartStart opens the svg with its title and description.
func ChartStart(w *Writer, id, class, title, desc string, height float64) {
	svgStart(w, id, class, title, desc, ChartWidth, height, "font-size", "12")
}

// svgStart opens a chart's svg of width and height, with attrs after its
// own, and gives it its title and description, which name it to screen
// readers.
func svgStart(w *Writer, id, class, title, desc string, width, height float64, attrs ...string) {
	w.Open("svg", append([]string{"xmlns", "http://www.w3.org/2000/svg", "class", "finsam-chart " + class,
		"viewBox", "0 0 " + Num(width) + " " + Num(height), "width", Num(width), "height", Num(height),
		"role", "img", "aria-labelledby", id + "-title " + id + "-desc"}, attrs...)...)
	w.Open("title", "id", id+"-title")
	w.Escaped(title)
	w.Close("title")
	w.Open("desc", "id", id+"-desc")
	w.Escaped(desc)
	w.Close("desc")
}

// chartGrid draws the value axis from 0 to top with its grid lines.
func chartGrid(w *Writer, top float64, suffix string) {
	plotH := ChartHeight - ChartTop - ChartBottom
	for i := 0; i <= chartGridLines; i++ {
		v := top * float64(i) / chartGridLines
		y := ChartHeight - ChartBottom - plotH*float64(i)/chartGridLines
		w.Elem("line", "class", "finsam-chart__grid", "x1", Num(ChartLeft), "x2", Num(ChartWidth-ChartRight), "y1", Num(y), "y2", Num(y))
		w.Text(strconv.FormatFloat(v, 'f', 0, 64)+suffix, "class", "finsam-chart__label", "x", Num(ChartLeft-6), "y", Num(y+4), "text-anchor", "end")
	}
	w.Elem("line", "class", "finsam-chart__axis", "x1", Num(ChartLeft), "x2", Num(ChartWidth-ChartRight),
		"y1", Num(ChartHeight-ChartBottom), "y2", Num(ChartHeight-ChartBottom))
}

// axisLabels writes the category labels under the columns, thinned out
// so that they do not overlap.
func axisLabels(w *Writer, points []ChartPoint, x func(i int) float64) {
	every := 1 + len(points)/13
	for i, p := range points {
		if i%every == 0 {
			w.Text(p.Label, "class", "finsam-chart__label", "x", Num(x(i)), "y", Num(ChartHeight-ChartBottom+16), "text-anchor", "middle")
		}
	}
}

// plotStart opens a chart of n points from 0 to top with its value axis:
// the writer, the plot's height, the width of a point's slot and x, the
// middle of point i's slot.
func plotStart(id, class, title, desc string, n int, top float64, suffix string) (w *Writer, plotH, step float64, x func(i int) float64) {
	w = &Writer{}
	ChartStart(w, id, class, title, desc, ChartHeight)
	chartGrid(w, top, suffix)
	plotH = ChartHeight - ChartTop - ChartBottom
	step = (ChartWidth - ChartLeft - ChartRight) / float64(max(n, 1))
	return w, plotH, step, func(i int) float64 { return ChartLeft + step*(float64(i)+0.5) }
}

// ColumnChart draws one column per point, from 0 to top.
func ColumnChart(id, title, desc string, points []ChartPoint, top float64, suffix string) template.HTML {
	w, plotH, step, x := plotStart(id, "finsam-chart--columns", title, desc, len(points), top, suffix)
	for i, p := range points {
		h := 0.0
		if top > 0 {
			h = plotH * min(p.Value, top) / top
		}
		bw := step * (1 - chartBarGap)
		w.Elem("rect", "class", "finsam-chart__bar", "x", Num(x(i)-bw/2), "y", Num(ChartHeight-ChartBottom-h), "width", Num(bw), "height", Num(h))
	}
	axisLabels(w, points, x)
	w.Close("svg")
	return w.HTML()
}

// LineChart draws the points joined by a line, from 0 to top; points
// without a value (Text "") break the line.
func LineChart(id, title, desc string, points []ChartPoint, top float64, suffix string) template.HTML {
	w, plotH, _, x := plotStart(id, "finsam-chart--line", title, desc, len(points), top, suffix)
	y := func(v float64) float64 { return ChartHeight - ChartBottom - plotH*min(v, top)/max(top, 1) }
	path := linePath(points, x, y)
	if path != "" {
		w.Elem("path", "class", "finsam-chart__line", "d", path)
	}
	for i, p := range points {
		if p.Text != "" {
			w.Elem("circle", "class", "finsam-chart__dot", "cx", Num(x(i)), "cy", Num(y(p.Value)), "r", "4")
		}
	}
	axisLabels(w, points, x)
	w.Close("svg")
	return w.HTML()
}

// linePath is the path of a line through the points at x(i), y(value):
// a point without a value (Text "") breaks it, as a space, and the next
// one moves to its place again.
func linePath(points []ChartPoint, x func(i int) float64, y func(v float64) float64) string {
	path := ""
	for i, p := range points {
		if p.Text == "" {
			path += " "
			continue
		}
		if path == "" || path[len(path)-1] == ' ' {
			path += "M"
		} else {
			path += " L"
		}
		path += Num(x(i)) + " " + Num(y(p.Value))
	}
	return path
}

// BarChart draws one horizontal bar per point, labelled on the left and
// with its value on the right: for categories with long names.
func BarChart(id, title, desc string, points []ChartPoint) template.HTML {
	w := &Writer{}
	height := ChartTop + BarRowHeight*float64(max(len(points), 1)) + 8
	ChartStart(w, id, "finsam-chart--bars", title, desc, height)
	top := 0.0
	for _, p := range points {
		top = max(top, p.Value)
	}
	plotW := ChartWidth - BarLabelWidth - BarValueWidth - ChartRight
	for i, p := range points {
		y := ChartTop + BarRowHeight*float64(i)
		bw := 0.0
		if top > 0 {
			bw = plotW * p.Value / top
		}
		w.Text(p.Label, "class", "finsam-chart__label", "x", Num(BarLabelWidth-8), "y", Num(y+BarRowHeight/2+4), "text-anchor", "end")
		w.Elem("rect", "class", "finsam-chart__bar", "x", Num(BarLabelWidth), "y", Num(y+4), "width", Num(max(bw, 1)), "height", Num(BarRowHeight-8))
		w.Text(p.Text, "class", "finsam-chart__label", "x", Num(BarLabelWidth+max(bw, 1)+6), "y", Num(y+BarRowHeight/2+4))
	}
	w.Elem("line", "class", "finsam-chart__axis", "x1", Num(BarLabelWidth), "x2", Num(BarLabelWidth), "y1", Num(ChartTop), "y2", Num(height-8))
	w.Close("svg")
	return w.HTML()
}

// Series is one line of a LinesChart: its name for the legend, a class
// modifier for its colour and dashes (finsam-chart__line--<Class>), and its
// points, parallel to the chart's labels.
type Series struct {
	Name, Class string
	Points      []ChartPoint
}

// LinesChart draws several series as lines over the same labels (a year
// beside the year before, say), from 0 to top, with a legend above the
// plot naming each line by its dash as well as its colour.
func LinesChart(id, title, desc string, series []Series, top float64) template.HTML {
	w := &Writer{}
	ChartStart(w, id, "finsam-chart--line", title, desc, ChartHeight)
	chartGrid(w, top, "")
	plotW, plotH := ChartWidth-ChartLeft-ChartRight, ChartHeight-ChartTop-ChartBottom
	n := 1
	for _, s := range series {
		n = max(n, len(s.Points))
	}
	step := plotW / float64(n)
	x := func(i int) float64 { return ChartLeft + step*(float64(i)+0.5) }
	y := func(v float64) float64 { return ChartHeight - ChartBottom - plotH*min(v, top)/max(top, 1) }
	for k, s := range series {
		path := linePath(s.Points, x, y)
		class := "finsam-chart__line"
		if s.Class != "" {
			class += " finsam-chart__line--" + s.Class
		}
		if path != "" {
			w.Elem("path", "class", class, "d", path)
		}
		lx := ChartLeft + 8 + float64(k)*220
		w.Elem("line", "class", class, "x1", Num(lx), "x2", Num(lx+28), "y1", Num(ChartTop-6), "y2", Num(ChartTop-6))
		w.Text(s.Name, "class", "finsam-chart__label", "x", Num(lx+34), "y", Num(ChartTop-2))
	}
	if len(series) > 0 {
		axisLabels(w, series[0].Points, x)
	}
	w.Close("svg")
	return w.HTML()
}

// Sparkline geometry: a small multiple, one of many side by side.
const (
	SparkWidth  = 220.0
	SparkHeight = 80.0
)

// Sparkline draws one small line from 0 to top, with no axes: one of a
// set of small multiples whose numbers are given in words (desc) and in a
// table beside them. Points without a value (Text "") break the line.
func Sparkline(id, title, desc string, points []ChartPoint, top float64) template.HTML {
	w := &Writer{}
	svgStart(w, id, "finsam-chart--spark", title, desc, SparkWidth, SparkHeight)
	const pad = 6.0
	step := (SparkWidth - 2*pad) / float64(max(len(points)-1, 1))
	x := func(i int) float64 { return pad + step*float64(i) }
	y := func(v float64) float64 { return SparkHeight - pad - (SparkHeight-2*pad)*min(v, top)/max(top, 1) }
	path := strings.TrimSpace(linePath(points, x, y))
	w.Elem("line", "class", "finsam-chart__axis", "x1", Num(pad), "x2", Num(SparkWidth-pad), "y1", Num(SparkHeight-pad), "y2", Num(SparkHeight-pad))
	if path != "" {
		w.Elem("path", "class", "finsam-chart__line", "d", path)
	}
	w.Close("svg")
	return w.HTML()
}

// Geometry of a small multiple with axes (SmallLines).
const (
	SmallWidth  = 320.0
	SmallHeight = 150.0
	smallLeft   = 40.0
	smallRight  = 10.0
	smallTop    = 24.0
	smallBottom = 22.0
)

// SmallLines draws several series over the same labels as one of a set of
// small multiples: every chart of the set gets the same top (and so the
// same scale), a value axis at 0, top/2 and top, the first and last labels
// under it, and a legend above naming each line by its dash as well as its
// colour. Each point with a value is marked by a dot, so that a month
// between two gaps shows; points without a value (Text "") break the line.
func SmallLines(id, title, desc string, series []Series, top float64, suffix string) template.HTML {
	w := &Writer{}
	svgStart(w, id, "finsam-chart--small", title, desc, SmallWidth, SmallHeight, "font-size", "11")
	plotW, plotH := SmallWidth-smallLeft-smallRight, SmallHeight-smallTop-smallBottom
	base := SmallHeight - smallBottom
	for i := 0; i <= 2; i++ {
		v := top * float64(i) / 2
		y := base - plotH*float64(i)/2
		class := "finsam-chart__grid"
		if i == 0 {
			class = "finsam-chart__axis"
		}
		w.Elem("line", "class", class, "x1", Num(smallLeft), "x2", Num(SmallWidth-smallRight), "y1", Num(y), "y2", Num(y))
		w.Text(strconv.FormatFloat(v, 'f', 0, 64)+suffix, "class", "finsam-chart__label", "x", Num(smallLeft-4), "y", Num(y+4), "text-anchor", "end")
	}
	n := 1
	for _, s := range series {
		n = max(n, len(s.Points))
	}
	step := plotW / float64(n)
	x := func(i int) float64 { return smallLeft + step*(float64(i)+0.5) }
	y := func(v float64) float64 { return base - plotH*min(max(v, 0), top)/max(top, 1) }
	for k, s := range series {
		line, dot := "finsam-chart__line", "finsam-chart__dot"
		if s.Class != "" {
			line += " finsam-chart__line--" + s.Class
			dot += " finsam-chart__dot--" + s.Class
		}
		if path := strings.TrimSpace(linePath(s.Points, x, y)); path != "" {
			w.Elem("path", "class", line, "d", path)
		}
		for i, p := range s.Points {
			if p.Text != "" {
				w.Elem("circle", "class", dot, "cx", Num(x(i)), "cy", Num(y(p.Value)), "r", "2.5")
			}
		}
		lx := smallLeft + float64(k)*130
		w.Elem("line", "class", line, "x1", Num(lx), "x2", Num(lx+22), "y1", Num(smallTop-14), "y2", Num(smallTop-14))
		w.Text(s.Name, "class", "finsam-chart__label", "x", Num(lx+27), "y", Num(smallTop-10))
	}
	if len(series) > 0 && len(series[0].Points) > 0 {
		pts := series[0].Points
		w.Text(pts[0].Label, "class", "finsam-chart__label", "x", Num(x(0)), "y", Num(base+15), "text-anchor", "start")
		if len(pts) > 1 {
			w.Text(pts[len(pts)-1].Label, "class", "finsam-chart__label", "x", Num(x(len(pts)-1)), "y", Num(base+15), "text-anchor", "end")
		}
	}
	w.Close("svg")
	return w.HTML()
}
