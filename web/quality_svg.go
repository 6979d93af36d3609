package web

import (
	"html/template"
	"strconv"
)

// The quality board's charts: hand-written SVG drawn on the server, each an
// image with a title and a description (role="img") and followed on the
// page by a table of the same numbers. Colours and lines come from classes
// in finsam.css (finsam-chart__*): the Content-Security-Policy allows no
// inline styles.

// chartPoint is one value of a chart.
type chartPoint struct {
	Label string  // on the axis
	Value float64 // in the chart's unit
	Text  string  // the value as written beside it
}

// Geometry of the charts, in SVG user units.
const (
	chWidth   = 720.0
	chHeight  = 260.0
	chLeft    = 44.0
	chRight   = 12.0
	chTop     = 16.0
	chBottom  = 40.0
	chBarGap  = 0.25 // of a column's width
	hbLabelW  = 430.0
	hbRowH    = 28.0
	hbValueW  = 56.0
	chGridSet = 4 // grid lines above zero
)

// chartStart opens the svg with its title and description.
func chartStart(w *svgWriter, id, class, title, desc string, height float64) {
	w.Open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "finsam-chart "+class,
		"viewBox", "0 0 "+num(chWidth)+" "+num(height), "width", num(chWidth), "height", num(height),
		"role", "img", "aria-labelledby", id+"-title "+id+"-desc", "font-size", "12")
	w.Open("title", "id", id+"-title")
	w.Escaped(title)
	w.Close("title")
	w.Open("desc", "id", id+"-desc")
	w.Escaped(desc)
	w.Close("desc")
}

// chartGrid draws the value axis from 0 to top with its grid lines.
func chartGrid(w *svgWriter, top float64, suffix string) {
	plotH := chHeight - chTop - chBottom
	for i := 0; i <= chGridSet; i++ {
		v := top * float64(i) / chGridSet
		y := chHeight - chBottom - plotH*float64(i)/chGridSet
		w.Elem("line", "class", "finsam-chart__grid", "x1", num(chLeft), "x2", num(chWidth-chRight), "y1", num(y), "y2", num(y))
		w.Text(strconv.FormatFloat(v, 'f', 0, 64)+suffix, "class", "finsam-chart__label", "x", num(chLeft-6), "y", num(y+4), "text-anchor", "end")
	}
	w.Elem("line", "class", "finsam-chart__axis", "x1", num(chLeft), "x2", num(chWidth-chRight),
		"y1", num(chHeight-chBottom), "y2", num(chHeight-chBottom))
}

// axisLabels writes the category labels under the columns, thinned out
// so that they do not overlap.
func axisLabels(w *svgWriter, points []chartPoint, x func(i int) float64) {
	every := 1 + len(points)/13
	for i, p := range points {
		if i%every == 0 {
			w.Text(p.Label, "class", "finsam-chart__label", "x", num(x(i)), "y", num(chHeight-chBottom+16), "text-anchor", "middle")
		}
	}
}

// columnChart draws one column per point, from 0 to top.
func columnChart(id, title, desc string, points []chartPoint, top float64, suffix string) template.HTML {
	w := &svgWriter{}
	chartStart(w, id, "finsam-chart--columns", title, desc, chHeight)
	chartGrid(w, top, suffix)
	plotW, plotH := chWidth-chLeft-chRight, chHeight-chTop-chBottom
	step := plotW / float64(max(len(points), 1))
	x := func(i int) float64 { return chLeft + step*(float64(i)+0.5) }
	for i, p := range points {
		h := 0.0
		if top > 0 {
			h = plotH * min(p.Value, top) / top
		}
		bw := step * (1 - chBarGap)
		w.Elem("rect", "class", "finsam-chart__bar", "x", num(x(i)-bw/2), "y", num(chHeight-chBottom-h), "width", num(bw), "height", num(h))
	}
	axisLabels(w, points, x)
	w.Close("svg")
	return w.HTML()
}

// lineChart draws the points joined by a line, from 0 to top; points
// without a value (Text "") break the line.
func lineChart(id, title, desc string, points []chartPoint, top float64, suffix string) template.HTML {
	w := &svgWriter{}
	chartStart(w, id, "finsam-chart--line", title, desc, chHeight)
	chartGrid(w, top, suffix)
	plotW, plotH := chWidth-chLeft-chRight, chHeight-chTop-chBottom
	step := plotW / float64(max(len(points), 1))
	x := func(i int) float64 { return chLeft + step*(float64(i)+0.5) }
	y := func(v float64) float64 { return chHeight - chBottom - plotH*min(v, top)/max(top, 1) }
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
		path += num(x(i)) + " " + num(y(p.Value))
	}
	if path != "" {
		w.Elem("path", "class", "finsam-chart__line", "d", path)
	}
	for i, p := range points {
		if p.Text != "" {
			w.Elem("circle", "class", "finsam-chart__dot", "cx", num(x(i)), "cy", num(y(p.Value)), "r", "4")
		}
	}
	axisLabels(w, points, x)
	w.Close("svg")
	return w.HTML()
}

// barChart draws one horizontal bar per point, labelled on the left and
// with its value on the right: for categories with long names.
func barChart(id, title, desc string, points []chartPoint) template.HTML {
	w := &svgWriter{}
	height := chTop + hbRowH*float64(max(len(points), 1)) + 8
	chartStart(w, id, "finsam-chart--bars", title, desc, height)
	top := 0.0
	for _, p := range points {
		top = max(top, p.Value)
	}
	plotW := chWidth - hbLabelW - hbValueW - chRight
	for i, p := range points {
		y := chTop + hbRowH*float64(i)
		bw := 0.0
		if top > 0 {
			bw = plotW * p.Value / top
		}
		w.Text(p.Label, "class", "finsam-chart__label", "x", num(hbLabelW-8), "y", num(y+hbRowH/2+4), "text-anchor", "end")
		w.Elem("rect", "class", "finsam-chart__bar", "x", num(hbLabelW), "y", num(y+4), "width", num(max(bw, 1)), "height", num(hbRowH-8))
		w.Text(p.Text, "class", "finsam-chart__label", "x", num(hbLabelW+max(bw, 1)+6), "y", num(y+hbRowH/2+4))
	}
	w.Elem("line", "class", "finsam-chart__axis", "x1", num(hbLabelW), "x2", num(hbLabelW), "y1", num(chTop), "y2", num(height-8))
	w.Close("svg")
	return w.HTML()
}
