package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/policy"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets are the embedded static files with a content hash each, so pages can
// link them with a version that changes when the file does and browsers can
// cache them for a year.
type assets struct {
	files map[string][]byte
	hash  map[string]string
}

func loadAssets() (*assets, error) {
	a := &assets{files: map[string][]byte{}, hash: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		sum := sha256.Sum256(b)
		a.files[name] = b
		a.hash[name] = hex.EncodeToString(sum[:6])
		return nil
	})
	return a, err
}

// url is the versioned address of an asset; templates call it as
// {{asset "fkui.css"}}. An unknown name is a bug caught when templates run in
// tests.
func (a *assets) url(name string) (string, error) {
	h, ok := a.hash[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return "/static/" + name + "?v=" + h, nil
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, ok := s.assets.files[name]
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	if r.URL.Query().Get("v") == s.assets.hash[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// pagePartials are the files whose templates a page includes, parsed before
// the page's own file so that the page's "content" is the one that counts.
var pagePartials = map[string][]string{
	"certificate.html":  {"supplement_form.html"},
	"calculator.html":   {"rules_trace.html"},
	"case.html":         {"case_fields.html", "rules_trace.html"},
	"case_new.html":     {"case_fields.html"},
	"case_purpose.html": {"case_fields.html"},
	"worklist.html":     {"case_fields.html"},
}

// parsePages parses each page template together with the shared layout.
func parsePages(a *assets) (map[string]*template.Template, error) {
	funcs := template.FuncMap{"asset": a.url, "paramField": paramFieldOf}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	entries, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range entries {
		name := path.Base(p)
		if name == "layout.html" {
			continue
		}
		t := template.Must(layout.Clone())
		for _, partial := range pagePartials[name] {
			if t, err = t.ParseFS(templateFS, "templates/"+partial); err != nil {
				return nil, err
			}
		}
		if t, err = t.ParseFS(templateFS, p); err != nil {
			return nil, err
		}
		pages[name[:len(name)-len(".html")]] = t
	}
	return pages, nil
}

// page is what every template gets: the language, translations and the data
// of the page itself.
type page struct {
	Lang  string
	Title string
	Path  string
	// SwitchURL shows the same page in the other language.
	SwitchURL string
	RequestID string
	Version   string
	// Actor is who is signed in (nil on pages rendered before the guard ran).
	Actor *actor
	Data  any
}

// Nav is the navigation for the signed-in actor: only what they may use.
func (p page) Nav() []navItem {
	items := []navItem{{Href: "/", Label: p.T("nav.start")}, {Href: "/rakna", Label: p.T("calc.nav")}}
	if p.Actor.signedIn() {
		if p.Actor.showsCases() {
			items = append(items, navItem{Href: "/arenden", Label: p.T("case.nav")})
		}
		if p.Actor.showsCertificates() {
			items = append(items, navItem{Href: "/certificates", Label: p.T("cert.nav")})
		}
		if policy.Can(&p.Actor.Actor, policy.ReadReports, policy.Resource{}) == policy.Allow {
			items = append(items, navItem{Href: "/quality", Label: p.T("quality.nav")})
		}
		if p.Actor.showsAssociations() {
			items = append(items, navItem{Href: "/forbund", Label: p.T("assoc.fin.nav")})
		}
		if p.Actor.has(account.IntakeSteward) {
			items = append(items, navItem{Href: "/certificates/rejected", Label: p.T("cert.rejected.nav")})
		}
		if p.Actor.has(account.Admin) {
			items = append(items,
				navItem{Href: "/admin/users", Label: p.T("nav.users")},
				navItem{Href: "/admin/organisations", Label: p.T("nav.organisations")},
				navItem{Href: "/admin/tokens", Label: p.T("nav.tokens")},
				navItem{Href: "/admin/audit", Label: p.T("nav.audit")},
				navItem{Href: "/admin/certificates/rejected", Label: p.T("cert.rejected.nav")},
				navItem{Href: "/admin/fmb", Label: p.T("quality.fmb.nav")},
			)
			if policy.Can(&p.Actor.Actor, policy.ManageRulesParameters, policy.Resource{}) == policy.Allow {
				items = append(items, navItem{Href: "/admin/regler", Label: p.T("param.admin.nav")})
			}
		}
		items = append(items, navItem{Href: "/account", Label: p.T("nav.account")})
	}
	for i := range items {
		items[i].Current = items[i].Href == p.Path
	}
	return items
}

type navItem struct {
	Href, Label string
	Current     bool
}

// With is the page carrying other data, for a partial template that needs
// the page's translations: {{template "rules-trace" ($.With .Trace)}}.
func (p page) With(data any) page {
	p.Data = data
	return p
}

// SignedIn reports whether a user is signed in.
func (p page) SignedIn() bool { return p.Actor.signedIn() }

// T translates a message id into the page's language.
func (p page) T(id string) string { return translate(p.Lang, id) }

// OtherLang is the language the switch link offers.
func (p page) OtherLang() string {
	if p.Lang == "en" {
		return "sv"
	}
	return "en"
}

// langSwitchURL is the address of this page in another language. A GET
// keeps its query (a calculator result stays on screen); the answer to a POST
// cannot be fetched again, so the switch goes to the nearest page above it
// that answers GET (/admin/users/7/password → /admin/users/7).
func (s *Server) langSwitchURL(r *http.Request, lang string) string {
	target := r.URL.Path
	q := url.Values{}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		q = r.URL.Query()
	} else {
		for target != "/" {
			probe := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: target}, Header: http.Header{}}
			if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
				break
			}
			target = path.Dir(target)
		}
	}
	q.Set("lang", lang)
	return target + "?" + q.Encode()
}

// render writes a page. It renders into a buffer first so that a template
// error becomes a clean 500 page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.pages[name]
	if !ok {
		panic(fmt.Sprintf("web: no page template %q", name))
	}
	if p.Lang == "" {
		p.Lang = language(w, r)
	}
	p.Path = r.URL.Path
	p.SwitchURL = s.langSwitchURL(r, p.OtherLang())
	p.RequestID = RequestID(r.Context())
	p.Version = s.version
	var buf bytes.Buffer
	err := t.ExecuteTemplate(&buf, "layout.html", p)
	// The page may show personal data: its audit entries must be committed
	// before it leaves (fail closed).
	if aerr := p.Actor.awaitAudit(); aerr != nil {
		s.log.ErrorContext(r.Context(), "audit", "err", aerr)
		s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		if name != "error" {
			s.errorPage(w, r, http.StatusInternalServerError, "internal")
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

type errorData struct {
	Status  int
	Message string
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, code string) {
	lang := language(w, r)
	s.render(w, r, status, "error", page{
		Lang:  lang,
		Title: translate(lang, "error.title"),
		Data:  errorData{Status: status, Message: translate(lang, "err."+code)},
	})
}

func (s *Server) startPage(w http.ResponseWriter, r *http.Request, a *actor) {
	lang := language(w, r)
	s.render(w, r, http.StatusOK, "start", page{Lang: lang, Title: translate(lang, "app.tagline"), Actor: a})
}
