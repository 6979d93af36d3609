// Package tablehead draws the head row of a table from its columns: the
// partial "table-head", whose dot is the columns
// ({{template "table-head" (cols ($.T "a.col") (num ($.T "b.col")))}}),
// and the template functions that make them. A numeric column is
// right-aligned.
//
// A head whose columns depend on the reader (a column only staff see)
// stays written out in its page, unless the whole table is given as data:
// Draw draws a Table (frame, caption, head and rows) from columns and
// cells a feature builds in Go.
package tablehead

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates hold the "table-head" template, for site.Pages.Shared; its
// file is Partial.
var Templates fs.FS = templateFS

// Partial is the file of the "table-head" template.
const Partial = "table_head.html"

// Column is one column of a table: its heading and whether it holds
// numbers (right-aligned). For a Table drawn whole, also whether its cells
// never wrap (dates and periods) and whether each of its cells heads its
// row (th scope="row").
type Column struct {
	Heading   string
	Numeric   bool
	NoWrap    bool
	RowHeader bool
}

// Num is a numeric column.
func Num(heading string) Column { return Column{Heading: heading, Numeric: true} }

// Date is a column of dates or periods, whose cells never wrap.
func Date(heading string) Column { return Column{Heading: heading, NoWrap: true} }

// RowHead is a column whose cells head their rows.
func RowHead(heading string) Column { return Column{Heading: heading, RowHeader: true} }

// Cols are a table's columns in order: a string is a column of text by its
// heading, a Column (num) is taken as it is.
func Cols(cols ...any) ([]Column, error) {
	out := make([]Column, len(cols))
	for i, c := range cols {
		switch c := c.(type) {
		case string:
			out[i] = Column{Heading: c}
		case Column:
			out[i] = c
		default:
			return nil, fmt.Errorf("cols: column %d is a %T, not a heading or num", i, c)
		}
	}
	return out, nil
}

// Funcs are the template functions "cols" (Cols) and "num" (Num), for
// site.Pages.Funcs; funcs, when given, are added to.
func Funcs(funcs template.FuncMap) template.FuncMap {
	if funcs == nil {
		funcs = template.FuncMap{}
	}
	funcs["cols"], funcs["num"] = Cols, Num
	return funcs
}
