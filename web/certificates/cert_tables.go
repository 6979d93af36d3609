package certificates

import (
	"html/template"
	"strconv"

	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/tablehead"
)

// The lists of certificates, given as data: certificates.html draws the
// inbox with {{.InboxTable $.Lang}} and certificate.html the person's
// other certificates with {{.OthersTable $.Lang}}. Both have the same
// columns after the first ones, the diagnosis only for a reader who may
// see diagnoses.

// certTable is a list of certificates in lang, its caption (a message id)
// followed by how many rows it has. first are the columns before the
// common ones, by message id; cells makes a row's cells before the
// common ones, and findings its findings cell.
func certTable(lang, caption string, rows []certview.Row, diagnoses bool, first []tablehead.Column,
	cells func(certview.Row) []tablehead.Cell, findings func(certview.Row) tablehead.Cell) tablehead.Table {
	cols := first
	if diagnoses {
		cols = append(cols, tablehead.Column{Heading: "cert.col.diagnosis"})
	}
	cols = append(cols, tablehead.Date("cert.col.period"), tablehead.Column{Heading: "cert.col.unit"}, tablehead.Num("cert.col.score"), tablehead.Num("cert.col.findings"))
	return tablehead.Table{Class: "finsam-certs", Caption: tablehead.Counted(translate(lang, caption), len(rows)),
		Label: translate(lang, "cert.table.scroll"), Columns: tablehead.Headings(translate, lang, cols...),
		Rows: tablehead.Rows(rows, func(r certview.Row) []tablehead.Cell {
			row := cells(r)
			if diagnoses {
				row = append(row, tablehead.Text(r.Diagnosis))
			}
			return append(row, tablehead.Text(r.Period), tablehead.Text(r.Unit), tablehead.Text(strconv.Itoa(r.Score)), findings(r))
		})}
}

// certLink is a certificate's link to its page, showing text.
func certLink(text string, r certview.Row) tablehead.Cell {
	return tablehead.Link(text, "/certificates/"+strconv.FormatInt(r.ID, 10))
}

// InboxTable is the office's inbox: when each certificate came, whose it
// is (the link to it) and how many findings it has, tagged.
func (d inboxData) InboxTable(lang string) (template.HTML, error) {
	return tablehead.Draw(certTable(lang, "cert.inbox.caption", d.Rows, d.ShowDiagnoses,
		[]tablehead.Column{tablehead.Date("cert.col.received"), tablehead.RowHead("cert.col.person")},
		func(r certview.Row) []tablehead.Cell {
			return []tablehead.Cell{tablehead.Text(r.Received), certLink(r.Person, r)}
		},
		func(r certview.Row) tablehead.Cell {
			if r.Findings == 0 {
				return tablehead.Text("0")
			}
			return tablehead.Cell{Tag: &tablehead.Tag{Text: strconv.Itoa(r.Findings), Class: "badge--warning"}}
		}))
}

// OthersTable is the person's certificates, the one shown tagged and the
// others linking to their pages.
func (d certificateData) OthersTable(lang string) (template.HTML, error) {
	return tablehead.Draw(certTable(lang, "cert.others.caption", d.Others, d.ShowDiagnoses,
		[]tablehead.Column{tablehead.RowHead("cert.col.signed")},
		func(r certview.Row) []tablehead.Cell {
			if r.Current {
				return []tablehead.Cell{tablehead.Tagged(r.Signed, translate(lang, "cert.others.this"), "badge--default")}
			}
			return []tablehead.Cell{certLink(r.Signed, r)}
		},
		func(r certview.Row) tablehead.Cell { return tablehead.Text(strconv.Itoa(r.Findings)) }))
}
