package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/web/internal/site"
)

// The helpers the pages still in this package shared with the
// administration (package web/admin), kept while those pages move into
// feature packages of their own, where a handler returns its failure
// (site.Unavailable, site.ParseForm, site.PathID) instead.

// unavailable answers a request whose database work failed, and logs why.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.ErrorContext(r.Context(), what, "err", err)
	s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
}

// parseAdminForm reads a form POST (see site.ParseForm). On failure it has
// answered (413 for a body too large, 400 for one that cannot be parsed)
// and the handler must return.
func (s *Server) parseAdminForm(w http.ResponseWriter, r *http.Request) bool {
	if err := site.ParseForm(w, r); err != nil {
		var e *site.Error
		if errors.As(err, &e) {
			s.fail(w, r, e.Status, e.Code, "")
		}
		return false
	}
	return true
}

// pathID reads a numeric id from the path; anything else is no id.
func pathID(r *http.Request, name string) (int64, bool) { return site.PathID(r, name) }

// choice is one option of a select, radio group or checkbox group.
type choice = site.Choice

// choiceGroup is an optgroup of a select.
type choiceGroup = site.ChoiceGroup

// withQuery is path with the query values that are set.
func withQuery(path string, q url.Values) string { return site.WithQuery(path, q) }

// localTime formats a time as people in Sweden read it; zero is "".
func localTime(t time.Time) string { return site.LocalTime(t) }

// orgTypeLabel names an organisation type.
func orgTypeLabel(lang string, t organisation.Type) string {
	return translate(lang, "admin.orgtype."+string(t))
}
