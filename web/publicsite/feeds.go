package publicsite

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/website"
)

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Self        atomLink  `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Items       []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate"`
	Description string `xml:"description"`
}

// feedNews are the news the feeds carry: the 50 latest published.
func (s *Handlers) feedNews(r *http.Request, ps *pubSite) ([]website.Page, error) {
	now := s.Now()
	news, err := store.Pages(r.Context(), s.Store, store.PageQuery{AssociationID: ps.Org.ID, Kind: website.KindNews, PublishedAt: &now, Limit: 50})
	if err != nil {
		return nil, site.Unavailable("news", err)
	}
	return news, nil
}

// writeXML answers v as an XML document of contentType.
func (s *Handlers) writeXML(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	b, err := xml.MarshalIndent(v, "", " ")
	if err != nil {
		return site.Internal("feed", err)
	}
	return s.writeCached(w, r, http.StatusOK, contentType, append([]byte(xml.Header), b...), 300)
}

// Feed is GET /f/{site}/nyheter.xml: the news as RSS 2.0.
func (s *Handlers) Feed(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		news, err := s.feedNews(r, ps)
		if err != nil {
			return err
		}
		feed := rss{Version: "2.0", Atom: atomNS, Channel: rssChannel{
			Title: ps.Org.Name, Link: ps.Abs("/nyheter"), Description: Messages.T("sv", "pub.feed.title") + " – " + ps.Org.Name, Language: "sv",
			Self: atomLink{Href: ps.Abs("/nyheter.xml"), Rel: "self", Type: "application/rss+xml"}}}
		for _, p := range news {
			link := ps.Abs("/nyheter/" + p.Slug)
			feed.Channel.Items = append(feed.Channel.Items, rssItem{Title: p.Title, Link: link, GUID: link,
				PubDate: p.PublishAt.UTC().Format(time.RFC1123Z), Description: p.Summary})
		}
		return s.writeXML(w, r, "application/rss+xml; charset=utf-8", feed)
	})(w, r, a)
}

const atomNS = "http://www.w3.org/2005/Atom"

// atomFeed is an Atom feed (RFC 4287): the feed has an id, a title, an
// author and the time it was last updated; each entry an id, a title, a
// link, the times it was published and updated, and a summary.
type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomAuthor  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string   `xml:"id"`
	Title     string   `xml:"title"`
	Link      atomLink `xml:"link"`
	Published string   `xml:"published"`
	Updated   string   `xml:"updated"`
	Summary   string   `xml:"summary,omitempty"`
}

// AtomFeed is GET /f/{site}/nyheter.atom: the news as an Atom feed.
func (s *Handlers) AtomFeed(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		news, err := s.feedNews(r, ps)
		if err != nil {
			return err
		}
		stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
		feed := atomFeed{NS: atomNS, Lang: "sv", ID: ps.Abs("/nyheter.atom"), Title: Messages.T("sv", "pub.feed.title") + " – " + ps.Org.Name,
			Author: atomAuthor{Name: ps.Org.Name}, Links: []atomLink{{Href: ps.Abs("/nyheter.atom"), Rel: "self", Type: "application/atom+xml"},
				{Href: ps.Abs("/nyheter"), Rel: "alternate", Type: "text/html"}}}
		// The feed changed when its latest entry did; with no entries, the
		// time it is made at stands in (RFC 4287 requires one).
		var updated time.Time
		for _, p := range news {
			link := ps.Abs("/nyheter/" + p.Slug)
			changed := p.Updated
			if p.PublishAt.After(changed) {
				changed = *p.PublishAt
			}
			if changed.After(updated) {
				updated = changed
			}
			feed.Entries = append(feed.Entries, atomEntry{ID: link, Title: p.Title, Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"},
				Published: stamp(*p.PublishAt), Updated: stamp(changed), Summary: p.Summary})
		}
		if updated.IsZero() {
			updated = s.Now()
		}
		feed.Updated = stamp(updated)
		return s.writeXML(w, r, "application/atom+xml; charset=utf-8", feed)
	})(w, r, a)
}

