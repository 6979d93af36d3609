package publicsite

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/website"
)

// searchKinds are the kinds of documents, in the facets' order.
var searchKinds = []string{"insats", "page", "news", "event", "network"}

type facet struct {
	Kind, Label, Href string
	N                 int
	Current           bool
}

type hit struct {
	Kind, Href, KindLabel string
	Title                 template.HTML
	Snippet               template.HTML
}

type searchData struct {
	Query  string
	Kind   string
	Hits   []hit
	Facets []facet
	Total  int
	Asked  bool
}

// Search is GET /f/{site}/sok?q=…: one search over the pages, news,
// insatser, events and network of the site, Swedish words found in any
// form ("arbetsträning" finds "arbetsträningen"), best first, with the
// words highlighted and facets by kind.
func (s *Handlers) Search(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return s.page(func(w http.ResponseWriter, r *http.Request, ps *pubSite) error {
		q := strings.TrimSpace(r.URL.Query().Get("q"))
		if len([]rune(q)) > 200 {
			q = string([]rune(q)[:200])
		}
		kind := r.URL.Query().Get("typ")
		d := searchData{Query: q, Kind: kind, Asked: q != ""}
		if q != "" {
			if kind != "" && !contains(searchKinds, kind) {
				kind, d.Kind = "", ""
			}
			res, err := s.search(r, ps, q, kind)
			if err != nil {
				return err
			}
			hl := highlighter{terms: res.Terms}
			d.Hits = make([]hit, 0, len(res.Hits))
			for _, h := range res.Hits {
				d.Hits = append(d.Hits, hit{Kind: h.Kind, Href: ps.URL(h.Path), KindLabel: ps.T("pub.kind." + h.Kind),
					Title: hl.highlight(h.Title, 0), Snippet: hl.highlight(h.Body, 30)})
			}
			link := func(k string) string {
				u := "/sok?q=" + urlEscape(q)
				if k != "" {
					u += "&typ=" + k
				}
				return ps.URL(u)
			}
			all := facet{Label: ps.T("pub.search.all"), Href: link(""), Current: kind == ""}
			for _, k := range searchKinds {
				if n := res.Facets[k]; n > 0 {
					all.N += n
					d.Facets = append(d.Facets, facet{Kind: k, Label: ps.T("pub.kind." + k), N: n, Href: link(k), Current: kind == k})
				}
			}
			d.Total = all.N
			d.Facets = append([]facet{all}, d.Facets...)
		}
		title := ps.T("pub.search.title")
		if q != "" {
			title = fmt.Sprintf("%s: %s", title, q)
		}
		return s.render(w, r, ps, http.StatusOK, "search", title, "", d)
	})(w, r, a)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func urlEscape(s string) string { return strings.ReplaceAll(template.URLQueryEscaper(s), "%20", "+") }

// highlighter marks the words of texts whose stems are among terms,
// reusing its list of words from one text to the next.
type highlighter struct {
	terms []string
	words []website.Span
}

// highlight marks the words of text whose stems are among the terms; with
// around > 0 it keeps only a snippet of that many words on either side of
// the first hit. The text is escaped: only the marks are HTML.
func (h *highlighter) highlight(text string, around int) template.HTML {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	h.words = website.MatchWords(text, h.terms, h.words)
	words := h.words
	from, to := 0, len(text)
	if around > 0 && len(words) > 0 {
		first := 0
		for i, w := range words {
			if w.Hit {
				first = i
				break
			}
		}
		lo, hi := max(first-around, 0), min(first+around, len(words)-1)
		if lo > 0 {
			from = words[lo].Start
		}
		if hi < len(words)-1 {
			to = words[hi].End
		}
	}
	var b strings.Builder
	b.Grow(to - from + 64)
	if from > 0 {
		b.WriteString("… ")
	}
	at := from
	for _, w := range words {
		if w.Start < from || w.End > to || !w.Hit {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[at:w.Start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[w.Start:w.End]))
		b.WriteString("</mark>")
		at = w.End
	}
	b.WriteString(template.HTMLEscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString(" …")
	}
	return template.HTML(b.String()) // #nosec: every piece of text is escaped
}

// search answers a query on the site: from the results kept for the
// site's content version when the same stems were asked for (so
// "arbetsträning" and "Arbetsträningen" share one), or from the index.
func (s *Handlers) search(r *http.Request, ps *pubSite, q, kind string) (store.SearchResult, error) {
	st, err := s.state(r)
	if err != nil {
		return store.SearchResult{}, site.Unavailable("site content", err)
	}
	key := fmt.Sprintf("%d\x00%s\x00%s", ps.Org.ID, kind, strings.Join(website.Terms(q), " "))
	if res, ok := s.result(key, st); ok {
		return res, nil
	}
	if err := s.ensureIndex(r, ps, st); err != nil {
		return store.SearchResult{}, site.Unavailable("search index", err)
	}
	res, err := store.SearchSite(r.Context(), s.Store, ps.Org.ID, q, kind, 30)
	if err != nil {
		return res, site.Unavailable("search", err)
	}
	s.cache.keepResult(key, st, res)
	return res, nil
}

// ensureIndex rebuilds the site's search documents when they were built
// from other content than the site's now: another content version, or
// another next scheduled change (a page whose publishing time has come).
// The fingerprint compared is kept in memory too, so that a current index
// costs no query.
func (s *Handlers) ensureIndex(r *http.Request, ps *pubSite, st *siteState) error {
	fp := fmt.Sprintf("v%d", st.content.Version)
	if t := st.content.NextChange; t != nil {
		fp += "@" + t.UTC().Format(time.RFC3339)
	}
	if have, ok := s.indexed.Load(ps.Org.ID); ok && have == fp {
		return nil
	}
	err := s.buildIndex(r, ps, fp)
	if err == nil {
		s.indexed.Store(ps.Org.ID, fp)
	}
	return err
}

// buildIndex rebuilds the site's documents unless the database has them
// at fp already (built by this server or another one).
func (s *Handlers) buildIndex(r *http.Request, ps *pubSite, fp string) error {
	ctx := r.Context()
	if have, err := store.SearchFingerprint(ctx, s.Store, ps.Org.ID); err != nil || have == fp {
		return err
	}
	s.index.Lock()
	defer s.index.Unlock()
	if have, err := store.SearchFingerprint(ctx, s.Store, ps.Org.ID); err != nil || have == fp {
		return err
	}
	docs, err := s.searchDocs(r, ps)
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(tx *store.Tx) error { return store.IndexSite(ctx, tx, ps.Org.ID, docs, fp) })
}

