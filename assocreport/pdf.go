package assocreport

// The yearly report (verksamhetsberättelse) as PDF, drawn with
// codeberg.org/go-pdf/fpdf: no browser at run time. The core Helvetica font
// with fpdf's cp1252 translator writes å, ä, ö, é and the en dash right
// without embedding a font. Everything shown comes from the published
// tables (Tables with the Publisher given), so the PDF cannot show a
// count that the tables suppress.

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/finsam/finsam/association"
)

// Colours of the charts (RGB): FKUI's blue and a dark orange, both with a
// contrast of at least 3:1 against white and distinct in greyscale.
var (
	pdfSeries = [][3]int{{11, 79, 138}, {191, 87, 0}}
	pdfInk    = [3]int{27, 30, 35}
	pdfGrid   = [3]int{200, 205, 210}
)

// Options are the texts and settings of the PDF and the XLSX.
type Options struct {
	T         Translator
	Codes     *association.CodeLists
	Lang      string
	Publisher Publisher
	// Created is the document's date (the request's time): with it fixed,
	// the same report gives the same bytes.
	Created time.Time
}

// WritePDF writes the report as a PDF.
func WritePDF(w io.Writer, r Report, o Options) error {
	T := o.T
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	title := r.Heading(T)
	pdf.SetTitle(r.DocumentTitle(T), true)
	pdf.SetAuthor(r.Association.Name, true)
	pdf.SetProducer("finsam", false)
	pdf.SetCreationDate(o.Created)
	pdf.SetModificationDate(o.Created)
	pdf.SetLang(DocumentLang(o.Lang))
	pdf.SetAutoPageBreak(true, pdfBottom)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(pdfInk[0], pdfInk[1], pdfInk[2])
		pdf.CellFormat(0, 5, tr(r.Association.Name+" – "+title+" – "+T("assoc.rep.pdf.page")+" "+fmt.Sprint(pdf.PageNo())), "", 0, "C", false, 0, "")
	})

	// Title page.
	pdf.AddPage()
	pdf.SetTextColor(pdfInk[0], pdfInk[1], pdfInk[2])
	pdf.SetY(70)
	pdf.SetFont("Helvetica", "B", 26)
	pdf.MultiCell(0, 12, tr(title), "", "C", false)
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "", 18)
	pdf.MultiCell(0, 9, tr(r.Association.Name), "", "C", false)
	if r.InsatsID != 0 {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "", 14)
		pdf.MultiCell(0, 8, tr(T("assoc.rep.insats")+": "+r.InsatsName), "", "C", false)
	}
	pdf.Ln(10)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5, tr(r.Period(T, o.Created)), "", "C", false)
	if !o.Publisher.Exact {
		pdf.Ln(4)
		pdf.MultiCell(0, 5, tr(T("assoc.rep.note.suppressed")), "", "C", false)
	}

	// Summary figures.
	pdf.AddPage()
	heading(pdf, tr, T("assoc.rep.summary"))
	pdf.SetFont("Helvetica", "", 10)
	for _, s := range r.Summary(T, o.Publisher) {
		pdf.CellFormat(100, 7, tr(s.Label), "B", 0, "L", false, 0, "")
		pdf.CellFormat(70, 7, tr(s.Value), "B", 1, "R", false, 0, "")
	}
	pdf.Ln(6)

	tables := r.Tables(T, o.Codes, o.Lang, o.Publisher)
	byID := map[string]Table{}
	for _, t := range tables {
		byID[t.ID] = t
	}
	// The charts, each from its published table.
	parts := byID["participants"]
	hidden := T("assoc.rep.chart.hidden")
	chartPDF(pdf, tr, T("assoc.rep.chart.participants"), parts.Parts(), []int{1, 2}, []string{T("assoc.rep.col.female"), T("assoc.rep.col.male")}, hidden)
	chartPDF(pdf, tr, T("assoc.rep.chart.income"), byID["income"], []int{1, 2}, []string{T("assoc.rep.col.start"), T("assoc.rep.col.end")}, hidden)
	chartPDF(pdf, tr, T("assoc.rep.chart.financiers"), byID["financiers"].Parts(), []int{1, 2}, []string{T("assoc.rep.col.budget"), T("assoc.rep.col.outcome")}, hidden)

	// The tables.
	for _, t := range tables {
		tablePDF(pdf, tr, t)
	}
	return pdf.Output(w)
}

