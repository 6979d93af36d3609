// Package dashboards is Försäkringskassan's managers' steering by customer
// group (/dashboards): the caseload of a period, customer group, office
// and case worker as figures, charts and tables — open cases and the flow
// in and out per week, cases by chain phase and past day 90, 180, 365 and
// 550, durations by diagnosis chapter, sex and age group, overdue
// deadlines and early warnings per office and case worker, the share of
// return-to-work plans by day 30 and assessments before day 91 and 181,
// and supplement requests. Every figure links to the list of the cases it
// counts (/dashboards/lista), which the store selects with the same
// predicate (store.CaseloadList), and the same figures are JSON under
// /api/v1/dashboards/caseload.
//
// Only FK's managers use it (policy.ReadCaseloadFigures): a director
// without an office sees every office, an office's manager their own. The
// figures hold no personal data; the lists show no names, but each case
// listed is audited as a read. How the figures are computed and cached is
// docs/adr/0025-caseload-figures.md.
package dashboards

import (
	"embed"
	"html/template"
	"io/fs"

	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/spreadsheet"
	"github.com/finsam/finsam/web/internal/tablehead"
	"github.com/finsam/finsam/web/internal/tmplfunc"
)

//go:embed templates/*.html templates/partials/*.html
var templateFS embed.FS

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the dashboards' words.
var Messages = site.MustCatalogue(messageFS)

var messages = site.MustMerge(Messages, site.Core)

func translate(lang, id string) string { return messages.T(lang, id) }

// Handlers serve the dashboards' routes; the web package registers them.
type Handlers struct {
	*site.Site
	cache *summaryCache
	runs  *whatifRuns
}

// New is the dashboards' handlers on s, with their pages added to s.
func New(s *site.Site) (*Handlers, error) {
	funcs := tablehead.Funcs(template.FuncMap{"dict": tmplfunc.Dict, "decimal": spreadsheet.Decimal, "last": func(cs []Count) Count { return cs[len(cs)-1] }})
	partials := []string{"partials/form.html", tablehead.Partial}
	if err := s.AddPages(site.Pages{FS: templateFS, Dir: "templates", Funcs: funcs, Shared: []fs.FS{tablehead.Templates},
		Partials: map[string][]string{"dashboards.html": partials, "dashboards_whatif.html": partials}}); err != nil {
		return nil, err
	}
	return &Handlers{Site: s, cache: newSummaryCache(summaryTTL, summaryStale, summaryEntries), runs: newWhatifRuns()}, nil
}
