// Package tablehead draws the head row of a table from its columns: the
// partial "table-head", whose dot is the columns
// ({{template "table-head" (cols ($.T "a.col") (num ($.T "b.col")))}}),
// and the template functions that make them. A numeric column is
// right-aligned.
//
// A head whose columns depend on the reader (a column only staff see)
// stays written out in its page.
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

// Column is one column of a table's head: its heading and whether it holds
// numbers.
type Column struct {
	Heading string
	Numeric bool
}

// Num is a numeric column.
func Num(heading string) Column { return Column{Heading: heading, Numeric: true} }

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
