package web

// The administration pages (issue 4, items 5 and 6): users, organisations
// and their offices, API tokens, and the audit log with its access-log
// extract for one person. Each page is in a file of its own
// (admin_users.go, admin_organisations.go, admin_tokens.go, admin_audit.go);
// this file holds what they share, and admin_forms.go the validation of
// their forms.
//
// Access is decided twice, as everywhere: the route's action (ManageUsers,
// ManageOrganisations, ManageTokens, ReadAudit) in the guard, and then
// s.authorize with the organisation that owns the user, token or office, so
// that an organisation's administrator gets 404 for anything of another
// organisation. The operator's administrators (system administrators) may
// manage every organisation.
//
// Every write is one transaction together with its audit entry.

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// formError is what is wrong with one field: a stable code (also the
// message id "admin.err.<code>") and its text in the page's language.
type formError struct {
	Field   string // the input's name, for the error summary's link
	Code    string
	Label   string // the field's name in the summary ("admin.field.<field>")
	Message string
}

// formErrors collects the errors of one submitted form. Its methods are
// nil-safe so that a page without errors can pass nil.
type formErrors struct {
	lang string
	list []formError
}

func newFormErrors(lang string) *formErrors { return &formErrors{lang: lang} }

// add records that field is wrong; the first error of a field wins.
func (e *formErrors) add(field, code string) {
	if e.For(field) != "" {
		return
	}
	e.list = append(e.list, formError{Field: field, Code: code, Label: translate(e.lang, "admin.field."+field),
		Message: translate(e.lang, "admin.err."+code)})
}

// Any reports whether there is an error.
func (e *formErrors) Any() bool { return e != nil && len(e.list) > 0 }

// For is the message of field's error, or "".
func (e *formErrors) For(field string) string {
	if e == nil {
		return ""
	}
	for _, fe := range e.list {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Code is the stable code of field's error, or "" (for tests and the API).
func (e *formErrors) Code(field string) string {
	if e == nil {
		return ""
	}
	for _, fe := range e.list {
		if fe.Field == field {
			return fe.Code
		}
	}
	return ""
}

// List is every error in the order found, for the summary above the form.
func (e *formErrors) List() []formError {
	if e == nil {
		return nil
	}
	return e.list
}

// parseAdminForm reads a form POST of at most maxFormBytes. On failure it has
// answered (413 for a body too large, 400 for one that cannot be parsed) and
// the handler must return.
func (s *Server) parseAdminForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", "")
		} else {
			s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		}
		return false
	}
	return true
}

// unavailable answers a request whose database work failed, and logs why.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.ErrorContext(r.Context(), what, "err", err)
	s.fail(w, r, http.StatusServiceUnavailable, "unavailable", "")
}

// pathID reads a numeric id from the path; anything else is no id.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// choice is one option of a select, radio group or checkbox group.
type choice = site.Choice

// choiceGroup is an optgroup of a select.
type choiceGroup = site.ChoiceGroup

// orgChoices groups organisations by type for a select, with selected
// (a slug) preselected.
func orgChoices(lang string, orgs []organisation.Organisation, selected string) []choiceGroup {
	var out []choiceGroup
	for _, o := range orgs {
		label := orgTypeLabel(lang, o.Type)
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, choiceGroup{Label: label})
		}
		g := &out[len(out)-1]
		g.Options = append(g.Options, choice{Value: o.Slug, Label: o.Name, Selected: o.Slug == selected})
	}
	return out
}

// roleChoices are the role checkboxes with the held roles checked.
func roleChoices(lang string, held account.Roles) []choice {
	var out []choice
	for _, r := range account.AllRoles() {
		out = append(out, choice{Value: r.String(), Label: translate(lang, "role."+r.String()), Selected: held.Has(r)})
	}
	return out
}

// roleLabels is a role set as the page language names it.
func roleLabels(lang string, roles account.Roles) string {
	var names []string
	for _, r := range roles.List() {
		names = append(names, translate(lang, "role."+r.String()))
	}
	return strings.Join(names, ", ")
}

// officeChoices lists an organisation's offices, "none" first.
func officeChoices(lang string, offices []store.Office, selected int64) []choice {
	out := []choice{{Value: "", Label: translate(lang, "admin.user.office.none"), Selected: selected == 0}}
	for _, o := range offices {
		out = append(out, choice{Value: itoa(o.ID), Label: o.Name, Selected: o.ID == selected})
	}
	return out
}

// orgTypeLabel names an organisation type.
func orgTypeLabel(lang string, t organisation.Type) string {
	return translate(lang, "admin.orgtype."+string(t))
}

// localTime formats a time as people in Sweden read it; zero is "".
func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(stockholm).Format("2006-01-02 15:04")
}

// pageLink is one link of a pager.
type pageLink struct {
	Href, Label string
}

// withQuery is path with the query values that are set.
func withQuery(path string, q url.Values) string { return site.WithQuery(path, q) }

// secretData is the page that shows a new password or token once: it is the
// answer to the POST that made it, never stored and never shown again.
type secretData struct {
	Heading, Lead, Label, Secret, Warning string
	Back                                  pageLink
}

func (s *Server) renderSecret(w http.ResponseWriter, r *http.Request, a *actor, d secretData) {
	s.render(w, r, http.StatusOK, "admin_secret", page{Title: d.Heading, Actor: a, Data: d})
}
