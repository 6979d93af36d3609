package web

import (
	"embed"
	"net/http"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

// pagePartials are the files whose templates a page includes, parsed before
// the page's own file so that the page's "content" is the one that counts.
var pagePartials = map[string][]string{}

// page is what every template gets (see site.Page).
type page = site.Page

// render writes a page (see site.Site.Render).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	s.site.Render(w, r, status, name, p)
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, code string) {
	s.site.ErrorPage(w, r, status, code)
}

func (s *Server) startPage(w http.ResponseWriter, r *http.Request, a *actor) {
	lang := language(w, r)
	s.render(w, r, http.StatusOK, "start", page{Lang: lang, Title: translate(lang, "app.tagline"), Actor: a})
}
