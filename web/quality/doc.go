// Package quality is the certificate quality board (/quality): how the
// certificates of each care provider and care unit fare, month by month,
// as charts each followed by a table of its numbers, and the same numbers
// per month and unit as CSV and XLSX; and each care unit over time beside
// the year before (units.go), as small multiples and as CSV, XLSX and JSON.
package quality

import (
	"embed"
	"html/template"
	"io/fs"

	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/tablehead"
	"github.com/finsam/finsam/web/internal/tmplfunc"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, certview.Messages, site.Core)

// Messages are the quality board's words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Handlers serve the quality board's routes; the web package registers
// them.
type Handlers struct{ *site.Site }

// New is the quality board's handlers on s, with its page added to s.
func New(s *site.Site) (*Handlers, error) {
	pages := site.Pages{Funcs: tablehead.Funcs(template.FuncMap{"dict": tmplfunc.Dict}),
		Partials: map[string][]string{"quality.html": {tablehead.Partial}}, Shared: []fs.FS{tablehead.Templates}}
	return site.Mount(feature, s, pages, &Handlers{s})
}
