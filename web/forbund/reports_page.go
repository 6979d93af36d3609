package forbund

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/svg"
)

// reportChart is a chart of the report page, drawn from a published table
// and shown above it (the table is its text equivalent).
type reportChart struct {
	Heading string
	SVG     template.HTML
}

// assocReportData is the report page.
type assocReportData struct {
	Tabs        assoctabs.Nav
	Association string
	Slug        string
	Year        string
	Years       []site.Choice
	Insatser    []site.Choice
	// FieldErrors are the query's problems (message ids translated), by
	// field; NoData says the year has nothing to report.
	FieldErrors map[string]string
	NoData      string
	Staff       bool
	Report      bool
	Summary     []assocreport.Summary
	Tables      []assocReportTable
	PDF, XLSX   string
	CSV         string
}

// assocReportTable is a table with the chart drawn from it, if any.
type assocReportTable struct {
	assocreport.Table
	Chart *reportChart
}

// ReportPage shows the yearly report with its charts.
func (h *Handlers) ReportPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ar, err := h.load(r, a, policy.ReadAssociationReports)
	if err != nil {
		return err
	}
	rq := readReportQuery(r, ar, true)
	if rq.problems.Any() {
		return h.renderReport(w, r, a, ar, rq, assocreport.Report{}, nil, nil)
	}
	rep, insatser, err := h.buildReport(r, ar, rq)
	if err != nil {
		return h.reportError(w, r, a, ar, rq, insatser, err)
	}
	return h.renderReport(w, r, a, ar, rq, rep, insatser, nil)
}

// renderReport renders the page: the report when rep has one, else the
// form with the query's errors or the no-data message (422).
func (h *Handlers) renderReport(w http.ResponseWriter, r *http.Request, a *site.Actor, ar assocRequest, rq reportQuery, rep assocreport.Report, insatser []association.Insats, noData error) error {
	lang := site.Language(w, r)
	T := reportT(lang)
	d := assocReportData{Tabs: tabs(r, a, ar), Association: ar.Org.Name, Slug: ar.Org.Slug, Year: rq.YearText, Staff: ar.Staff, FieldErrors: map[string]string{}}
	for y := ar.Today.Year(); y >= ar.Today.Year()-9; y-- {
		ys := strconv.Itoa(y)
		d.Years = append(d.Years, site.Choice{Value: ys, Label: ys, Selected: ys == rq.YearText})
	}
	if insatser == nil {
		insatser, _ = store.Insatser(r.Context(), h.Store, store.InsatsQuery{AssociationID: ar.Org.ID})
	}
	d.Insatser = []site.Choice{{Value: "", Label: T("assoc.rep.form.all"), Selected: rq.Insats == ""}}
	for _, in := range insatser {
		id := strconv.FormatInt(in.ID, 10)
		d.Insatser = append(d.Insatser, site.Choice{Value: id, Label: in.Name, Selected: id == rq.Insats})
	}
	for _, p := range rq.problems {
		d.FieldErrors[p.Field] = p.Message(h.Messages, lang, "assoc.rep.err.")
	}
	status := http.StatusOK
	switch {
	case len(d.FieldErrors) > 0:
		status = http.StatusUnprocessableEntity
	case noData != nil:
		status = http.StatusUnprocessableEntity
		d.NoData = strings.ReplaceAll(T("assoc.rep.err.no_data"), "{year}", rq.YearText)
	default:
		d.Report = true
		pub := assocreport.Publisher{Exact: ar.Staff}
		d.Summary = rep.Summary(T, pub)
		base := "/forbund/" + ar.Org.Slug + "/rapporter/"
		d.PDF = site.WithQuery(base+"arsrapport.pdf", rq.values())
		d.XLSX = site.WithQuery(base+"arsrapport.xlsx", rq.values())
		d.CSV = site.WithQuery(base+"uppfoljning-finsam.csv", url.Values{"year": {rq.YearText}})
		d.Tables = reportTables(T, rep, lang, pub)
	}
	title := T("assoc.rep.title") + " – " + ar.Org.Name
	h.Render(w, r, status, "assoc_rep_report", site.Page{Lang: lang, Title: title, Actor: a, Data: d})
	return nil
}

// reportTables are the report's published tables, each with the chart
// drawn from it, as the page and the printed report show them.
func reportTables(T assocreport.Translator, rep assocreport.Report, lang string, pub assocreport.Publisher) []assocReportTable {
	var out []assocReportTable
	for _, t := range rep.Tables(T, reportCodes, lang, pub) {
		rt := assocReportTable{Table: t}
		switch t.ID {
		case "participants":
			rt.Chart = &reportChart{Heading: T("assoc.rep.chart.participants"), SVG: groupedBarChart("chart-participants", T("assoc.rep.chart.participants"),
				t.Parts(), []string{T("assoc.rep.col.female"), T("assoc.rep.col.male")}, []int{1, 2}, T("assoc.rep.chart.hidden"))}
		case "income":
			rt.Chart = &reportChart{Heading: T("assoc.rep.chart.income"), SVG: groupedBarChart("chart-income", T("assoc.rep.chart.income"),
				t, []string{T("assoc.rep.col.start"), T("assoc.rep.col.end")}, []int{1, 2}, T("assoc.rep.chart.hidden"))}
		case "financiers":
			rt.Chart = &reportChart{Heading: T("assoc.rep.chart.financiers"), SVG: groupedBarChart("chart-financiers", T("assoc.rep.chart.financiers"),
				t.Parts(), []string{T("assoc.rep.col.budget") + " (kr)", T("assoc.rep.col.outcome") + " (kr)"}, []int{1, 2}, T("assoc.rep.chart.hidden"))}
		}
		out = append(out, rt)
	}
	return out
}

