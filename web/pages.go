package web

import (
	"embed"
	"net/http"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

// startPage is the front page.
func (s *Server) startPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	s.site.Render(w, r, http.StatusOK, "start", site.Page{Lang: lang, Title: translate(lang, "app.tagline"), Actor: a})
	return nil
}
