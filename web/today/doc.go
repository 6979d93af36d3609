// Package today is the signed-in user's start view ("Idag", at /): what
// needs their attention today, per role, as counts that link to the
// filtered worklist or page where the work is done. Visitors who are not
// signed in get the public presentation page instead (package web).
//
// The view shows counts and the names of colleagues, never a person's
// name, personnummer or case, so reading it is not audited; the pages it
// links to audit their own reads.
package today

import (
	"embed"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, site.Core)

// Messages are the start view's words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Handlers serve the start view; the web package registers it.
type Handlers struct{ *site.Site }

// New is the start view's handlers on s, with its page added to s.
func New(s *site.Site) (*Handlers, error) {
	return site.Mount(feature, s, site.Pages{}, &Handlers{s})
}