func heading(pdf *fpdf.Fpdf, tr func(string) string, s string) {
	pdf.SetFont("Helvetica", "B", 14)
	pdf.MultiCell(0, 8, tr(s), "", "L", false)
	pdf.Ln(2)
}

// chartPDF draws horizontal grouped bars: one group per row of t, one bar
// per column in cols, with the cell's text beside each bar. A count that
// is not published ("<5", "..") has no length to draw: it gets a dashed
// open marker with its text instead of a bar, so that it reads as hidden
// rather than as zero, and the legend names the marker.
func chartPDF(pdf *fpdf.Fpdf, tr func(string) string, title string, t Table, cols []int, names []string, hiddenName string) {
	const labelW, valueW, barH, gap = 60.0, 28.0, 4.5, 3.0
	// Rows with nothing to draw (a structural insats has no participants)
	// stay in the table only.
	var rows [][]Cell
	anyHidden := false
	for _, row := range t.Rows {
		keep := false
		for _, c := range cols {
			if !row[c].Number || row[c].Value != 0 {
				keep = true
			}
		}
		if keep {
			rows = append(rows, row)
			for _, c := range cols {
				anyHidden = anyHidden || row[c].Hidden()
			}
		}
	}
	t.Rows = rows
	if len(t.Rows) == 0 {
		return
	}
	groupH := barH*float64(len(cols)) + gap
	keepTogether(pdf, 8+2+7+groupH*float64(len(t.Rows))+6)
	heading(pdf, tr, title)
	left, _, right, _ := pdf.GetMargins()
	pageW, _ := pdf.GetPageSize()
	x0 := left + labelW
	plotW := pageW - right - x0 - valueW
	top := 0.0
	for _, row := range t.Rows {
		for _, c := range cols {
			if row[c].Number {
				top = max(top, row[c].Value)
			}
		}
	}
	// Legend.
	pdf.SetFont("Helvetica", "", 8)
	pdf.SetTextColor(pdfInk[0], pdfInk[1], pdfInk[2])
	y := pdf.GetY()
	lx := x0
	for i, n := range names {
		c := pdfSeries[i%len(pdfSeries)]
		pdf.SetFillColor(c[0], c[1], c[2])
		pdf.Rect(lx, y+1, 4, 3, "F")
		pdf.Text(lx+5, y+3.8, tr(n))
		lx += max(30, 5+pdf.GetStringWidth(tr(n))+6)
	}
	if anyHidden {
		hiddenMarker(pdf, lx, y+1, 4, 3, pdfInk)
		pdf.Text(lx+5, y+3.8, tr(hiddenName))
	}
	y += 7
	pdf.SetDrawColor(pdfGrid[0], pdfGrid[1], pdfGrid[2])
	pdf.Line(x0, y-1, x0, y+groupH*float64(len(t.Rows)))
	for _, row := range t.Rows {
		pdf.SetTextColor(pdfInk[0], pdfInk[1], pdfInk[2])
		pdf.Text(left, y+groupH/2, tr(fit(pdf, tr, row[0].Text, labelW-3)))
		for i, c := range cols {
			cell := row[c]
			col := pdfSeries[i%len(pdfSeries)]
			by := y + float64(i)*barH
			w := 0.0
			switch {
			case cell.Hidden():
				w = barH + 1
				hiddenMarker(pdf, x0+0.8, by+0.4, barH-1.6, barH-1.6, col)
			case cell.Number && top > 0:
				w = plotW * cell.Value / top
				pdf.SetFillColor(col[0], col[1], col[2])
				if w > 0 {
					pdf.Rect(x0, by, w, barH-0.8, "F")
				}
			}
			pdf.Text(x0+w+1.5, by+barH-1.6, tr(cell.Text))
		}
		y += groupH
	}
	pdf.SetY(y + 6)
}

// hiddenMarker draws the open, dashed box that stands for a hidden count.
func hiddenMarker(pdf *fpdf.Fpdf, x, y, w, h float64, col [3]int) {
	pdf.SetDrawColor(col[0], col[1], col[2])
	pdf.SetLineWidth(0.35)
	pdf.SetDashPattern([]float64{0.7, 0.5}, 0)
	pdf.Rect(x, y, w, h, "D")
	pdf.SetDashPattern(nil, 0)
	pdf.SetLineWidth(0.2)
	// Back to the chart's grey, which the tables after the charts draw
	// their rules with.
	pdf.SetDrawColor(pdfGrid[0], pdfGrid[1], pdfGrid[2])
}