// searchDocs are the site's documents as search finds them.
func (s *Handlers) searchDocs(r *http.Request, ps *pubSite) ([]store.SearchDoc, error) {
	ctx := r.Context()
	now := s.Now()
	var docs []store.SearchDoc
	items, err := store.Catalogue(ctx, s.Store, store.CatalogueQuery{AssociationID: ps.Org.ID})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		body := strings.Join([]string{it.Insats.Description, it.Insats.TargetGroup, it.Entry.Contents, it.OrganiserName, it.Entry.Place,
			municipalityName(it.Entry.MunicipalityCode)}, "\n")
		docs = append(docs, store.SearchDoc{Kind: "insats", Path: fmt.Sprintf("/aktivitetskatalogen/%d", it.Insats.ID), Title: it.Insats.Name, Body: body})
	}
	pages, err := store.Pages(ctx, s.Store, store.PageQuery{AssociationID: ps.Org.ID, PublishedAt: &now})
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		path := "/sida/" + p.Slug
		if p.Kind == website.KindNews {
			path = "/nyheter/" + p.Slug
		}
		docs = append(docs, store.SearchDoc{Kind: string(p.Kind), Path: path, Title: p.Title, Body: p.Summary + "\n" + p.Body})
	}
	evs, err := store.Events(ctx, s.Store, ps.Org.ID, now.AddDate(-1, 0, 0), 0)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		docs = append(docs, store.SearchDoc{Kind: "event", Path: fmt.Sprintf("/moten/%d", e.ID), Title: e.Title,
			Body: e.Description + "\n" + e.Speaker + "\n" + e.Place})
	}
	orgs, err := store.NetworkOrgs(ctx, s.Store, ps.Org.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		docs = append(docs, store.SearchDoc{Kind: "network", Path: fmt.Sprintf("/natverket#org-%d", o.ID), Title: o.Name, Body: o.Kind + "\n" + o.Description})
	}
	return docs, nil
}
