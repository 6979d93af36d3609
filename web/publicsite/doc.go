// Package publicsite serves each coordination association's public
// website from the data the association keeps anyway: its public insatser
// as the activity catalogue (Aktivitetskatalogen) with their results, its
// projects, network, meetings and lectures with sign-up, its pages and
// news, search over all of it, feeds, a sitemap, the accessibility
// statement and the privacy page. A site is reached under /f/<slug>/ or,
// when the server is configured so, on a host name of its own (Hosts).
//
// Visitors are anonymous: the public pages set no cookies, depend on
// nothing but the request's address, and are cacheable (ETag,
// Cache-Control). They are rendered on the server into a layout of their
// own with the association's name and menu, work without JavaScript and
// reuse the site's FKUI stylesheet. The association's staff edit the site
// under /forbund/<slug>/webb in the staff layout.
package publicsite

import (
	"embed"
	"html/template"
	"io/fs"
	"sync"

	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates
var templateFS embed.FS

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the words of the public sites and their staff pages.
var Messages = site.MustCatalogue(messageFS)

// staffPartials: every staff page shows the association's tabs.
var staffPartials = map[string][]string{
	"site_entry.html": {assoctabs.Partial}, "site_event.html": {assoctabs.Partial}, "site_interests.html": {assoctabs.Partial}, "site_network.html": {assoctabs.Partial},
	"site_overview.html": {assoctabs.Partial}, "site_page.html": {assoctabs.Partial},
}

// Handlers serve the public sites and their editing.
type Handlers struct {
	*site.Site
	public map[string]*template.Template
	// limiter throttles the forms visitors send (interest, sign-up,
	// problem reports), per address.
	limiter *limiter
	// index serialises rebuilding a site's search documents.
	index sync.Mutex
	// indexed holds the fingerprint each site's search documents were
	// last seen built from (association id → string).
	indexed sync.Map
	// cache keeps public answers until the site's content changes.
	cache pageCache
	// prepare serialises preparing uploaded images: scaling a large
	// picture holds a few hundred megabytes for a few seconds.
	prepare sync.Mutex
}

// New builds the handlers on the site.
func New(s *site.Site) (*Handlers, error) {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := s.AddPages(site.Pages{FS: sub, Dir: "staff", Funcs: markdownFuncs, Partials: staffPartials, Shared: []fs.FS{assoctabs.Templates}}); err != nil {
		return nil, err
	}
	h := &Handlers{Site: s, limiter: newLimiter(10, 10*60)}
	if h.public, err = h.parsePublic(sub); err != nil {
		return nil, err
	}
	return h, nil
}