// Colours of the two series, with at least 3:1 contrast against white
// (WCAG 1.4.11) and apart in greyscale: FKUI blue and a dark orange.
var repSeries = []string{"#0b4f8a", "#b35000"}

// groupedBarChart draws one group of horizontal bars per row of t, one bar
// per column of cols, each with its published text beside it ("<5" where a
// count is suppressed, beside a dashed marker named hiddenName in the
// legend instead of a bar). The description repeats every value in words.
func groupedBarChart(id, title string, t assocreport.Table, names []string, cols []int, hiddenName string) template.HTML {
	const lineH, barH, groupGap = 24.0, 14.0, 10.0
	// Rows with nothing to draw (a structural insats has no participants)
	// stay in the table only.
	var rows [][]assocreport.Cell
	for _, row := range t.Rows {
		for _, c := range cols {
			if !row[c].Number || row[c].Value != 0 {
				rows = append(rows, row)
				break
			}
		}
	}
	t.Rows = rows
	// The marker of hidden counts gets a legend line of its own: the
	// series fill the first.
	hidden := hiddenName != "" && slices.ContainsFunc(t.Rows, func(row []assocreport.Cell) bool {
		return slices.ContainsFunc(cols, func(c int) bool { return row[c].Hidden() })
	})
	legendH := lineH
	if hidden {
		legendH += lineH - 6
	}
	groupH := barH*float64(len(cols)) + groupGap
	height := svg.ChartTop + legendH + groupH*float64(max(len(t.Rows), 1)) + 8
	var desc []string
	for _, row := range t.Rows {
		var parts []string
		for i, c := range cols {
			parts = append(parts, names[i]+" "+row[c].Text)
		}
		desc = append(desc, row[0].Text+": "+strings.Join(parts, ", "))
	}
	w := &svg.Writer{}
	svg.ChartStart(w, id, "finsam-chart--bars finsam-assoc-chart", title, strings.Join(desc, "; ")+".", height)
	top := 0.0
	for _, row := range t.Rows {
		for _, c := range cols {
			if row[c].Number {
				top = max(top, row[c].Value)
			}
		}
	}
	lx := svg.BarLabelWidth
	for i, n := range names {
		w.Elem("rect", "x", svg.Num(lx), "y", svg.Num(svg.ChartTop), "width", "12", "height", "12", "fill", repSeries[i%len(repSeries)])
		w.Text(n, "class", "finsam-chart__label", "fill", rulesview.Ink, "x", svg.Num(lx+18), "y", svg.Num(svg.ChartTop+10))
		lx += 150
	}
	if hidden {
		y := svg.ChartTop + lineH - 6
		hiddenMarker(w, svg.BarLabelWidth, y, 12, rulesview.Ink)
		w.Text(hiddenName, "class", "finsam-chart__label", "fill", rulesview.Ink, "x", svg.Num(svg.BarLabelWidth+18), "y", svg.Num(y+10))
	}
	plotW := svg.ChartWidth - svg.BarLabelWidth - svg.BarValueWidth - svg.ChartRight - 40
	y0 := svg.ChartTop + legendH
	for ri, row := range t.Rows {
		y := y0 + groupH*float64(ri)
		w.Text(row[0].Text, "class", "finsam-chart__label", "fill", rulesview.Ink, "x", svg.Num(svg.BarLabelWidth-8), "y", svg.Num(y+groupH/2), "text-anchor", "end")
		for i, c := range cols {
			cell := row[c]
			bw := 0.0
			by := y + barH*float64(i)
			switch {
			case cell.Hidden():
				bw = barH
				hiddenMarker(w, svg.BarLabelWidth+1, by+1, barH-4, repSeries[i%len(repSeries)])
			case cell.Number && top > 0:
				bw = plotW * cell.Value / top
				if bw > 0 {
					w.Elem("rect", "x", svg.Num(svg.BarLabelWidth), "y", svg.Num(by), "width", svg.Num(bw), "height", svg.Num(barH-2), "fill", repSeries[i%len(repSeries)])
				}
			}
			w.Text(cell.Text, "class", "finsam-chart__label", "fill", rulesview.Ink, "x", svg.Num(svg.BarLabelWidth+bw+6), "y", svg.Num(by+barH-4))
		}
	}
	w.Elem("line", "class", "finsam-chart__axis", "x1", svg.Num(svg.BarLabelWidth), "x2", svg.Num(svg.BarLabelWidth), "y1", svg.Num(y0-4), "y2", svg.Num(height-8))
	w.Close("svg")
	return w.HTML()
}

// hiddenMarker draws the open, dashed square that stands for a hidden count,
// so that it reads as hidden rather than as zero.
func hiddenMarker(w *svg.Writer, x, y, size float64, colour string) {
	w.Elem("rect", "x", svg.Num(x), "y", svg.Num(y), "width", svg.Num(size), "height", svg.Num(size),
		"fill", "none", "stroke", colour, "stroke-width", "1.5", "stroke-dasharray", "3 2")
}
