// Package quality is the certificate quality board (/quality): how the
// certificates of each care provider and care unit fare, month by month,
// as charts each followed by a table of its numbers, and the same numbers
// per month and unit as CSV and XLSX.
package quality

import (
	"embed"
	"html/template"

	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/tmplfunc"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the quality board's words.
var Messages = site.MustCatalogue(messageFS)

var messages = site.MustMerge(Messages, certview.Messages, site.Core)

func translate(lang, id string) string { return messages.T(lang, id) }

// Handlers serve the quality board's routes; the web package registers
// them.
type Handlers struct{ *site.Site }

// New is the quality board's handlers on s, with its page added to s.
func New(s *site.Site) (*Handlers, error) {
	if err := s.AddPages(site.Pages{FS: templateFS, Dir: "templates", Funcs: template.FuncMap{"dict": tmplfunc.Dict}}); err != nil {
		return nil, err
	}
	return &Handlers{s}, nil
}
