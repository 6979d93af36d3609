// Package forbund is the coordination associations' part of finsam (Finsam
// law, samordningsförbund): pages under /forbund/{slug}/ and the API under
// /api/v1/associations/{slug}/, where {slug} is the association's
// organisation slug. Three parts, each in its own files:
//   - finance (finance*.go): the association, members, statutes settings,
//     board and preparatory group, contributions and their split, budget
//     and outcome, equity, the state's allocation model;
//   - insatser and participants (insatser*.go), the participants grouped
//     by status, ongoing first (insatser_groups.go);
//   - reports and exports (reports*.go).
//
// The start page shows the key figures its reader may see
// (finance_figures.go), and every page the association's tabs
// (web/internal/assoctabs).
//
// Every handler starts with load, which finds the association, looks up
// how the actor stands to it and asks the policy. Field problems are
// site.Problems, the one form model of pages and API; the domain's own
// explanations (association.Error) become their details.
package forbund

import (
	"context"
	"embed"
	"html/template"
	"io/fs"

	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/tablehead"
	"github.com/finsam/finsam/web/internal/tmplfunc"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, participant.Messages, site.Core)

// Messages are the associations' words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// partials are the files whose templates a page includes.
var partials = func() map[string][]string {
	p := map[string][]string{}
	for _, page := range []string{"assoc_fin_list.html", "assoc_fin_overview.html", "assoc_fin_settings.html", "assoc_fin_board.html",
		"assoc_fin_finance.html", "assoc_fin_budget.html", "assoc_fin_allocation.html"} {
		p[page] = append(p[page], "assoc_fin_parts.html")
	}
	for _, page := range []string{"assoc_ins_form", "assoc_ins_show", "assoc_ins_participant_new", "assoc_ins_participant", "assoc_ins_list", "assoc_ins_codes",
		"assoc_ins_participants"} {
		p[page+".html"] = append(p[page+".html"], "case_fields.html", "participant_fields.html", "assoc_ins_fields.html")
	}
	for _, page := range []string{"assoc_ins_show", "assoc_ins_participants"} {
		p[page+".html"] = append(p[page+".html"], "assoc_ins_groups.html")
	}
	// Every page shows the association's tabs, and its tables' heads are
	// table-head's.
	for _, page := range []string{"assoc_fin_list", "assoc_fin_overview", "assoc_fin_settings", "assoc_fin_board", "assoc_fin_finance",
		"assoc_fin_budget", "assoc_fin_allocation", "assoc_ins_form", "assoc_ins_show", "assoc_ins_participant_new", "assoc_ins_participant",
		"assoc_ins_list", "assoc_ins_codes", "assoc_ins_participants", "assoc_rep_report"} {
		p[page+".html"] = append(p[page+".html"], assoctabs.Partial, tablehead.Partial)
	}
	return p
}()

// Handlers serve the associations' routes; the web package registers
// them.
type Handlers struct {
	*site.Site
	// printer prints the yearly report's PDF download as a tagged PDF;
	// nil: fpdf writes it, untagged (docs/adr/0032-tagged-yearly-report.md).
	printer Printer
}

// Printer prints a whole HTML document as a tagged PDF with its title and
// language in the metadata (chromeprint.Printer).
type Printer interface {
	Print(ctx context.Context, html []byte, title, lang string) ([]byte, error)
}

// New is the associations' handlers on s, with their pages added to s.
// printer may be nil.
func New(s *site.Site, printer Printer) (*Handlers, error) {
	pages := site.Pages{Partials: partials, Shared: []fs.FS{form.Templates, participant.Templates, assoctabs.Templates, tablehead.Templates},
		Funcs: tablehead.Funcs(template.FuncMap{"dict": tmplfunc.Dict})}
	return site.Mount(feature, s, pages, &Handlers{Site: s, printer: printer})
}
