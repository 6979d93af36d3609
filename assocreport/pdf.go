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
	title := T("assoc.rep.pdf.title") + " " + fmt.Sprint(r.Year)
	pdf.SetTitle(title+" – "+r.Association.Name, true)
	pdf.SetAuthor(r.Association.Name, true)
	pdf.SetProducer("finsam", false)
	pdf.SetCreationDate(o.Created)
	pdf.SetModificationDate(o.Created)
	pdf.SetAutoPageBreak(true, 18)
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
	pdf.MultiCell(0, 5, tr(T("assoc.rep.pdf.period")+" "+fmt.Sprintf("%d-01-01 – %d-12-31", r.Year, r.Year)+". "+
		T("assoc.rep.pdf.created")+" "+o.Created.Format("2006-01-02")+"."), "", "C", false)
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
	chartPDF(pdf, tr, T("assoc.rep.chart.participants"), withoutTotal(parts), []int{1, 2}, []string{T("assoc.rep.col.female"), T("assoc.rep.col.male")})
	chartPDF(pdf, tr, T("assoc.rep.chart.income"), byID["income"], []int{1, 2}, []string{T("assoc.rep.col.start"), T("assoc.rep.col.end")})
	chartPDF(pdf, tr, T("assoc.rep.chart.financiers"), withoutTotal(byID["financiers"]), []int{1, 2}, []string{T("assoc.rep.col.budget"), T("assoc.rep.col.outcome")})

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

// withoutTotal drops a table's total row, for a chart of its parts.
func withoutTotal(t Table) Table {
	if t.Total && len(t.Rows) > 0 {
		t.Rows = t.Rows[:len(t.Rows)-1]
	}
	return t
}

// chartPDF draws horizontal grouped bars: one group per row of t, one bar
// per column in cols, with the cell's text beside each bar (so "<5" shows
// where a count is suppressed and no bar is drawn).
func chartPDF(pdf *fpdf.Fpdf, tr func(string) string, title string, t Table, cols []int, names []string) {
	const labelW, valueW, barH, gap = 60.0, 28.0, 4.5, 3.0
	// Rows with nothing to draw (a structural insats has no participants)
	// stay in the table only.
	var rows [][]Cell
	for _, row := range t.Rows {
		for _, c := range cols {
			if !row[c].Number || row[c].Value != 0 {
				rows = append(rows, row)
				break
			}
		}
	}
	t.Rows = rows
	if len(t.Rows) == 0 {
		return
	}
	groupH := barH*float64(len(cols)) + gap
	need := 8 + 8 + groupH*float64(len(t.Rows)) + 6
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+need > pageH-20 {
		pdf.AddPage()
	}
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
	y := pdf.GetY()
	lx := x0
	for i, n := range names {
		c := pdfSeries[i%len(pdfSeries)]
		pdf.SetFillColor(c[0], c[1], c[2])
		pdf.Rect(lx, y+1, 4, 3, "F")
		pdf.Text(lx+5, y+3.8, tr(n))
		lx += 40
	}
	y += 7
	pdf.SetDrawColor(pdfGrid[0], pdfGrid[1], pdfGrid[2])
	pdf.Line(x0, y-1, x0, y+groupH*float64(len(t.Rows)))
	for _, row := range t.Rows {
		pdf.SetTextColor(pdfInk[0], pdfInk[1], pdfInk[2])
		pdf.Text(left, y+groupH/2, tr(fit(pdf, tr, row[0].Text, labelW-3)))
		for i, c := range cols {
			cell := row[c]
			w := 0.0
			if cell.Number && top > 0 {
				w = plotW * cell.Value / top
			}
			col := pdfSeries[i%len(pdfSeries)]
			pdf.SetFillColor(col[0], col[1], col[2])
			by := y + float64(i)*barH
			if w > 0 {
				pdf.Rect(x0, by, w, barH-0.8, "F")
			}
			pdf.Text(x0+w+1.5, by+barH-1.6, tr(cell.Text))
		}
		y += groupH
	}
	pdf.SetY(y + 6)
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
	const rowH = 6.5
	if pdf.GetY()+8+rowH*3 > pageH-20 {
		pdf.AddPage()
	}
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
		if pdf.GetY()+rowH > pageH-20 {
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
		pdf.Ln(1)
		pdf.SetFont("Helvetica", "I", 8)
		pdf.MultiCell(0, 4, tr(t.Note), "", "L", false)
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
