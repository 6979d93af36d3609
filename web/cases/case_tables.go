package cases

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/tablehead"
)

// The case page's tables that show the case as it is stored, with no form
// in a row, given as data: case.html draws each with {{.XTable $.Lang}}.

// caseTable is a table of the case page in lang: its caption and column
// headings are message ids. The caption is for screen readers only; the
// section heading above the table says the same.
func caseTable(lang, caption string, cols []tablehead.Column, rows [][]tablehead.Cell) tablehead.Table {
	return tablehead.Table{Caption: translate(lang, caption), HiddenCaption: true, Columns: tablehead.Headings(translate, lang, cols...), Rows: rows}
}

// TimelineTable is the timeline's picture in words.
func (d caseData) TimelineTable(lang string) (template.HTML, error) {
	table := caseTable(lang, "case.tl.table",
		[]tablehead.Column{{Heading: "case.tl.col.row"}, tablehead.Date("case.tl.col.from"), tablehead.Date("case.tl.col.to"), {Heading: "case.tl.col.what"}},
		tablehead.Rows(d.TimelineItems, func(it rulesview.TimelineItem) []tablehead.Cell {
			return tablehead.Texts(it.Row, it.From, it.To, it.Text)
		}))
	table.ID = "case-timeline-table"
	return tablehead.Draw(table)
}

// PeriodsTable is the sick-leave periods as the rules engine takes them,
// each with the certificate or the period entered by hand that decides it,
// and where the others disagreed.
func (d caseData) PeriodsTable(lang string) (template.HTML, error) {
	T := func(id string) string { return translate(lang, id) }
	return tablehead.Draw(caseTable(lang, "case.s.periods",
		[]tablehead.Column{tablehead.Date("case.field.from"), tablehead.Date("case.field.to"), tablehead.Num("case.field.degree"),
			{Heading: "case.period.decided_by"}, {Heading: "case.period.disagreed"}},
		tablehead.Rows(d.Periods, func(p periodView) []tablehead.Cell {
			decidedBy := tablehead.Text(T("case.period.manual") + ": " + p.Source)
			if p.CertificateID != 0 {
				id := strconv.FormatInt(p.CertificateID, 10)
				decidedBy = tablehead.Link(T("case.period.certificate")+" "+id, "/certificates/"+id)
			}
			disagreed := "–"
			if len(p.Disagreed) > 0 {
				disagreed = strings.Join(p.Disagreed, "; ")
			}
			return append(tablehead.Texts(p.From, p.To, p.Degree), decidedBy, tablehead.Text(disagreed))
		})))
}

// CertificatesTable is the case's certificates, each linking to its page;
// the diagnosis column only for a reader who may see diagnoses.
func (d caseData) CertificatesTable(lang string) (template.HTML, error) {
	cols := []tablehead.Column{tablehead.RowHead("case.cert.col.signed")}
	if d.ShowDiagnoses {
		cols = append(cols, tablehead.Column{Heading: "case.cert.col.diagnosis"})
	}
	cols = append(cols, tablehead.Date("case.cert.col.period"), tablehead.Column{Heading: "case.cert.col.unit"}, tablehead.Num("case.cert.col.score"))
	table := caseTable(lang, "case.s.certificates", cols, tablehead.Rows(d.Certificates, func(c certificateRow) []tablehead.Cell {
		cells := []tablehead.Cell{tablehead.Link(c.Signed, "/certificates/"+strconv.FormatInt(c.ID, 10))}
		if d.ShowDiagnoses {
			cells = append(cells, tablehead.Text(c.Diagnosis))
		}
		return append(cells, tablehead.Texts(c.Period, c.Unit, strconv.Itoa(c.Score))...)
	}))
	table.Class = "finsam-certs"
	return tablehead.Draw(table)
}

// DecisionsTable is the decisions taken in the case.
func (d caseData) DecisionsTable(lang string) (template.HTML, error) {
	return tablehead.Draw(caseTable(lang, "case.s.decisions",
		[]tablehead.Column{tablehead.Date("case.field.decided_on"), {Heading: "case.field.outcome"}, {Heading: "case.field.paragraph"},
			{Heading: "case.field.justification"}, {Heading: "case.by"}},
		tablehead.Rows(d.Decisions, func(x decisionView) []tablehead.Cell {
			return tablehead.Texts(x.DecidedOn, x.Outcome, x.Paragraph, x.Justification, x.Author+", "+x.Created)
		})))
}
