package web

import (
	"embed"
	"net/http"

	"github.com/finsam/finsam/web/internal/site"
)

//go:embed templates/*.html
var templateFS embed.FS

// startPage is the front page: a signed-in user's start view (package
// web/today), the public presentation for everyone else.
func (s *Server) startPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if a.SignedIn() {
		return s.features.today.Start(w, r, a)
	}
	lang := site.Language(w, r)
	s.site.Render(w, r, http.StatusOK, "start", site.Page{Lang: lang, Title: translate(lang, "app.tagline"), Actor: a})
	return nil
}
