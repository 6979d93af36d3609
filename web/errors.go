package web

import (
	"net/http"
	"strings"

	"github.com/finsam/finsam/web/internal/site"
)

// APIError is the body of every failed API response (see site.APIError).
type APIError = site.APIError

// FieldError is one invalid field among several.
type FieldError = site.FieldError

// isAPI tells whether a request is served as JSON rather than HTML.
func isAPI(r *http.Request) bool { return site.IsAPI(r) }

// fail answers a request that cannot be served (see site.Site.FailWith).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, field string) {
	s.site.FailWith(w, r, status, code, field)
}

func writeJSON(w http.ResponseWriter, status int, v any) { site.WriteJSON(w, status, v) }

// unmatched answers requests no route matched: 405 with an Allow header when
// the path exists for other methods, 404 otherwise.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "")
		return
	}
	// No route resolved the actor; a person who is signed in keeps the
	// header and menu on the error page all the same.
	if !isAPI(r) {
		if a, err := s.authenticate(w, r); err == nil {
			r = site.WithActor(r, a)
		}
	}
	s.fail(w, r, http.StatusNotFound, "not_found", "")
}
