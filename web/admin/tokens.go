package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
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
	OrgChoices []site.ChoiceGroup
	Scopes     []site.Choice
	Errs       formView
}

// Tokens lists the API tokens of the administrator's organisation (a
// system administrator's: everyone's, or ?org='s) and offers a new one.
func (s *Handlers) Tokens(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	msg := ""
	if r.URL.Query().Get("done") == "revoked" {
		msg = translate(site.Language(w, r), "admin.tokens.done.revoked")
	}
	return s.renderTokens(w, r, a, http.StatusOK, tokenForm{Org: r.URL.Query().Get("org")}, msg, nil)
}

func (s *Handlers) renderTokens(w http.ResponseWriter, r *http.Request, a *site.Actor, status int, f tokenForm, msg string, errs site.Problems) error {
	ctx := r.Context()
	lang := site.Language(w, r)
	d := adminTokensData{Filter: r.URL.Query().Get("org"), Message: msg, Form: f, OwnOrg: a.Org, Errs: problemsView(lang, errs)}
	orgID, names, err := s.listed(r, a, policy.ManageTokens, d.Filter)
	if err != nil {
		return err
	}
	tokens, err := store.Tokens(ctx, s.Store, orgID)
	if err != nil {
		return site.Unavailable("list tokens", err)
	}
	for _, t := range tokens {
		scopes := make([]string, len(t.Scopes))
		for i, sc := range t.Scopes {
			scopes[i] = string(sc)
		}
		d.Tokens = append(d.Tokens, tokenRow{ID: t.ID, Name: t.Name, Org: names[t.OrgID], Prefix: t.Prefix + "…",
			Scopes: strings.Join(scopes, ", "), Created: site.LocalTime(t.CreatedAt), LastUsed: site.LocalTime(t.LastUsedAt),
			Revoked: site.LocalTime(t.RevokedAt), Active: t.RevokedAt.IsZero()})
	}
	if a.SystemAdmin {
		orgs, err := store.Organisations(ctx, s.Store, "")
		if err != nil {
			return site.Unavailable("list organisations", err)
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
		d.Scopes = append(d.Scopes, site.Choice{Value: string(sc), Label: translate(lang, scopeMessage(sc)), Selected: checked})
	}
	s.Render(w, r, status, "admin_tokens", site.Page{Lang: lang, Title: translate(lang, "admin.tokens.title"), Actor: a, Data: d})
	return nil
}

// scopeMessage is the message id describing a scope ("certificates:write"
// is "admin.scope.certificates.write").
func scopeMessage(sc account.Scope) string {
	return "admin.scope." + strings.ReplaceAll(string(sc), ":", ".")
}

// TokenCreate makes an API token for the administrator's organisation
// (a system administrator's: any). The token is shown once, in the answer to
// this POST; the database keeps only its hash.
func (s *Handlers) TokenCreate(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	lang := site.Language(w, r)
	slug := a.Org.Slug
	if a.SystemAdmin && r.PostForm.Get("org") != "" {
		slug = r.PostForm.Get("org")
	}
	org, err := s.adminOrg(r, a, policy.ManageTokens, slug)
	if err != nil {
		return err
	}
	var errs site.Problems
	f := tokenForm{Org: org.Slug, Scopes: r.PostForm["scopes"]}
	f.Name = text(&errs, "name", r.PostForm.Get("name"), true, maxTokenName)
	var scopes []account.Scope
	for _, v := range f.Scopes {
		if !account.ValidScope(v) {
			errs.Add("scopes", "unknown_scope")
			break
		}
		scopes = append(scopes, account.Scope(v))
	}
	if len(f.Scopes) == 0 {
		errs.Add("scopes", "no_scope")
	}
	if errs.Any() {
		return s.renderTokens(w, r, a, http.StatusUnprocessableEntity, f, "", errs)
	}
	secret := account.NewSecret(account.TokenPrefix)
	var id int64
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = store.CreateToken(ctx, tx, store.Token{OrgID: org.ID, Name: f.Name, Scopes: scopes, CreatedBy: a.User.ID}, secret)
		if err != nil {
			return err
		}
		e := a.Event(r, "create_token", audit.OutcomeOK, "token", strconv.FormatInt(id, 10))
		e.Purpose = "org=" + org.Slug + " scopes=" + strings.Join(f.Scopes, ",")
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
	if err != nil {
		return site.Unavailable("create token", err)
	}
	return s.renderSecret(w, r, a, secretData{
		Heading: translate(lang, "admin.tokens.done.created"),
		Lead:    translate(lang, "admin.secret.token.lead"),
		Label:   translate(lang, "admin.secret.token"),
		Secret:  secret,
		Warning: translate(lang, "admin.secret.token.once"),
		Back:    pageLink{Href: "/admin/tokens", Label: translate(lang, "admin.secret.totokens")},
	})
}

// TokenRevoke revokes a token at once, after a confirmation page;
// revoking twice changes nothing.
func (s *Handlers) TokenRevoke(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if err := site.ParseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	id, ok := site.PathID(r, "id")
	if !ok {
		return site.NotFound()
	}
	t, err := store.TokenByID(ctx, s.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		return site.NotFound()
	} else if err != nil {
		return site.Unavailable("find token", err)
	}
	if err := s.Authorize(r, a, policy.ManageTokens, policy.Resource{OrgID: t.OrgID}, "token", strconv.FormatInt(t.ID, 10)); err != nil {
		return err
	}
	if t.RevokedAt.IsZero() && !site.Confirmed(r.PostForm) {
		lang := site.Language(w, r)
		s.Confirm(w, r, a, site.Confirmation{Title: translate(lang, "admin.token.confirm.title"),
			Lead:   []string{fmt.Sprintf(translate(lang, "admin.token.confirm.what"), t.Name, t.Prefix), translate(lang, "admin.token.confirm.after")},
			Action: fmt.Sprintf("/admin/tokens/%d/revoke", t.ID), Values: r.PostForm,
			Submit: translate(lang, "admin.token.confirm.submit"), Back: "/admin/tokens"})
		return nil
	}
	if t.RevokedAt.IsZero() {
		err = s.Store.Tx(ctx, func(tx *store.Tx) error {
			if err := store.RevokeToken(ctx, tx, t.ID); err != nil {
				return err
			}
			return store.AppendAudit(ctx, tx, s.Audit.Keys(), a.Event(r, "revoke_token", audit.OutcomeOK, "token", strconv.FormatInt(t.ID, 10)))
		})
		if err != nil {
			return site.Unavailable("revoke token", err)
		}
	}
	http.Redirect(w, r, "/admin/tokens?done=revoked", http.StatusSeeOther)
	return nil
}
