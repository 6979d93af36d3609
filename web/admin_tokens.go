package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

type tokenRow struct {
	ID                         int64
	Name, Org, Prefix, Scopes  string
	Created, LastUsed, Revoked string
	Active                     bool
}

// tokenForm is what the new-token form submits.
type tokenForm struct {
	Name, Org string
	Scopes    []string
}

type adminTokensData struct {
	Tokens  []tokenRow
	Filter  string // an organisation's slug, for system administrators
	Message string
	Form    tokenForm
	// OwnOrg is the organisation new tokens belong to when the
	// administrator may not choose (OrgChoices is then empty).
	OwnOrg     organisation.Organisation
	OrgChoices []choiceGroup
	Scopes     []choice
	Errs       *formErrors
}

// adminTokens lists the API tokens of the administrator's organisation (a
// system administrator's: everyone's, or ?org='s) and offers a new one.
func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request, a *actor) {
	msg := ""
	if r.URL.Query().Get("done") == "revoked" {
		msg = translate(language(w, r), "admin.tokens.done.revoked")
	}
	s.renderTokens(w, r, a, http.StatusOK, tokenForm{Org: r.URL.Query().Get("org")}, msg, nil)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, a *actor, status int, f tokenForm, msg string, errs *formErrors) {
	ctx := r.Context()
	lang := language(w, r)
	d := adminTokensData{Filter: r.URL.Query().Get("org"), Message: msg, Form: f, OwnOrg: a.Org, Errs: errs}
	orgID := a.AdminOrgID()
	if d.Filter != "" {
		org, ok := s.adminOrg(w, r, a, policy.ManageTokens, d.Filter)
		if !ok {
			return
		}
		orgID = org.ID
	}
	tokens, err := store.Tokens(ctx, s.store, orgID)
	if err != nil {
		s.unavailable(w, r, "list tokens", err)
		return
	}
	names, err := s.orgNames(ctx)
	if err != nil {
		s.unavailable(w, r, "list organisations", err)
		return
	}
	for _, t := range tokens {
		scopes := make([]string, len(t.Scopes))
		for i, sc := range t.Scopes {
			scopes[i] = string(sc)
		}
		d.Tokens = append(d.Tokens, tokenRow{ID: t.ID, Name: t.Name, Org: names[t.OrgID], Prefix: t.Prefix + "…",
			Scopes: strings.Join(scopes, ", "), Created: localTime(t.CreatedAt), LastUsed: localTime(t.LastUsedAt),
			Revoked: localTime(t.RevokedAt), Active: t.RevokedAt.IsZero()})
	}
	if a.SystemAdmin {
		orgs, err := store.Organisations(ctx, s.store, "")
		if err != nil {
			s.unavailable(w, r, "list organisations", err)
			return
		}
		selected := f.Org
		if selected == "" {
			selected = a.Org.Slug
		}
		d.OrgChoices = orgChoices(lang, orgs, selected)
	}
	for _, sc := range account.KnownScopes {
		checked := false
		for _, v := range f.Scopes {
			checked = checked || v == string(sc)
		}
		d.Scopes = append(d.Scopes, choice{Value: string(sc), Label: translate(lang, scopeMessage(sc)), Selected: checked})
	}
	s.render(w, r, status, "admin_tokens", page{Lang: lang, Title: translate(lang, "admin.tokens.title"), Actor: a, Data: d})
}

// scopeMessage is the message id describing a scope ("certificates:write"
// is "admin.scope.certificates.write").
func scopeMessage(sc account.Scope) string {
	return "admin.scope." + strings.ReplaceAll(string(sc), ":", ".")
}

// adminTokenCreate makes an API token for the administrator's organisation
// (a system administrator's: any). The token is shown once, in the answer to
// this POST; the database keeps only its hash.
func (s *Server) adminTokenCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	ctx := r.Context()
	lang := language(w, r)
	slug := a.Org.Slug
	if a.SystemAdmin && r.PostForm.Get("org") != "" {
		slug = r.PostForm.Get("org")
	}
	org, ok := s.adminOrg(w, r, a, policy.ManageTokens, slug)
	if !ok {
		return
	}
	errs := newFormErrors(lang)
	f := tokenForm{Org: org.Slug, Scopes: r.PostForm["scopes"]}
	f.Name = text(errs, "name", r.PostForm.Get("name"), true, maxTokenName)
	var scopes []account.Scope
	for _, v := range f.Scopes {
		if !account.ValidScope(v) {
			errs.add("scopes", "unknown_scope")
			break
		}
		scopes = append(scopes, account.Scope(v))
	}
	if len(f.Scopes) == 0 {
		errs.add("scopes", "no_scope")
	}
	if errs.Any() {
		s.renderTokens(w, r, a, http.StatusUnprocessableEntity, f, "", errs)
		return
	}
	secret := account.NewSecret(account.TokenPrefix)
	var id int64
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = store.CreateToken(ctx, tx, store.Token{OrgID: org.ID, Name: f.Name, Scopes: scopes, CreatedBy: a.User.ID}, secret)
		if err != nil {
			return err
		}
		e := a.Event(r, "create_token", audit.OutcomeOK, "token", itoa(id))
		e.Purpose = "org=" + org.Slug + " scopes=" + strings.Join(f.Scopes, ",")
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if err != nil {
		s.unavailable(w, r, "create token", err)
		return
	}
	s.renderSecret(w, r, a, secretData{
		Heading: translate(lang, "admin.tokens.done.created"),
		Lead:    translate(lang, "admin.secret.token.lead"),
		Label:   translate(lang, "admin.secret.token"),
		Secret:  secret,
		Warning: translate(lang, "admin.secret.token.once"),
		Back:    pageLink{Href: "/admin/tokens", Label: translate(lang, "admin.secret.totokens")},
	})
}

// adminTokenRevoke revokes a token at once; revoking twice changes nothing.
func (s *Server) adminTokenRevoke(w http.ResponseWriter, r *http.Request, a *actor) {
	if !s.parseAdminForm(w, r) {
		return
	}
	ctx := r.Context()
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return
	}
	t, err := store.TokenByID(ctx, s.store, id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "not_found", "")
		return
	} else if err != nil {
		s.unavailable(w, r, "find token", err)
		return
	}
	if !s.authorize(w, r, a, policy.ManageTokens, policy.Resource{OrgID: t.OrgID}, "token", itoa(t.ID)) {
		return
	}
	if t.RevokedAt.IsZero() {
		err = s.store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.RevokeToken(ctx, tx, t.ID); err != nil {
				return err
			}
			return store.AppendAudit(ctx, tx, s.audit.Keys(), a.Event(r, "revoke_token", audit.OutcomeOK, "token", itoa(t.ID)))
		})
		if err != nil {
			s.unavailable(w, r, "revoke token", err)
			return
		}
	}
	http.Redirect(w, r, "/admin/tokens?done=revoked", http.StatusSeeOther)
}
