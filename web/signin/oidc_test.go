package signin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/webtest"
)

// oidcSetup runs finsam over HTTP with FK signing in through a test identity
// provider, and a user linked to the subject "siths-1234".
func oidcSetup(t *testing.T, st *store.Store) (*httptest.Server, *testIdP) {
	t.Helper()
	if _, err := demo.LoadIfEmpty(context.Background(), st, demo.DefaultSeed, webtest.DemoPassword); err != nil {
		t.Fatal(err)
	}
	// The real clock: the IdP issues tokens for the real time.
	s := webtest.Bare(t, st, func(cfg *web.Config) { cfg.Demo = true })
	idp := newTestIdP(t)
	idp.subject = "siths-1234"
	ctx := context.Background()
	err := st.Tx(ctx, func(tx *store.Tx) error {
		fk, err := store.OrganisationBySlug(ctx, tx, "fk")
		if err != nil {
			return err
		}
		if err := store.SetOIDCProvider(ctx, tx, store.OIDCProvider{OrgID: fk.ID, Issuer: idp.URL, ClientID: idp.clientID,
			ClientSecret: idp.clientSecret, DisplayName: "SITHS (test)"}); err != nil {
			return err
		}
		_, err = store.CreateUser(ctx, tx, store.User{Username: "sso-user", Name: "Sara SSO (demo)", OrgID: fk.ID,
			Roles: account.RolesOf(account.CaseWorker), OIDCSubject: "siths-1234"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, idp
}

func client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSingleSignOnThroughOIDC(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		srv, _ := oidcSetup(t, st)
		c := client(t)
		_, login := get(t, c, srv.URL+"/login")
		if !strings.Contains(login, `href="/login/oidc/fk"`) || !strings.Contains(login, "SITHS (test)") {
			t.Fatal("the sign-in page does not offer the organisation's provider")
		}
		status, body := get(t, c, srv.URL+"/login/oidc/fk") // follows the redirects through the IdP and back
		if status != 200 || !strings.Contains(body, "Sara SSO") {
			t.Fatalf("after single sign-on: %d, signed in as Sara? %v", status, strings.Contains(body, "Sara SSO"))
		}
		if status, body := get(t, c, srv.URL+"/account"); status != 200 || !strings.Contains(body, "sso-user") {
			t.Fatalf("account after SSO: %d", status)
		}
		if countAudit(t, st, "sign_in", "ok") != 1 {
			t.Fatal("single sign-on not audited")
		}
	})
}

func TestSingleSignOnFailures(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	srv, idp := oidcSetup(t, st)
	cases := []struct {
		name  string
		setup func()
	}{
		{"unknown subject", func() { idp.subject = "someone-else" }},
		{"wrong nonce", func() { idp.tamper = func(c map[string]any) { c["nonce"] = "replayed" } }},
		{"wrong audience", func() { idp.tamper = func(c map[string]any) { c["aud"] = "another-client" } }},
		{"expired token", func() { idp.tamper = func(c map[string]any) { c["exp"] = int64(1000) } }},
		{"wrong issuer", func() { idp.tamper = func(c map[string]any) { c["iss"] = "https://evil.example" } }},
	}
	for _, tc := range cases {
		idp.subject, idp.tamper = "siths-1234", nil
		tc.setup()
		c := client(t)
		status, body := get(t, c, srv.URL+"/login/oidc/fk")
		if status != http.StatusUnauthorized || !strings.Contains(body, "Inloggningen via din organisation misslyckades") {
			t.Errorf("%s: status %d", tc.name, status)
		}
		// /account redirects to the sign-in page unless signed in.
		if _, body := get(t, c, srv.URL+"/account"); strings.Contains(body, "sso-user") {
			t.Errorf("%s: signed in anyway", tc.name)
		}
	}
	// A forged callback with a state finsam never issued.
	c := client(t)
	if status, _ := get(t, c, srv.URL+"/login/oidc/fk/callback?code=x&state=forged"); status != http.StatusUnauthorized {
		t.Errorf("forged state: %d", status)
	}
	if status, _ := get(t, c, srv.URL+"/login/oidc/no-such-org"); status != http.StatusNotFound {
		t.Errorf("unknown organisation: %d", status)
	}
	if n := countAudit(t, st, "sign_in", "failed"); n != len(cases)+1 {
		t.Errorf("%d failed sign-ins audited, want %d", n, len(cases)+1)
	}
}
