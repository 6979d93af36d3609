// Package svg writes the SVG pictures finsam draws by hand (the timelines
// of the calculator and the case page, the charts of the quality board and
// the yearly report), to embed in an HTML page.
package svg

import (
	"html/template"
	"strconv"
	"strings"
)

// Writer writes SVG markup. Every attribute value and text is escaped. The
// Content-Security-Policy forbids inline styles, so colours are
// presentation attributes (fill=, stroke=), which the policy does not
// touch.
type Writer struct{ b strings.Builder }

// Open writes a start tag; attrs are name, value pairs.
func (w *Writer) Open(tag string, attrs ...string) {
	w.b.WriteString("<" + tag)
	w.attrs(attrs)
	w.b.WriteString(">")
}

// Elem writes an empty element.
func (w *Writer) Elem(tag string, attrs ...string) {
	w.b.WriteString("<" + tag)
	w.attrs(attrs)
	w.b.WriteString("/>")
}

// Close writes an end tag.
func (w *Writer) Close(tag string) { w.b.WriteString("</" + tag + ">") }

// Text writes a text element with escaped content.
func (w *Writer) Text(s string, attrs ...string) {
	w.Open("text", attrs...)
	w.Escaped(s)
	w.Close("text")
}

// Escaped writes s as escaped character data (a title's, a desc's).
func (w *Writer) Escaped(s string) { w.b.WriteString(template.HTMLEscapeString(s)) }

func (w *Writer) attrs(attrs []string) {
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteString(" " + attrs[i] + `="` + template.HTMLEscapeString(attrs[i+1]) + `"`)
	}
}

// HTML is the markup written so far. It is safe to embed: everything that
// came from outside was escaped on the way in.
func (w *Writer) HTML() template.HTML { return template.HTML(w.b.String()) }

// Num formats a coordinate with at most one decimal.
func Num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
