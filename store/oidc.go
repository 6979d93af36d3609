package store

import (
	"context"
	"time"
)

// OIDCProvider is an organisation's own identity provider (single sign-on
// through OpenID Connect, e.g. SITHS cards through the agency's IdP).
type OIDCProvider struct {
	OrgID        int64
	OrgSlug      string
	Issuer       string
	ClientID     string
	ClientSecret string
	DisplayName  string
}

// SetOIDCProvider creates or replaces an organisation's provider.
func SetOIDCProvider(ctx context.Context, tx *Tx, p OIDCProvider) error {
	_, err := tx.Exec(ctx, `INSERT INTO oidc_providers (org_id, issuer, client_id, client_secret, display_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (org_id) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
			client_secret = excluded.client_secret, display_name = excluded.display_name`,
		p.OrgID, p.Issuer, p.ClientID, p.ClientSecret, p.DisplayName, time.Now().UTC())
	return err
}

// OIDCProviderBySlug finds the provider of the organisation with slug.
func OIDCProviderBySlug(ctx context.Context, q Querier, slug string) (OIDCProvider, error) {
	var p OIDCProvider
	err := q.QueryRow(ctx, `SELECT p.org_id, o.slug, p.issuer, p.client_id, p.client_secret, p.display_name
		FROM oidc_providers p JOIN organisations o ON o.id = p.org_id WHERE o.slug = $1`, slug).
		Scan(&p.OrgID, &p.OrgSlug, &p.Issuer, &p.ClientID, &p.ClientSecret, &p.DisplayName)
	return p, err
}

// OIDCProviders lists every configured provider.
func OIDCProviders(ctx context.Context, q Querier) ([]OIDCProvider, error) {
	return queryRows(ctx, q, func(p *OIDCProvider) []any {
		return []any{&p.OrgID, &p.OrgSlug, &p.Issuer, &p.ClientID, &p.ClientSecret, &p.DisplayName}
	}, `SELECT p.org_id, o.slug, p.issuer, p.client_id, p.client_secret, p.display_name
		FROM oidc_providers p JOIN organisations o ON o.id = p.org_id ORDER BY p.display_name`)
}

// OIDCLogin is a sign-in in progress: what the callback must match.
type OIDCLogin struct {
	StateHash    string
	OrgID        int64
	Nonce        string
	CodeVerifier string
	ExpiresAt    time.Time
}

// StartOIDCLogin records a sign-in in progress and forgets expired ones.
func StartOIDCLogin(ctx context.Context, tx *Tx, l OIDCLogin, now time.Time) error {
	if _, err := tx.Exec(ctx, "DELETE FROM oidc_logins WHERE expires_at < $1", now.UTC()); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "INSERT INTO oidc_logins (state_hash, org_id, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4, $5)",
		l.StateHash, l.OrgID, l.Nonce, l.CodeVerifier, l.ExpiresAt.UTC())
	return err
}

// TakeOIDCLogin returns and deletes the sign-in in progress with the state
// hash, so that a state can be used once only.
func TakeOIDCLogin(ctx context.Context, tx *Tx, stateHash string) (OIDCLogin, error) {
	var l OIDCLogin
	err := tx.QueryRow(ctx, "SELECT state_hash, org_id, nonce, code_verifier, expires_at FROM oidc_logins WHERE state_hash = $1", stateHash).
		Scan(&l.StateHash, &l.OrgID, &l.Nonce, &l.CodeVerifier, &l.ExpiresAt)
	if err != nil {
		return l, err
	}
	_, err = tx.Exec(ctx, "DELETE FROM oidc_logins WHERE state_hash = $1", stateHash)
	return l, err
}
