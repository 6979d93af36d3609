package tablehead

import (
	"html/template"
	"strconv"
	"strings"
)

// Table is a whole table given as data, drawn by Draw the same way on
// every page: a scrolling frame named for screen readers, the caption, the
// head row of Columns and one row a Rows entry, each row's cells in the
// order of the columns.
type Table struct {
	// ID and Class are the table element's id and its classes beside
	// "table"; either may be empty.
	ID, Class string
	// Caption names the table; HiddenCaption shows it to screen readers
	// only.
	Caption       string
	HiddenCaption bool
	// Label is the accessible name of the scrolling frame; the caption
	// when empty. FrameClass is the frame's class, "finsam-table-frame"
	// when empty.
	Label, FrameClass string
	Columns           []Column
	Rows              [][]Cell
}

// Cell is one cell of a Table: its text, a link to Href when that is set
// or code (an identifier, in <code>) when Code is, and a status tag after
// the text when Tag is set. ID, when set, is the cell element's id (a
// figure a test or a link points at).
type Cell struct {
	Text, Href string
	Code       bool
	Tag        *Tag
	ID         string
}

// Tag is a status tag (a badge) in a cell: its text and its FKUI badge
// class ("badge--warning").
type Tag struct {
	Text, Class string
}

// Text is a cell of text.
func Text(s string) Cell { return Cell{Text: s} }

// Link is a cell of text linking to href.
func Link(s, href string) Cell { return Cell{Text: s, Href: href} }

// Code is a cell of an identifier, shown as code.
func Code(s string) Cell { return Cell{Text: s, Code: true} }

// Tagged is a cell of text followed by a status tag of class.
func Tagged(s, tag, class string) Cell { return Cell{Text: s, Tag: &Tag{Text: tag, Class: class}} }

// Texts are cells of text, one a string.
func Texts(ss ...string) []Cell {
	cells := make([]Cell, len(ss))
	for i, s := range ss {
		cells[i] = Text(s)
	}
	return cells
}

// tableTemplate draws a Table: "data-table", with the "table-head" it
// builds on.
var tableTemplate = template.Must(template.New("table").ParseFS(templateFS, "templates/"+Partial, "templates/table.html"))

// Draw is t as HTML. A template draws it with {{.SomeTable $.Lang}}, a
// method of its data that builds the Table in the page's language and
// returns Draw's answer.
func Draw(t Table) (template.HTML, error) {
	var b strings.Builder
	if err := tableTemplate.ExecuteTemplate(&b, "data-table", t); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// Rows are a Table's rows, one an item, each item's cells made by cells.
func Rows[T any](items []T, cells func(T) []Cell) [][]Cell {
	rows := make([][]Cell, len(items))
	for i, it := range items {
		rows[i] = cells(it)
	}
	return rows
}

// Headings are cols with each heading, a message id, put into lang's words
// by translate (a feature's translate function).
func Headings(translate func(lang, id string) string, lang string, cols ...Column) []Column {
	for i := range cols {
		cols[i].Heading = translate(lang, cols[i].Heading)
	}
	return cols
}

// Counted is a caption followed by how many rows its table has:
// "Läkarintyg (12)".
func Counted(caption string, rows int) string { return caption + " (" + strconv.Itoa(rows) + ")" }
