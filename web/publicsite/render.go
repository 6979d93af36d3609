package publicsite

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/tmplfunc"
	"github.com/finsam/finsam/website"
)

// pubSite is the association whose site a request asks for, with where
// its pages are.
type pubSite struct {
	Org      organisation.Organisation
	Settings website.Settings
	// Base is the path the site's addresses start with: "/f/<slug>", or
	// "" on the site's own host name.
	Base string
	// Origin is scheme and host as the visitor reached the server.
	Origin string
	Lang   string
	Menu   []menuItem
	Area   []string
	// OGImage is the absolute address of the page's image for Open
	// Graph ("" when it shows none), OGImageAlt its alt text.
	OGImage, OGImageAlt string
}

type menuItem struct {
	Href, Label string
	Current     bool
}

type ctxKey int

const hostKey ctxKey = 0

// onOwnHost reports whether the request came in on a site's own host name.
func onOwnHost(ctx context.Context) bool { v, _ := ctx.Value(hostKey).(bool); return v }

// siteBase is what every page of a site needs from the database: the
// association, its settings, area and menu pages. It is loaded once per
// content version (siteState.base).
type siteBase struct {
	org      organisation.Organisation
	settings website.Settings
	area     []string
	menu     []website.Page
}

// base loads the site's siteBase, or takes it from st.
func (s *Handlers) base(r *http.Request, st *siteState) (*siteBase, error) {
	if st != nil {
		s.cache.mu.Lock()
		b := st.base
		s.cache.mu.Unlock()
		if b != nil {
			return b, nil
		}
	}
	ctx := r.Context()
	org, err := s.PathAssociation(r, "site")
	if err != nil {
		return nil, err
	}
	b := &siteBase{org: org}
	if b.settings, err = store.SiteSettings(ctx, s.Store, org.ID); err != nil {
		return nil, site.Unavailable("site settings", err)
	}
	if !b.settings.Enabled {
		return nil, site.NotFound()
	}
	if b.area, err = store.SiteArea(ctx, s.Store, org.ID); err != nil {
		return nil, site.Unavailable("site area", err)
	}
	b.menu, err = store.Pages(ctx, s.Store, store.PageQuery{AssociationID: org.ID, Kind: website.KindPage, PublishedAt: ptr(s.Now()), MenuOnly: true})
	if err != nil {
		return nil, site.Unavailable("site menu", err)
	}
	if st != nil {
		s.cache.mu.Lock()
		st.base = b
		s.cache.mu.Unlock()
	}
	return b, nil
}

// loadSite finds the published site of the request's {site}; st, when
// known, is its content version.
func (s *Handlers) loadSite(r *http.Request, st *siteState) (*pubSite, error) {
	b, err := s.base(r, st)
	if err != nil {
		return nil, err
	}
	org := b.org
	ps := &pubSite{Org: org, Settings: b.settings, Base: "/f/" + org.Slug, Lang: "sv", Area: b.area}
	if onOwnHost(r.Context()) {
		ps.Base = ""
	}
	if r.URL.Query().Get("lang") == "en" {
		ps.Lang = "en"
	}
	scheme := "http"
	if site.SecureRequest(r) {
		scheme = "https"
	}
	ps.Origin = scheme + "://" + r.Host
	t := func(id string) string { return Messages.T(ps.Lang, id) }
	// The site's own sections have fixed places in the menu; the staff
	// place their pages between them with the pages' menu order (Finsam
	// Gotland's: Start, Finsam på Gotland, Projekt, Paraply-nätverket,
	// Aktivitetskatalogen, Möten och föreläsningar, Tips och råd, …, Sök).
	type placed struct {
		order int
		item  menuItem
	}
	items := []placed{{0, menuItem{Href: "/", Label: t("pub.nav.start")}}, {20, menuItem{Href: "/projekt", Label: t("pub.nav.projects")}},
		{30, menuItem{Href: "/natverket", Label: t("pub.nav.network")}}, {40, menuItem{Href: "/aktivitetskatalogen", Label: t("pub.nav.catalogue")}},
		{50, menuItem{Href: "/moten", Label: t("pub.nav.events")}}, {90, menuItem{Href: "/nyheter", Label: t("pub.nav.news")}},
		{99, menuItem{Href: "/sok", Label: t("pub.nav.search")}}}
	for _, p := range b.menu {
		items = append(items, placed{p.MenuOrder, menuItem{Href: "/sida/" + p.Slug, Label: p.Title}})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].order < items[j].order })
	for _, it := range items {
		ps.Menu = append(ps.Menu, it.item)
	}
	rel := ps.rel(r)
	for i := range ps.Menu {
		h := ps.Menu[i].Href
		ps.Menu[i].Current = rel == h || h != "/" && strings.HasPrefix(rel, h+"/")
		ps.Menu[i].Href = ps.URL(h)
	}
	return ps, nil
}

