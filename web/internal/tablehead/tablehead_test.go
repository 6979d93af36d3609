package tablehead_test

import (
	"html/template"
	"strings"
	"testing"

	"github.com/finsam/finsam/web/internal/tablehead"
)

// TestTableHead draws a head of a text and a numeric column, each heading
// escaped, the numeric one right-aligned, in the order given.
func TestTableHead(t *testing.T) {
	tmpl := template.Must(template.New("t").Funcs(tablehead.Funcs(nil)).ParseFS(tablehead.Templates, "templates/"+tablehead.Partial))
	template.Must(tmpl.New("page").Parse(`{{template "table-head" (cols "<Namn>" (num "Summa"))}}`))
	var b strings.Builder
	if err := tmpl.ExecuteTemplate(&b, "page", nil); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		`<thead class="table__head"><tr class="table__row">`,
		`<th scope="col" class="table__column">&lt;Namn&gt;</th>`,
		`<th scope="col" class="table__column table__column--numeric">Summa</th>`,
		`</tr></thead>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the head lacks %s:\n%s", want, got)
		}
	}
	if strings.Index(got, "Namn") > strings.Index(got, "Summa") {
		t.Errorf("the columns are out of order:\n%s", got)
	}
}

// TestColsRefusesOtherValues: a column is a heading or num's Column.
func TestColsRefusesOtherValues(t *testing.T) {
	cols, err := tablehead.Cols("a", tablehead.Num("b"))
	if err != nil || len(cols) != 2 || cols[0] != (tablehead.Column{Heading: "a"}) || cols[1] != (tablehead.Column{Heading: "b", Numeric: true}) {
		t.Errorf("Cols(a, num b) = %v, %v", cols, err)
	}
	if _, err := tablehead.Cols("a", 3); err == nil {
		t.Error("Cols accepted a number as a column")
	}
}
