package admin

// The administration pages: users, organisations and their offices, API
// tokens, the audit log with its access-log extract for one person, the
// rejected certificates and the FMB table. Each page is in a file of its
// own (users.go, organisations.go, tokens.go, audit.go, rejected.go,
// fmb.go); this file holds what they share, and forms.go the validation of
// their forms.
//
// Access is decided twice, as everywhere: the route's action (ManageUsers,
// ManageOrganisations, ManageTokens, ReadAudit) in the guard, and then
// s.Authorize with the organisation that owns the user, token or office, so
// that an organisation's administrator gets 404 for anything of another
// organisation. The operator's administrators (system administrators) may
// manage every organisation.
//
// Every write is one transaction together with its audit entry.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// formError is one problem of a submitted form as the page shows it: the
// field (the input's name, for the error summary's link), its stable code,
// and the field's name ("admin.field.<field>") and the problem
// ("admin.err.<code>") in the page's language.
type formError struct {
	Field   string
	Code    string
	Label   string
	Message string
}

// formView is a form's problems (site.Problems, which the checks of
// forms.go add to) as a page shows them: at their fields and in a summary.
// Its zero value is a form without problems.
type formView struct {
	lang     string
	problems site.Problems
}

// problemsView is ps for a page in lang.
func problemsView(lang string, ps site.Problems) formView { return formView{lang: lang, problems: ps} }

// Any reports whether there is a problem.
func (v formView) Any() bool { return v.problems.Any() }

// For is the message of field's problem, or "".
func (v formView) For(field string) string {
	if code := v.problems.Code(field); code != "" {
		return translate(v.lang, "admin.err."+code)
	}
	return ""
}

// List is every problem in the order found, for the summary above the form.
func (v formView) List() []formError {
	var out []formError
	for _, p := range v.problems {
		out = append(out, formError{Field: p.Field, Code: p.Code, Label: translate(v.lang, "admin.field."+p.Field),
			Message: translate(v.lang, "admin.err."+p.Code)})
	}
	return out
}

// orgChoices groups organisations by type for a select, with selected
// (a slug) preselected.
func orgChoices(lang string, orgs []organisation.Organisation, selected string) []site.ChoiceGroup {
	var out []site.ChoiceGroup
	for _, o := range orgs {
		label := orgTypeLabel(lang, o.Type)
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, site.ChoiceGroup{Label: label})
		}
		g := &out[len(out)-1]
		g.Options = append(g.Options, site.Choice{Value: o.Slug, Label: o.Name, Selected: o.Slug == selected})
	}
	return out
}

// roleChoices are the role checkboxes with the held roles checked.
func roleChoices(lang string, held account.Roles) []site.Choice {
	var out []site.Choice
	for _, r := range account.AllRoles() {
		out = append(out, site.Choice{Value: r.String(), Label: translate(lang, "role."+r.String()), Selected: held.Has(r)})
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
func officeChoices(lang string, offices []store.Office, selected int64) []site.Choice {
	out := []site.Choice{{Value: "", Label: translate(lang, "admin.user.office.none"), Selected: selected == 0}}
	for _, o := range offices {
		out = append(out, site.Choice{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: o.ID == selected})
	}
	return out
}

// orgTypeLabel names an organisation type.
func orgTypeLabel(lang string, t organisation.Type) string {
	return translate(lang, "admin.orgtype."+string(t))
}

// pageLink is one link of a pager.
type pageLink struct {
	Href, Label string
}

// secretData is the page that shows a new password or token once: it is the
// answer to the POST that made it, never stored and never shown again.
type secretData struct {
	Heading, Lead, Label, Secret, Warning string
	Back                                  pageLink
}

func (s *Handlers) renderSecret(w http.ResponseWriter, r *http.Request, a *site.Actor, d secretData) error {
	s.Render(w, r, http.StatusOK, "admin_secret", site.Page{Title: d.Heading, Actor: a, Data: d})
	return nil
}
