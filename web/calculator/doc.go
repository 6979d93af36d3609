// Package calculator is the rules engine's face: the public calculator
// page (/rakna), the rules API (/api/v1/rules/evaluate), the public page of
// the legislation parameters and the administration of the values and
// scenarios added after the release, as pages and as JSON.
package calculator

import (
	"embed"
	"io/fs"

	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/tablehead"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words; its code translates with its
// own words and those of the shared rules view.
var feature = site.NewFeature(files, rulesview.Messages)

// Messages are the calculator's and the parameter pages' own words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Handlers serve the calculator's routes; the web package registers them.
type Handlers struct{ *site.Site }

// New is the calculator's handlers on s, with its pages added to s.
func New(s *site.Site) (*Handlers, error) {
	pages := site.Pages{
		Partials: map[string][]string{"calculator.html": {"rules_trace.html", "case_fields.html"}, "admin_rules.html": {"case_fields.html", tablehead.Partial},
			"rules_params.html": {tablehead.Partial}},
		Shared: []fs.FS{rulesview.Templates, form.Templates, tablehead.Templates},
		Funcs:  tablehead.Funcs(nil)}
	return site.Mount(feature, s, pages, &Handlers{s})
}
