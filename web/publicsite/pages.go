package publicsite

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/website"
)

// page handles a public page: it finds the site and renders what fn
// decides, or the helpful 404.
func (s *Handlers) page(fn func(w http.ResponseWriter, r *http.Request, ps *pubSite) error) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ *site.Actor) error {
		var st *siteState
		if key := cacheKey(r); key != "" {
			var err error
			if st, err = s.state(r); err != nil && !errors.Is(err, store.ErrNotFound) {
				return site.Unavailable("site content", err)
			}
			if err == nil {
				if c, ok := s.cached(key, st); ok {
					writeAnswer(w, r, c)
					return nil
				}
				wait, leader := s.cache.begin(key)
				if leader {
					defer s.cache.end(key)
				} else {
					select {
					case <-wait:
					case <-r.Context().Done():
						return r.Context().Err()
					}
					if c, ok := s.cached(key, st); ok {
						writeAnswer(w, r, c)
						return nil
					}
				}
				r = withTicket(r, ticketFor(key, st))
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// A form may change what pages show (seats left): once it is
			// written, this server reads the version again.
			defer s.cache.recheck()
		}
		ps, err := s.loadSite(r, st)
		if err != nil {
			return err
		}
		err = fn(w, r, ps)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, store.ErrNotFound) || isNotFound(err):
			return s.notFound(w, r, ps)
		}
		// Other failures in the site's own layout: logged with the request
		// id, which the page shows; never the error itself.
		status := http.StatusInternalServerError
		var e *site.Error
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			status = http.StatusRequestEntityTooLarge
		case errors.As(err, &e):
			status = e.Status
		}
		if status >= 500 {
			s.Log.ErrorContext(r.Context(), "public site", "err", err)
		}
		return s.render(w, r, ps, status, "failure", ps.T("pub.failure.title"), "", failureData{Status: status, RequestID: site.RequestID(r.Context())})
	}
}

type failureData struct {
	Status    int
	RequestID string
}

func isNotFound(err error) bool {
	var e *site.Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// notFound is the 404 of a site: a search box and the way back.
func (s *Handlers) notFound(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
	return s.render(w, r, ps, http.StatusNotFound, "notfound", ps.T("pub.notfound.title"), "", nil)
}

// NotFound is GET /f/{site}/{rest...}: an address the site does not have.
func (s *Handlers) NotFound(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error { return site.NotFound() })(w, r, a)
}

type startData struct {
	Intro    string
	News     []website.Page
	Events   []website.Event
	Projects int
}

// Start is GET /f/{site}/: the association's start page.
func (s *Handlers) Start(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		ctx := r.Context()
		now := s.Now()
		news, err := store.Pages(ctx, s.Store, store.PageQuery{AssociationID: ps.Org.ID, Kind: website.KindNews, PublishedAt: &now, Limit: 3})
		if err != nil {
			return site.Unavailable("news", err)
		}
		events, err := store.Events(ctx, s.Store, ps.Org.ID, now, 3)
		if err != nil {
			return site.Unavailable("events", err)
		}
		n, err := store.CatalogueCount(ctx, s.Store, store.CatalogueQuery{AssociationID: ps.Org.ID})
		if err != nil {
			return site.Unavailable("catalogue", err)
		}
		return s.render(w, r, ps, http.StatusOK, "start", ps.Org.Name, firstLine(ps.Settings.Intro),
			startData{Intro: ps.Settings.Intro, News: news, Events: events, Projects: n})
	})(w, r, a)
}

// firstLine is a description for search engines: the start of a text,
// without Markdown's marks.
func firstLine(md string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(md), "\n")
	line = strings.Trim(line, "#*_> ")
	if r := []rune(line); len(r) > 160 {
		line = string(r[:157]) + "…"
	}
	return line
}

type pageData struct {
	Page website.Page
	Easy bool
	// Body is the text shown (the easy-to-read one on its page), with
	// the site's images.
	Body template.HTML
}

// Page is GET /f/{site}/sida/{slug}: a page the staff wrote; an old
// address of it redirects to the new.
func (s *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		return s.showPage(w, r, ps, website.KindPage, "/sida/", false)
	})(w, r, a)
}

// EasyPage is GET /f/{site}/sida/{slug}/lattlast: its easy-to-read
// version.
func (s *Handlers) EasyPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		return s.showPage(w, r, ps, website.KindPage, "/sida/", true)
	})(w, r, a)
}

// NewsItem is GET /f/{site}/nyheter/{slug}.
func (s *Handlers) NewsItem(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		return s.showPage(w, r, ps, website.KindNews, "/nyheter/", false)
	})(w, r, a)
}

