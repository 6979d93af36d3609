package tablehead_test

import (
	"strings"
	"testing"

	"github.com/finsam/finsam/web/internal/tablehead"
)

// TestDraw draws a table given as data: the frame named by its caption,
// the caption for screen readers only, the head, and every kind of cell
// (a row header with a link, a date, a number, a tag alone, a tag after
// text and a cell with an id), each text escaped.
func TestDraw(t *testing.T) {
	html, err := tablehead.Draw(tablehead.Table{ID: "t1", Class: "finsam-certs", Caption: "Intyg <alla>", HiddenCaption: true,
		Columns: []tablehead.Column{tablehead.RowHead("Signerat"), tablehead.Date("Period"), tablehead.Num("Poäng"), {Heading: "Brister"}},
		Rows: [][]tablehead.Cell{
			{tablehead.Link("2026-11-01", "/certificates/7"), tablehead.Text("2026-11-01 – 2026-11-30"), tablehead.Text("90"), {Tag: &tablehead.Tag{Text: "2", Class: "badge--warning"}}},
			{tablehead.Tagged("2026-10-01", "Detta", "badge--default"), tablehead.Text("–"), tablehead.Text("80"), {Text: "0", ID: "sum"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	got := string(html)
	for _, want := range []string{
		`<div class="finsam-table-frame" tabindex="0" role="region" aria-label="Intyg &lt;alla&gt;">`,
		`<table class="table finsam-certs" id="t1">`,
		`<caption class="finsam-sr-only">Intyg &lt;alla&gt;</caption>`,
		`<th scope="col" class="table__column table__column--numeric">Poäng</th>`,
		`<th scope="row" class="table__column"><a class="anchor" href="/certificates/7">2026-11-01</a></th>`,
		`<td class="table__column finsam-nowrap">2026-11-01 – 2026-11-30</td>`,
		`<td class="table__column table__column--numeric">90</td>`,
		`<td class="table__column"><span class="badge badge--warning">2</span></td>`,
		`<th scope="row" class="table__column">2026-10-01 <span class="badge badge--default">Detta</span></th>`,
		`<td class="table__column" id="sum">0</td>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the table lacks %s:\n%s", want, got)
		}
	}
	if n := strings.Count(got, `<tr class="table__row">`); n != 3 {
		t.Errorf("%d rows with the head, want 3:\n%s", n, got)
	}
}

// TestDrawVisibleCaptionAndLabel: a caption shown to all, a frame named
// apart from it and of another class, and a cell of code.
func TestDrawVisibleCaptionAndLabel(t *testing.T) {
	html, err := tablehead.Draw(tablehead.Table{Caption: "Intyg (2)", Label: "Tabellen rullar i sidled", FrameClass: "finsam-table-scroll",
		Columns: []tablehead.Column{{Heading: "A"}}, Rows: [][]tablehead.Cell{{tablehead.Code("fk")}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<div class="finsam-table-scroll" tabindex="0" role="region" aria-label="Tabellen rullar i sidled">`,
		`<table class="table">`, `<caption>Intyg (2)</caption>`, `<td class="table__column"><code>fk</code></td>`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the table lacks %s:\n%s", want, html)
		}
	}
}
