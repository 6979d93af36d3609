package cases

// The worklist table's rows, written in Go: a page of fifty rows is the
// only repeated part of worklist.html, and html/template calls its
// escapers through reflection once per cell (about 1,500 calls and half
// of a page's allocations). The rows are the same markup, escaped the way
// html/template escapes text and quoted attributes; the rest of the page
// stays a template. See docs/adr/0036-worklist-rows-written-in-go.md.

import (
	"html/template"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/finsam/finsam/web/internal/site"
)

// htmlEscaper escapes text and quoted attribute values as html/template's
// escapers do (its htmlReplacementTable), so that rows written here are
// the bytes the template wrote.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;",
	"<", "&lt;", ">", "&gt;")

// rowWriter writes a worklist's rows into one buffer, reused from page to
// page (rowBuffers) so that a page allocates only the finished text.
type rowWriter struct{ b []byte }

var rowBuffers = sync.Pool{New: func() any { return &rowWriter{b: make([]byte, 0, 64<<10)} }}

func (w *rowWriter) raw(s string) { w.b = append(w.b, s...) }

// Write and WriteString let htmlEscaper write into the buffer without
// copying its pieces.
func (w *rowWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

func (w *rowWriter) WriteString(s string) (int, error) { w.b = append(w.b, s...); return len(s), nil }

// text writes s escaped, for text and for attribute values in quotes.
func (w *rowWriter) text(s string) { _, _ = htmlEscaper.WriteString(w, s) }

func (w *rowWriter) int(n int64) { w.b = strconv.AppendInt(w.b, n, 10) }

// worklistRowsHTML writes the rows of a worklist's table: the due groups'
// headings (when grouped) and a row per case, with the manager's pick
// column and assignee column when manager. groupName is a group's
// heading; columns is how many columns a heading spans.
//
// The text returned is the pooled buffer it was written in, not a copy
// (a copy was a quarter of what a page allocated): it is valid until
// release is called, which gives the buffer to the next page. The caller
// renders the page, then releases
// (docs/adr/0039-worklist-rows-text-shares-its-buffer.md).
func worklistRowsHTML(rows []worklistRow, grouped, manager bool, columns int, groupName func(string) string) (text template.HTML, release func()) {
	w := rowBuffers.Get().(*rowWriter)
	release = func() { w.b = w.b[:0]; rowBuffers.Put(w) }
	group := ""
	for i := range rows {
		r := &rows[i]
		if grouped && r.Group != group {
			group = r.Group
			w.raw(`<tr class="table__row finsam-wl-group"><td colspan="`)
			w.int(int64(columns))
			w.raw(`" class="table__column"><strong>`)
			w.text(groupName(r.Group))
			w.raw("</strong></td></tr>\n  ")
		}
		w.raw("<tr class=\"table__row\">\n    ")
		if manager {
			w.raw(`<td class="table__column"><input type="checkbox" class="finsam-wl-check" name="case" value="`)
			w.int(r.ID)
			w.raw(".")
			w.int(int64(r.Version))
			w.raw(`" id="pick-`)
			w.int(r.ID)
			w.raw(`"><label class="finsam-sr-only" for="pick-`)
			w.int(r.ID)
			w.raw(`">`)
			w.text(r.Label)
			w.raw("</label></td>")
		}
		w.raw("\n    <th scope=\"row\" class=\"table__column\"><a class=\"anchor finsam-wl-clip\" href=\"")
		// Href is "/arenden/" and the case's id: nothing a URL filter
		// would change.
		w.text(r.Href)
		w.raw(`">`)
		w.text(r.Person.Name)
		w.raw(`</a> <span class="finsam-wl-sub">`)
		w.text(r.Label)
		w.raw("</span></th>\n    <td class=\"table__column table__column--numeric\">")
		w.text(r.ChainDay)
		if r.EvalNote != "" {
			w.raw(`<span class="finsam-wl-asof" title="`)
			w.text(r.EvalNote)
			w.raw(`"><span aria-hidden="true">*</span><span class="finsam-sr-only"> (`)
			w.text(r.EvalNote)
			w.raw(")</span></span>")
		}
		w.raw("</td>\n    <td class=\"table__column\">")
		w.text(r.Phase)
		w.raw("</td>\n    <td class=\"table__column\"><span class=\"finsam-wl-clip\" title=\"")
		w.text(r.Deadline)
		w.raw(`">`)
		w.text(r.Deadline)
		w.raw("</span></td>\n    <td class=\"table__column\">")
		switch {
		case r.DeadlineDue == "":
			w.raw("–")
		case r.Overdue:
			w.text(r.DeadlineDue)
			w.raw(` <span class="badge badge--error finsam-wl-days">`)
			w.text(r.DeadlineDays)
			w.raw("</span>")
		default:
			w.text(r.DeadlineDue)
			w.raw(` <span class="finsam-wl-days">`)
			w.text(r.DeadlineDays)
			w.raw("</span>")
		}
		w.raw("</td>\n    <td class=\"table__column table__column--numeric\">")
		w.text(r.Degree)
		w.raw("</td>\n    <td class=\"table__column\">")
		for _, x := range r.Warnings {
			w.raw(`<span class="finsam-wl-sig finsam-wl-sig--`)
			w.text(x.Kind)
			w.raw(`" title="`)
			w.text(x.Label)
			w.raw(`"><span aria-hidden="true">`)
			w.text(x.Glyph)
			w.raw(`</span><span class="finsam-sr-only">`)
			w.text(x.Label)
			w.raw("</span></span>")
		}
		if len(r.Warnings) == 0 {
			w.raw("–")
		}
		w.raw("</td>\n    ")
		if manager {
			w.raw(`<td class="table__column"><span class="finsam-wl-clip"`)
			if r.Assignee != "" {
				w.raw(` title="`)
				w.text(r.Assignee)
				w.raw(`"`)
			}
			w.raw(">")
			if r.Assignee != "" {
				w.text(r.Assignee)
			} else {
				w.raw("–")
			}
			w.raw("</span></td>")
		}
		w.raw("\n  </tr>")
	}
	if len(w.b) == 0 {
		return "", release
	}
	// Every value is escaped above. The string shares w.b's bytes, which
	// nothing writes before release.
	return template.HTML(unsafe.String(&w.b[0], len(w.b))), release
}

// officeCaseWorkersHTML writes the office page's two lists of its case
// workers, a row of the load table and an option of the bulk assignment's
// case worker each (fifty of each in an office of fifty: through the
// template, a third of the office page's allocations), escaped as the
// template escaped them.
func officeCaseWorkersHTML(choices []site.Choice, load []caseWorkerLoad) (options, loadRows template.HTML) {
	w := rowBuffers.Get().(*rowWriter)
	defer func() { w.b = w.b[:0]; rowBuffers.Put(w) }()
	for _, c := range choices {
		w.raw(`<option value="`)
		w.text(c.Value)
		w.raw(`">`)
		w.text(c.Label)
		w.raw("</option>")
	}
	options = template.HTML(w.b) // #nosec: every value is escaped above
	w.b = w.b[:0]
	for _, l := range load {
		w.raw(`<tr class="table__row"><th scope="row" class="table__column">`)
		w.text(l.Name)
		w.raw(`</th><td class="table__column table__column--numeric">`)
		w.text(l.Open)
		w.raw("</td></tr>")
	}
	loadRows = template.HTML(w.b) // #nosec: every value is escaped above
	return options, loadRows
}
