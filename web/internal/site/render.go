package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/policy"
)

// templateFS holds the layout every page is rendered into and the error
// page.
//
//go:embed templates/*.html
var templateFS embed.FS

// Pages is a set of page templates a package embeds: every *.html file in
// Dir of FS is a page named after the file, parsed with the layout, the
// page's partials and then the page itself, so that the page's "content" is
// the one that counts.
type Pages struct {
	FS  fs.FS
	Dir string
	// Partials are, by page file, the partial files it includes, looked up
	// in FS and then in Shared.
	Partials map[string][]string
	// Shared are other packages' templates a page may include as partials.
	Shared []fs.FS
	// Funcs are template functions beside the core's ("asset").
	Funcs template.FuncMap
}

// AddPages parses a package's pages. Page names are unique across the
// server; call it while building the server, never once it serves.
func (s *Site) AddPages(p Pages) error {
	funcs := template.FuncMap{"asset": s.assets.url}
	for k, v := range p.Funcs {
		funcs[k] = v
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return err
	}
	entries, err := fs.Glob(p.FS, path.Join(p.Dir, "*.html"))
	if err != nil {
		return err
	}
	for _, f := range entries {
		file := path.Base(f)
		if file == "layout.html" {
			continue
		}
		name := file[:len(file)-len(".html")]
		if _, dup := s.pages[name]; dup {
			return fmt.Errorf("page template %q defined twice", name)
		}
		t := template.Must(layout.Clone())
		for _, partial := range p.Partials[file] {
			if t, err = parsePartial(t, partial, p.FS, p.Dir, p.Shared); err != nil {
				return err
			}
		}
		if t, err = t.ParseFS(p.FS, f); err != nil {
			return err
		}
		s.pages[name] = t
	}
	return nil
}

func parsePartial(t *template.Template, name string, own fs.FS, dir string, shared []fs.FS) (*template.Template, error) {
	if _, err := fs.Stat(own, path.Join(dir, name)); err == nil {
		return t.ParseFS(own, path.Join(dir, name))
	}
	for _, fsys := range shared {
		matches, err := fs.Glob(fsys, "*/"+name)
		if err != nil {
			return nil, err
		}
		if len(matches) == 1 {
			return t.ParseFS(fsys, matches[0])
		}
	}
	return nil, fmt.Errorf("partial template %q not found", name)
}

// Templates are the parsed page templates by name (for tests).
func (s *Site) Templates() map[string]*template.Template { return s.pages }

// Page is what every template gets: the language, translations and the data
// of the page itself.
type Page struct {
	Lang  string
	Title string
	Path  string
	// SwitchURL shows the same page in the other language.
	SwitchURL string
	RequestID string
	Version   string
	// Actor is who is signed in (nil on pages rendered before the guard ran).
	Actor *Actor
	Data  any

	messages Catalogue
}

// Nav is the navigation for the signed-in actor: only what they may use.
func (p Page) Nav() []NavItem {
	items := []NavItem{{Href: "/", Label: p.T("nav.start")}, {Href: "/rakna", Label: p.T("calc.nav")}}
	if p.Actor.SignedIn() {
		if p.Actor.ShowsCases() {
			items = append(items, NavItem{Href: "/arenden", Label: p.T("case.nav")})
		}
		if p.Actor.ShowsCertificates() {
			items = append(items, NavItem{Href: "/certificates", Label: p.T("cert.nav")})
		}
		if p.Actor.ShowsCoordination() {
			items = append(items, NavItem{Href: "/samordning", Label: p.T("coord.nav")})
		}
		if policy.Can(&p.Actor.Actor, policy.ReadReports, policy.Resource{}) == policy.Allow {
			items = append(items, NavItem{Href: "/quality", Label: p.T("quality.nav")})
		}
		if policy.Can(&p.Actor.Actor, policy.ReadCaseloadFigures, policy.Resource{}) == policy.Allow {
			items = append(items, NavItem{Href: "/dashboards", Label: p.T("dash.nav")})
		}
		if p.Actor.ShowsAssociations() {
			items = append(items, NavItem{Href: "/forbund", Label: p.T("assoc.fin.nav")})
		}
		if p.Actor.Has(account.IntakeSteward) {
			items = append(items, NavItem{Href: "/certificates/rejected", Label: p.T("cert.rejected.nav")})
		}
		if p.Actor.Has(account.Admin) {
			items = append(items,
				NavItem{Href: "/admin/users", Label: p.T("nav.users")},
				NavItem{Href: "/admin/organisations", Label: p.T("nav.organisations")},
				NavItem{Href: "/admin/tokens", Label: p.T("nav.tokens")},
				NavItem{Href: "/admin/audit", Label: p.T("nav.audit")},
				NavItem{Href: "/admin/certificates/rejected", Label: p.T("cert.rejected.nav")},
				NavItem{Href: "/admin/fmb", Label: p.T("quality.fmb.nav")},
			)
			if policy.Can(&p.Actor.Actor, policy.ManageRulesParameters, policy.Resource{}) == policy.Allow {
				items = append(items, NavItem{Href: "/admin/regler", Label: p.T("param.admin.nav")})
			}
		}
		items = append(items, NavItem{Href: "/account", Label: p.T("nav.account")})
	}
	for i := range items {
		items[i].Current = items[i].Href == p.Path
	}
	return items
}