// keepTogether starts a new page unless a block of height h fits above
// the bottom margin: a heading stays with its chart or table, and a note
// is never cut between two pages.
func keepTogether(pdf *fpdf.Fpdf, h float64) {
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+h > pageH-pdfBottom {
		pdf.AddPage()
	}
}

// pdfBottom is the bottom margin (mm) that holds the footer.
const pdfBottom = 18.0

// Heading is the report's heading: "Verksamhetsberättelse 2025".
func (r Report) Heading(T Translator) string {
	return T("assoc.rep.pdf.title") + " " + fmt.Sprint(r.Year)
}

// DocumentTitle is the title a document of the report states (a PDF's
// /Title, a page's title): the heading and the association.
func (r Report) DocumentTitle(T Translator) string {
	return r.Heading(T) + " – " + r.Association.Name
}

// Period says which year the report covers and when it was made.
func (r Report) Period(T Translator, created time.Time) string {
	return T("assoc.rep.pdf.period") + " " + fmt.Sprintf("%d-01-01 – %d-12-31", r.Year, r.Year) + ". " +
		T("assoc.rep.pdf.created") + " " + created.Format("2006-01-02") + "."
}

// DocumentLang is the language tag (BCP 47) a document of the report
// states for a message language ("sv", "en"): a PDF's /Lang, the printed
// page's lang.
func DocumentLang(lang string) string {
	if lang == "en" {
		return "en-GB"
	}
	return "sv-SE"
}

// tablePDF writes a table with its header repeated on each new page.
func tablePDF(pdf *fpdf.Fpdf, tr func(string) string, t Table) {
	left, _, right, _ := pdf.GetMargins()
	pageW, pageH := pdf.GetPageSize()
	width := pageW - left - right
	n := len(t.Head)
	firstW := width * 0.4
	if n == 2 {
		firstW = width * 0.6
	}
	colW := func(i int) float64 {
		if i == 0 {
			return firstW
		}
		return (width - firstW) / float64(n-1)
	}
	const rowH, noteH = 6.5, 4.0
	keepTogether(pdf, 2+10+rowH*3)
	pdf.Ln(2)
	heading(pdf, tr, t.Title)
	head := func() {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetFillColor(232, 238, 244)
		for i, h := range t.Head {
			align := "L"
			if i < len(t.Numeric) && t.Numeric[i] {
				align = "R"
			}
			pdf.CellFormat(colW(i), rowH, tr(h), "B", 0, align, true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 9)
	}
	head()
	for ri, row := range t.Rows {
		if pdf.GetY()+rowH > pageH-pdfBottom {
			pdf.AddPage()
			head()
		}
		style := ""
		if t.Total && ri == len(t.Rows)-1 {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 9)
		for i, c := range row {
			align := "L"
			if i < len(t.Numeric) && t.Numeric[i] {
				align = "R"
			}
			txt := c.Text
			if i == 0 {
				txt = fit(pdf, tr, txt, firstW-2)
			}
			pdf.CellFormat(colW(i), rowH, tr(txt), "B", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	if len(t.Rows) == 0 {
		pdf.CellFormat(width, rowH, tr("–"), "", 1, "L", false, 0, "")
	}
	if t.Note != "" {
		pdf.SetFont("Helvetica", "I", 8)
		// Measured as MultiCell will break it, so that it moves to the
		// next page whole instead of being cut.
		note := tr(t.Note)
		keepTogether(pdf, 1+noteH*float64(len(pdf.SplitLines([]byte(note), width))))
		pdf.Ln(1)
		pdf.MultiCell(0, noteH, note, "", "L", false)
	}
	pdf.Ln(4)
}

// fit shortens s with an ellipsis until it fits in width.
func fit(pdf *fpdf.Fpdf, tr func(string) string, s string, width float64) string {
	rs := []rune(s)
	for pdf.GetStringWidth(tr(string(rs))) > width && len(rs) > 2 {
		rs = append([]rune(strings.TrimSpace(string(rs[:len(rs)-2]))), '…')
	}
	return string(rs)
}