// Sitemap is GET /f/{site}/sitemap.xml: every public address of the site.
func (s *Handlers) Sitemap(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		ctx := r.Context()
		now := s.Now()
		var b strings.Builder
		b.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
		add := func(rel string) {
			b.WriteString("<url><loc>")
			xml.EscapeText(&b, []byte(ps.Abs(rel)))
			b.WriteString("</loc></url>\n")
		}
		for _, rel := range []string{"/", "/aktivitetskatalogen", "/projekt", "/natverket", "/moten", "/nyheter", "/sok", "/tillganglighet", "/integritet"} {
			add(rel)
		}
		pages, err := store.Pages(ctx, s.Store, store.PageQuery{AssociationID: ps.Org.ID, PublishedAt: &now})
		if err != nil {
			return site.Unavailable("pages", err)
		}
		for _, p := range pages {
			if p.Kind == website.KindNews {
				add("/nyheter/" + p.Slug)
				continue
			}
			add("/sida/" + p.Slug)
			if p.EasyBody != "" {
				add("/sida/" + p.Slug + "/lattlast")
			}
		}
		items, err := store.Catalogue(ctx, s.Store, store.CatalogueQuery{AssociationID: ps.Org.ID})
		if err != nil {
			return site.Unavailable("catalogue", err)
		}
		for _, it := range items {
			add(fmt.Sprintf("/aktivitetskatalogen/%d", it.Insats.ID))
		}
		evs, err := store.Events(ctx, s.Store, ps.Org.ID, now, 0)
		if err != nil {
			return site.Unavailable("events", err)
		}
		for _, e := range evs {
			add(fmt.Sprintf("/moten/%d", e.ID))
		}
		b.WriteString("</urlset>\n")
		return s.writeCached(w, r, http.StatusOK, "application/xml; charset=utf-8", []byte(b.String()), 3600)
	})(w, r, a)
}

type reportData struct {
	Page, Text string
	Problems   website.Problems
	Sent       bool
}

// For is the problem of a field, as a message id.
func (d reportData) For(field string) string { return problemFor(d.Problems, field) }

// ReportForm is GET /f/{site}/rapportera: "report a problem" with a page,
// linked from every page; it reaches the staff by e-mail.
func (s *Handlers) ReportForm(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		page := r.URL.Query().Get("sida")
		if !strings.HasPrefix(page, "/") || len(page) > 500 {
			page = ""
		}
		return s.render(w, r, ps, http.StatusOK, "report", ps.T("pub.report.title"), "",
			reportData{Page: page, Sent: r.URL.Query().Get("skickat") == "1"})
	})(w, r, a)
}

// Report is POST /f/{site}/rapportera: the report goes to the address of
// the accessibility statement (or the site's contact) through the outbox.
func (s *Handlers) Report(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		if err := site.ParseFormMax(w, r, 16<<10); err != nil {
			return err
		}
		d := reportData{Page: strings.TrimSpace(r.PostForm.Get("page")), Text: strings.TrimSpace(r.PostForm.Get("text"))}
		done := ps.URL("/rapportera?skickat=1")
		if r.PostForm.Get("webbplats") != "" || !s.limiter.allow(r, s.Now()) {
			http.Redirect(w, r, done, http.StatusSeeOther)
			return nil
		}
		switch n := len([]rune(d.Text)); {
		case n == 0:
			d.Problems = website.Problems{{Field: "text", Code: website.CodeRequired}}
		case n > 5000:
			d.Problems = website.Problems{{Field: "text", Code: website.CodeTooLong}}
		}
		if len(d.Page) > 500 {
			d.Page = d.Page[:500]
		}
		if d.Problems != nil {
			return s.render(w, r, ps, http.StatusUnprocessableEntity, "report", ps.T("pub.report.title"), "", d)
		}
		to := ps.Settings.Statement.FeedbackEmail
		if to == "" {
			to = ps.Settings.ContactEmail
		}
		if to != "" {
			body := fmt.Sprintf("%s\n\n%s: %s\n\n%s\n", Messages.T("sv", "pub.report.mail"), Messages.T("sv", "pub.report.page"), d.Page, d.Text)
			err := s.Store.Tx(r.Context(), func(tx *store.Tx) error {
				return store.EnqueueMail(r.Context(), tx, ps.Org.ID, to, Messages.T("sv", "pub.report.subject")+" – "+ps.Org.Name, body, s.Now())
			})
			if err != nil {
				return site.Unavailable("report", err)
			}
		}
		http.Redirect(w, r, done, http.StatusSeeOther)
		return nil
	})(w, r, a)
}
