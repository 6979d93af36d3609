package forbund

// The yearly report as one printable HTML document, for a browser to print
// as a tagged PDF (see docs/adr/0032-tagged-yearly-report.md): headings,
// tables with header cells and charts with their text alternatives become
// the PDF's structure tree, which fpdf cannot write. It shows the same
// published tables and charts as the page, without the page's navigation
// and forms, and states the document's language and title.

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"time"

	"github.com/finsam/finsam/assocreport"
)

//go:embed templates/print/assoc_rep_report.html
var printFS embed.FS

var reportPrintTemplate = template.Must(template.ParseFS(printFS, "templates/print/assoc_rep_report.html"))

// reportPrintData is the printable report.
type reportPrintData struct {
	T       assocreport.Translator
	Lang    string // BCP 47, e.g. sv-SE
	Title   string
	Heading string
	// Association and Insats (when the report is of one insats) name what
	// the report is of; Period the year and the date it was made.
	Association, Insats string
	Period              string
	// Note says that small counts are hidden ("" when they are exact).
	Note    string
	Year    int
	Summary []assocreport.Summary
	Tables  []assocReportTable
}

// reportPrintHTML renders the printable report in a language.
func reportPrintHTML(rep assocreport.Report, lang string, pub assocreport.Publisher, created time.Time) ([]byte, error) {
	T := reportT(lang)
	d := reportPrintData{T: T, Lang: assocreport.DocumentLang(lang), Title: rep.DocumentTitle(T), Heading: rep.Heading(T),
		Association: rep.Association.Name, Period: rep.Period(T, created), Year: rep.Year,
		Summary: rep.Summary(T, pub), Tables: reportTables(T, rep, lang, pub)}
	if rep.InsatsID != 0 {
		d.Insats = T("assoc.rep.insats") + ": " + rep.InsatsName
	}
	if !pub.Exact {
		d.Note = T("assoc.rep.note.suppressed")
	}
	var buf bytes.Buffer
	if err := reportPrintTemplate.Execute(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// printedReportPDF is the yearly report's PDF download printed by p: as
// every download, with small counts hidden (the zero Publisher).
func printedReportPDF(ctx context.Context, p Printer, rep assocreport.Report, lang string, created time.Time) ([]byte, error) {
	html, err := reportPrintHTML(rep, lang, assocreport.Publisher{}, created)
	if err != nil {
		return nil, err
	}
	return p.Print(ctx, html, rep.DocumentTitle(reportT(lang)), assocreport.DocumentLang(lang))
}

// TotalRow reports whether row i is the table's total.
func (t assocReportTable) TotalRow(i int) bool { return t.Total && i == len(t.Rows)-1 }
