package calculator

import (
	"html/template"

	"github.com/finsam/finsam/web/internal/tablehead"
)

// StoredTable is the rules parameters' stored values, given as data and
// drawn on admin_rules.html with {{.StoredTable $.Lang}}: a row a value,
// with when it applies, its source and who stored it when.
func (d adminRulesPage) StoredTable(lang string) (template.HTML, error) {
	caption := translate(lang, "param.admin.stored")
	return tablehead.Draw(tablehead.Table{Class: "finsam-audit", Caption: tablehead.Counted(caption, len(d.Stored)), Label: caption,
		Columns: tablehead.Headings(translate, lang, tablehead.RowHead("param.field.name"), tablehead.Date("param.col.from"), tablehead.Date("param.col.to"),
			tablehead.Column{Heading: "param.col.value"}, tablehead.Column{Heading: "param.col.source"}, tablehead.Column{Heading: "param.admin.by"}),
		Rows: tablehead.Rows(d.Stored, func(v storedValueRow) []tablehead.Cell {
			return tablehead.Texts(v.Label, v.From, v.To, v.Value, v.Source, v.By+", "+v.At)
		})})
}
