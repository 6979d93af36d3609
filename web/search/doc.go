// Package search is the search field of the page header (POST /sok and
// POST /api/v1/search): a person by personnummer or samordningsnummer
// (with or without century and separator), by a prefix of their given or
// family name, a case by its number or a certificate by its id.
//
// The query travels in the request body only: a personnummer never
// appears in a URL or a log, and the result links carry finsam's ids. Each
// role searches what its own pages show and nothing more:
//   - Försäkringskassan's case workers and managers the cases (and
//     certificates) of their office, every office when they have none,
//     each row asked of the policy as the case page and certview.Load ask;
//   - coordinators the coordinations their organisation takes part in,
//     each under the person's consents as Mina samordningsärenden decides;
//   - an association's staff its participants.
//
// A search that finds persons is one audit entry naming them
// (audit.Event.Persons, ADR 27) with the kind of query, never the query
// itself. Opening a case that is not one's own still goes through the
// case page's purpose step.
package search

import (
	"embed"
	"strconv"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, site.Core)

// Messages are the search's words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Handlers serve the search; the web package registers them.
type Handlers struct{ *site.Site }

// New is the search's handlers on s, with its page added to s.
func New(s *site.Site) (*Handlers, error) {
	return site.Mount(feature, s, site.Pages{}, &Handlers{s})
}
