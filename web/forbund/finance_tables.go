package forbund

import (
	"html/template"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/web/internal/tablehead"
)

// AllocationTable is the allocation model's result, drawn with
// {{.AllocationTable $.Lang}}: a row an association with its amounts by
// part of the model, and the sum of the totals last (id allocation-sum).
func (d allocationData) AllocationTable(lang string) (template.HTML, error) {
	caption := translate(lang, "assoc.fin.allocation.result")
	rows := tablehead.Rows(d.Allocations, func(x association.Allocation) []tablehead.Cell {
		return tablehead.Texts(x.Name, x.OrgNumber, x.Base.Number(), x.ByProvision.Number(), x.ByPopulation.Number(), x.Total.Number())
	})
	sum := tablehead.Texts(translate(lang, "assoc.fin.total"), "", "", "", "", d.Sum.Number())
	sum[len(sum)-1].ID = "allocation-sum"
	return tablehead.Draw(tablehead.Table{Caption: caption,
		Columns: tablehead.Headings(translate, lang, tablehead.RowHead("assoc.fin.col.association"), tablehead.Column{Heading: "assoc.fin.orgnumber"},
			tablehead.Num("assoc.fin.col.base"), tablehead.Num("assoc.fin.col.byprovision"), tablehead.Num("assoc.fin.col.bypopulation"), tablehead.Num("assoc.fin.total")),
		Rows: append(rows, sum)})
}