func ptr[T any](v T) *T { return &v }

// rel is the request's path below the site's root.
func (ps *pubSite) rel(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/f/"+ps.Org.Slug)
	if p == "" {
		return "/"
	}
	return p
}

// URL is the address of a page of the site, in the visitor's language.
func (ps *pubSite) URL(rel string) string {
	u := ps.Base + rel
	if ps.Lang == "en" {
		if strings.Contains(u, "?") {
			return u + "&lang=en"
		}
		return u + "?lang=en"
	}
	return u
}

// Abs is the absolute address of a page of the site (feeds, sitemap, Open
// Graph), always the Swedish one.
func (ps *pubSite) Abs(rel string) string { return ps.Origin + ps.Base + rel }

// T translates into the visitor's language.
func (ps *pubSite) T(id string) string { return Messages.T(ps.Lang, id) }

// view is what every public template gets.
type view struct {
	Site        *pubSite
	Title       string
	Description string
	// URL is the page's absolute address (printouts, Open Graph).
	URL  string
	Lang string
	// LangSwitch is this page in the other language.
	LangSwitch string
	Year       int
	Data       any
}

// T translates into the page's language.
func (v view) T(id string) string { return Messages.T(v.Lang, id) }

// U is the address of another page of the site.
func (v view) U(rel string) string { return v.Site.URL(rel) }

// parsePublic parses the public pages, each with the public layout.
func (s *Handlers) parsePublic(fsys fs.FS) (map[string]*template.Template, error) {
	funcs := template.FuncMap{"asset": s.AssetURL}
	for k, f := range markdownFuncs {
		funcs[k] = f
	}
	layout, err := template.New("public.html").Funcs(funcs).ParseFS(fsys, "public/layout/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "public/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(layout.Clone()).ParseFS(fsys, f)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return out, nil
}

// render writes a public page: no cookies, cacheable for a minute by
// anyone, with an ETag of its content so that a revisit costs a 304.
func (s *Handlers) render(w http.ResponseWriter, r *http.Request, ps *pubSite, status int, name, title, description string, data any) error {
	t, ok := s.public[name]
	if !ok {
		return site.Internal("public page", fmt.Errorf("no template %q", name))
	}
	q := r.URL.Query()
	q.Del("lang")
	if ps.Lang == "sv" {
		q.Set("lang", "en")
	}
	here := ps.Base + ps.rel(r)
	if here == "" {
		here = "/"
	}
	sw := here
	if len(q) > 0 {
		sw += "?" + q.Encode()
	}
	abs := ps.Origin + here
	if r.URL.RawQuery != "" {
		abs += "?" + r.URL.RawQuery
	}
	v := view{Site: ps, Title: title, Description: description, Lang: ps.Lang, LangSwitch: sw,
		URL: abs, Year: s.Now().In(site.Stockholm).Year(), Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "public.html", v); err != nil {
		return site.Internal("render public page "+name, err)
	}
	return s.writeCached(w, r, status, "text/html; charset=utf-8", buf.Bytes(), 60)
}

var etagEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// writeCached answers a public resource with an ETag of its bytes, a
// Last-Modified and a Cache-Control for shared caches; a request that has
// it already gets 304. 200 answers are kept in the page cache.
func (s *Handlers) writeCached(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte, maxAge int) error {
	p := cachedPage{contentType: contentType, disposition: w.Header().Get("Content-Disposition"), body: body, maxAge: maxAge}
	if status != http.StatusOK {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		w.Write(body)
		return nil
	}
	p.etag = etagOf(body)
	p.ticket, _ = r.Context().Value(ticketKey).(ticket)
	if p.ticket.born.IsZero() {
		p.ticket.born = time.Now()
	}
	p.prepare()
	s.cache.keep(r, p)
	writeAnswer(w, r, p)
	return nil
}

// writeAnswer writes a 200 answer, or 304 to a request that has it: by
// its ETag (If-None-Match) or else by its time (If-Modified-Since). The
// header values are made once per answer (prepare) and shared by every
// response that serves it: a kept page costs no formatting.
func writeAnswer(w http.ResponseWriter, r *http.Request, p cachedPage) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	if notModified(r, p.etag, p.modified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(p.body)
	}
}