func (s *Handlers) showPage(w http.ResponseWriter, r *http.Request, ps *pubSite, kind website.Kind, prefix string, easy bool) error {
	ctx := r.Context()
	slug := r.PathValue("slug")
	if !website.ValidSlug(slug) {
		return site.NotFound()
	}
	p, err := store.PageBySlug(ctx, s.Store, ps.Org.ID, kind, slug)
	if errors.Is(err, store.ErrNotFound) {
		to, err := store.SlugRedirect(ctx, s.Store, ps.Org.ID, kind, slug)
		if err != nil {
			return err
		}
		target := prefix + to
		if easy {
			target += "/lattlast"
		}
		http.Redirect(w, r, ps.URL(target), http.StatusMovedPermanently)
		return nil
	}
	if err != nil {
		return site.Unavailable("page", err)
	}
	if !p.Published(s.Now()) || easy && p.EasyBody == "" {
		return site.NotFound()
	}
	title := p.Title
	src := p.Body
	if easy {
		title += " – " + ps.T("pub.easy")
		src = p.EasyBody
	}
	images, err := s.siteImages(r, ps.Org.ID, ps.Base)
	if err != nil {
		return err
	}
	if im, ok := firstImage(src, images); ok {
		ps.OGImage, ps.OGImageAlt = ps.Origin+images.URL(im, false), im.Alt
	}
	return s.render(w, r, ps, http.StatusOK, "page", title, p.Summary, pageData{Page: p, Easy: easy, Body: markdownWith(src, images)})
}

// News is GET /f/{site}/nyheter: the news, newest first.
func (s *Handlers) News(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		now := s.Now()
		news, err := store.Pages(r.Context(), s.Store, store.PageQuery{AssociationID: ps.Org.ID, Kind: website.KindNews, PublishedAt: &now, Limit: 100})
		if err != nil {
			return site.Unavailable("news", err)
		}
		return s.render(w, r, ps, http.StatusOK, "news", ps.T("pub.news.title"), "", news)
	})(w, r, a)
}

type projectGroup struct {
	Status association.InsatsStatus
	Items  []store.CatalogueItem
}

// Projects is GET /f/{site}/projekt: the association's public insatser as
// projects, running, planned and ended.
func (s *Handlers) Projects(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		items, err := store.Catalogue(r.Context(), s.Store, store.CatalogueQuery{AssociationID: ps.Org.ID, Limit: 2000})
		if err != nil {
			return site.Unavailable("projects", err)
		}
		var groups []projectGroup
		for _, st := range []association.InsatsStatus{association.InsatsOngoing, association.InsatsPlanned, association.InsatsEnded} {
			g := projectGroup{Status: st}
			for _, it := range items {
				if it.Insats.Status == st {
					g.Items = append(g.Items, it)
				}
			}
			if len(g.Items) > 0 {
				groups = append(groups, g)
			}
		}
		return s.render(w, r, ps, http.StatusOK, "projects", ps.T("pub.projects.title"), ps.T("pub.projects.lead"), groups)
	})(w, r, a)
}

// Network is GET /f/{site}/natverket: the organisations of the network.
func (s *Handlers) Network(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		orgs, err := store.NetworkOrgs(r.Context(), s.Store, ps.Org.ID)
		if err != nil {
			return site.Unavailable("network", err)
		}
		return s.render(w, r, ps, http.StatusOK, "network", ps.T("pub.network.title"), ps.T("pub.network.lead"), orgs)
	})(w, r, a)
}

// Statement is GET /f/{site}/tillganglighet: the accessibility statement
// lag (2018:1937) requires, from what the editor filled in.
func (s *Handlers) Statement(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		return s.render(w, r, ps, http.StatusOK, "statement", ps.T("pub.a11y.title"), "", ps.Settings.Statement)
	})(w, r, a)
}

// Privacy is GET /f/{site}/integritet: what the site keeps about visitors
// (nothing, no cookies) and about those who send a form.
func (s *Handlers) Privacy(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		return s.render(w, r, ps, http.StatusOK, "privacy", ps.T("pub.privacy.title"), "", ps.Settings)
	})(w, r, a)
}

// Robots is GET /f/{site}/robots.txt.
func (s *Handlers) Robots(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ps, err := s.loadSite(r, nil)
	if err != nil {
		return err
	}
	body := "User-agent: *\nDisallow: " + ps.Base + "/rapportera\nDisallow: " + ps.Base + "/avanmalan/\nSitemap: " + ps.Abs("/sitemap.xml") + "\n"
	return s.writeCached(w, r, http.StatusOK, "text/plain; charset=utf-8", []byte(body), 3600)
}
