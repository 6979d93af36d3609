package signin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"golang.org/x/oauth2"
)

// oidcLoginTTL is how long a sign-in at the identity provider may take.
const oidcLoginTTL = 10 * time.Minute

// oidcButtons lists the organisations that sign in through their own
// identity provider, for the sign-in page.
func (s *Handlers) oidcButtons(ctx context.Context) []oidcButton {
	providers, err := store.OIDCProviders(ctx, s.Store)
	if err != nil {
		s.Log.ErrorContext(ctx, "list identity providers", "err", err)
		return nil
	}
	out := make([]oidcButton, len(providers))
	for i, p := range providers {
		out[i] = oidcButton{Slug: p.OrgSlug, Name: p.DisplayName}
	}
	return out
}

// oidcClients caches discovered providers by issuer: discovery is an HTTP
// round trip to the identity provider and its keys are cached inside.
type oidcClients struct {
	mu        sync.Mutex
	providers map[string]*oidc.Provider
}

func (c *oidcClients) provider(ctx context.Context, issuer string) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.providers[issuer]; ok {
		return p, nil
	}
	// Discovery outlives this request: the provider object keeps fetching
	// keys with the context it was made with.
	p, err := oidc.NewProvider(context.WithoutCancel(ctx), issuer)
	if err != nil {
		return nil, err
	}
	if c.providers == nil {
		c.providers = map[string]*oidc.Provider{}
	}
	c.providers[issuer] = p
	return p, nil
}

func (s *Handlers) oauthConfig(ctx context.Context, r *http.Request, p store.OIDCProvider) (*oauth2.Config, *oidc.Provider, error) {
	prov, err := s.oidc.provider(ctx, p.Issuer)
	if err != nil {
		return nil, nil, err
	}
	return &oauth2.Config{
		ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: prov.Endpoint(),
		RedirectURL: s.baseURL(r) + "/login/oidc/" + p.OrgSlug + "/callback",
		Scopes:      []string{oidc.ScopeOpenID},
	}, prov, nil
}

// baseURL is this site's address as the browser sees it.
func (s *Handlers) baseURL(r *http.Request) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	scheme := "http"
	if site.SecureRequest(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// OIDCStart is GET /login/oidc/{org}: it sends the browser to the organisation's identity provider, with
// state (against forged callbacks), nonce (against replayed tokens) and PKCE
// (against stolen codes).
func (s *Handlers) OIDCStart(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	p, err := store.OIDCProviderBySlug(ctx, s.Store, r.PathValue("org"))
	if errors.Is(err, store.ErrNotFound) {
		return site.NotFound()
	} else if err != nil {
		return site.Unavailable("identity provider", err)
	}
	cfg, _, err := s.oauthConfig(ctx, r, p)
	if err != nil {
		s.Log.ErrorContext(ctx, "identity provider discovery", "issuer", p.Issuer, "err", err)
		return s.renderLogin(w, r, http.StatusBadGateway, loginData{Next: "/", Error: translate(site.Language(w, r), "login.sso.failed")})
	}
	state := account.NewSecret("")
	nonce := account.NewSecret("")
	verifier := oauth2.GenerateVerifier()
	now := s.Now()
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		return store.StartOIDCLogin(ctx, tx, store.OIDCLogin{StateHash: account.HashSecret(state), OrgID: p.OrgID,
			Nonce: nonce, CodeVerifier: verifier, ExpiresAt: now.Add(oidcLoginTTL)}, now)
	})
	if err != nil {
		return site.Unavailable("start single sign-on", err)
	}
	http.Redirect(w, r, cfg.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
	return nil
}

// OIDCCallback is GET /login/oidc/{org}/callback: it finishes the sign-in: checks state, exchanges the code,
// verifies the ID token and signs in the user linked to its subject. Users
// are not created here: an administrator links a person to their subject.
func (s *Handlers) OIDCCallback(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	slug := r.PathValue("org")
	lang := site.Language(w, r)
	failed := func(reason string, err error) error {
		s.Log.WarnContext(ctx, "single sign-on failed", "org", slug, "reason", reason, "err", err)
		s.auditLogin(ctx, r, nil, "oidc:"+slug, a.RemoteAddr, audit.OutcomeFailed, "single sign-on: "+reason)
		return s.renderLogin(w, r, http.StatusUnauthorized, loginData{Next: "/", Error: translate(lang, "login.sso.failed")})
	}
	p, err := store.OIDCProviderBySlug(ctx, s.Store, slug)
	if err != nil {
		return failed("no provider for organisation", err)
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return failed("provider said "+site.AuditText(e), nil)
	}
	var login store.OIDCLogin
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		login, err = store.TakeOIDCLogin(ctx, tx, account.HashSecret(q.Get("state")))
		return err
	})
	if err != nil || login.OrgID != p.OrgID || s.Now().After(login.ExpiresAt) {
		return failed("unknown, used or expired state", err)
	}
	cfg, prov, err := s.oauthConfig(ctx, r, p)
	if err != nil {
		return failed("discovery", err)
	}
	tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(login.CodeVerifier))
	if err != nil {
		return failed("code exchange", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return failed("no id_token", nil)
	}
	idt, err := prov.VerifierContext(ctx, &oidc.Config{ClientID: p.ClientID, Now: s.Now}).Verify(ctx, raw)
	if err != nil {
		return failed("id_token verification", err)
	}
	if idt.Nonce != login.Nonce {
		return failed("nonce mismatch", nil)
	}
	u, err := store.UserBySubject(ctx, s.Store, p.OrgID, idt.Subject)
	if err != nil || u.Disabled {
		return failed(fmt.Sprintf("no active user linked to subject %q", site.AuditText(idt.Subject)), err)
	}
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := s.StartSession(ctx, w, r, tx, &u, a.RemoteAddr); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), s.loginEvent(r, true, &u, u.Username, a.RemoteAddr, audit.OutcomeOK, "single sign-on via "+p.Issuer))
	})
	if err != nil {
		return site.Unavailable("single sign-on", err)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