// notModified applies RFC 9110's conditions: If-None-Match when it is
// sent, If-Modified-Since only without it.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if match := r.Header.Get("If-None-Match"); match != "" {
		for _, m := range strings.Split(match, ",") {
			m = strings.TrimPrefix(strings.TrimSpace(m), "W/")
			if m == etag || m == "*" {
				return true
			}
		}
		return false
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !modified.After(since)
}

// markdown renders staff-written Markdown to HTML and sanitises it: raw
// HTML in the source is dropped by goldmark and whatever passes is
// cleaned by bluemonday's policy for user content, so a script written
// into a page is never executed. Images are the site's own only
// (markdownWith): their addresses are the one form an img may have.
var (
	md        = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	sanitizer = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(false)
		own := regexp.MustCompile(`^(/f/[a-z0-9-]+)?/bilder/[0-9]+-[0-9a-f]{16}(-liten)?\.(jpg|png)$`)
		p.AllowAttrs("src").Matching(own).OnElements("img")
		p.AllowAttrs("srcset").Matching(regexp.MustCompile(`^((/f/[a-z0-9-]+)?/bilder/[0-9]+-[0-9a-f]{16}(-liten)?\.(jpg|png) [0-9]+w(, )?)+$`)).OnElements("img")
		p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^[a-z0-9 ():.,-]+$`)).OnElements("img")
		p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
		return p
	}()
)

// Markdown is src as safe HTML, with no images: an image written into it
// shows as its alt text.
func Markdown(src string) template.HTML { return markdownWith(src, nil) }

var markdownFuncs = template.FuncMap{
	"markdown":     Markdown,
	"date":         func(t time.Time) string { return t.In(site.Stockholm).Format("2006-01-02") },
	"datetime":     func(t time.Time) string { return t.In(site.Stockholm).Format("2006-01-02 15:04") },
	"clock":        func(t time.Time) string { return t.In(site.Stockholm).Format("15:04") },
	"query":        func(v url.Values) string { return v.Encode() },
	"municipality": municipalityName,
	"period":       period,
	"tr": func(lang, id string) string {
		if id == "" {
			return ""
		}
		return Messages.T(lang, id)
	},
	"list": func(v ...string) []string { return v },
	"dict": tmplfunc.Dict,
}

// With is the view carrying other data, for a partial template.
func (v view) With(data any) view {
	v.Data = data
	return v
}

// ReportURL is the "report a problem" form for this page.
func (v view) ReportURL() string {
	return v.Site.URL("/rapportera?sida=" + url.QueryEscape(strings.TrimPrefix(v.URL, v.Site.Origin)))
}
