// Package account is the signed-in user's own account page: who they are,
// their roles and office, their sessions; changing the password and
// signing out everywhere.
package account

import (
	"embed"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the account page's words.
var Messages = site.MustCatalogue(messageFS)

var messages = site.MustMerge(Messages, site.Core)

func translate(lang, id string) string { return messages.T(lang, id) }

// Handlers serve the account's routes; the web package registers them.
type Handlers struct{ *site.Site }

// New is the account's handlers on s, with its page added to s.
func New(s *site.Site) (*Handlers, error) {
	if err := s.AddPages(site.Pages{FS: templateFS, Dir: "templates"}); err != nil {
		return nil, err
	}
	return &Handlers{s}, nil
}
