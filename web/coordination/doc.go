// Package coordination is coordination across the agencies
// (Försäkringskassan, Arbetsförmedlingen, the region, the municipality) on
// the web: the person's consents (/arenden/{id}/samordning and on the
// coordination), a case's coordination with the organisations invited
// (/samordning/{id}): meetings, the one plan, each organisation's notes,
// and what the consents let each see of the case; every coordinator's
// list, Mina samordningsärenden (/samordning); and the same as JSON under
// /api/v1/coordinations.
//
// Access is package policy's: a coordination belongs to the organisation
// that leads it (FK for a case), and another organisation sees a part of
// it only when it is invited and the person's consent covers that part for
// it, on the day asked (policy.Decide, which names the consent). Every read
// of personal data is audited with the consent it went through, and so is
// every refusal. Each organisation writes only its own part: its actions,
// its notes, the meetings it convenes. ADR 20 explains the model.
package coordination

import (
	"embed"
	"html/template"

	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/tmplfunc"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, site.Core)

// Messages are the coordination pages' words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Handlers serve the coordination routes; the web package registers them.
type Handlers struct{ *site.Site }

// New is the coordination handlers on s, with their pages added to s.
func New(s *site.Site) (*Handlers, error) {
	pages := site.Pages{
		Partials: map[string][]string{
			"coordination.html":       {"coord_parts.html"},
			"coordination_case.html":  {"coord_parts.html"},
			"coordination_list.html":  {"coord_parts.html"},
			"coordination_units.html": {"coord_parts.html"},
		},
		Funcs: template.FuncMap{"list": tmplfunc.List}}
	return site.Mount(feature, s, pages, &Handlers{s})
}
