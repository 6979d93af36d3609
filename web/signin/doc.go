// Package signin is signing in and out: the sign-in page with its
// throttling of failed attempts, signing out, and single sign-on through an
// organisation's own OpenID Connect identity provider. Who is signed in on
// each request is the guard's to find out (package web); this package only
// starts and ends sessions.
package signin

import (
	"embed"
	"strings"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html messages/*.json
var files embed.FS

// feature is the package's pages and words, and the words it builds on.
var feature = site.NewFeature(files, site.Core)

// Messages are the sign-in page's words.
var Messages = feature.Messages

func translate(lang, id string) string { return feature.T(lang, id) }

// Config is what signing in needs beyond the site.
type Config struct {
	// Demo lists the demo users on the sign-in page.
	Demo bool
	// PublicURL is the site's address as browsers see it, for single
	// sign-on redirects; "" takes it from each request.
	PublicURL string
}

// Handlers serve the sign-in routes; the web package registers them.
type Handlers struct {
	*site.Site
	demo      bool
	publicURL string
	oidc      oidcClients
}

// New is the sign-in handlers on s, with their page added to s.
func New(s *site.Site, cfg Config) (*Handlers, error) {
	return site.Mount(feature, s, site.Pages{}, &Handlers{Site: s, demo: cfg.Demo, publicURL: strings.TrimRight(cfg.PublicURL, "/")})
}