// NavItem is one link of the navigation.
type NavItem struct {
	Href, Label string
	Current     bool
}

// With is the page carrying other data, for a partial template that needs
// the page's translations: {{template "rules-trace" ($.With .Trace)}}.
func (p Page) With(data any) Page {
	p.Data = data
	return p
}

// SignedIn reports whether a user is signed in.
func (p Page) SignedIn() bool { return p.Actor.SignedIn() }

// T translates a message id into the page's language.
func (p Page) T(id string) string { return p.messages.T(p.Lang, id) }

// OtherLang is the language the switch link offers.
func (p Page) OtherLang() string {
	if p.Lang == "en" {
		return "sv"
	}
	return "en"
}

// langSwitchURL is the address of this page in another language. A GET
// keeps its query (a calculator result stays on screen); the answer to a POST
// cannot be fetched again, so the switch goes to the nearest page above it
// that answers GET (/admin/users/7/password → /admin/users/7).
func (s *Site) langSwitchURL(r *http.Request, lang string) string {
	target := r.URL.Path
	q := url.Values{}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		q = r.URL.Query()
	} else {
		for target != "/" {
			probe := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: target}, Header: http.Header{}}
			if _, pattern := s.Mux.Handler(probe); pattern != "" && pattern != "/" {
				break
			}
			target = path.Dir(target)
		}
	}
	q.Set("lang", lang)
	return target + "?" + q.Encode()
}

// T is the text of id in lang from every catalogue of the server.
func (s *Site) T(lang, id string) string { return s.Messages.T(lang, id) }

// Render writes a page. It renders into a buffer first so that a template
// error becomes a clean 500 page rather than half a page.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) {
	t, ok := s.pages[name]
	if !ok {
		panic(fmt.Sprintf("site: no page template %q", name))
	}
	if p.Lang == "" {
		p.Lang = Language(w, r)
	}
	p.messages = s.Messages
	p.Path = r.URL.Path
	p.SwitchURL = s.langSwitchURL(r, p.OtherLang())
	p.RequestID = RequestID(r.Context())
	p.Version = s.Version
	buf, _ := s.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer s.putBuffer(buf)
	err := t.ExecuteTemplate(buf, "layout.html", p)
	// The page may show personal data: its audit entries must be committed
	// before it leaves (fail closed).
	if aerr := p.Actor.AwaitAudit(); aerr != nil {
		s.Log.ErrorContext(r.Context(), "audit", "err", aerr)
		// Fail closed all the way: not even the signed-in header leaves.
		s.FailWith(w, WithActor(r, nil), http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	if err != nil {
		s.Log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		if name != "error" {
			s.ErrorPage(w, r, http.StatusInternalServerError, "internal")
		} else {
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// putBuffer returns a page's buffer to the pool (see Site.buffers) unless
// an exceptional page grew it so large that keeping it would hold memory
// for nothing.
func (s *Site) putBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	s.buffers.Put(buf)
}

type errorData struct {
	Status  int
	Message string
}

// ErrorPage answers with the error page in the visitor's language.
func (s *Site) ErrorPage(w http.ResponseWriter, r *http.Request, status int, code string) {
	lang := Language(w, r)
	s.Render(w, r, status, "error", Page{
		Lang:  lang,
		Title: s.T(lang, "error.title"),
		Actor: actorOf(r),
		Data:  errorData{Status: status, Message: s.T(lang, "err."+code)},
	})
}
