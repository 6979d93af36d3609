// Package account is the signed-in user's own account page: who they are,
// their roles and office, their sessions; changing the password and
// signing out everywhere.
package account

import (
	"embed"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, site.Core)

// Messages are the account page's words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Handlers serve the account's routes; the web package registers them.
type Handlers struct{ *site.Site }

// New is the account's handlers on s, with its page added to s.
func New(s *site.Site) (*Handlers, error) {
	return site.Mount(feature, s, site.Pages{}, &Handlers{s})
}
