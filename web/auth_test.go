package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/testclient"
)

// clock is a settable time source for session-expiry tests.
type clock = fixture.Clock

// demoServer is a server over a database with the demo data set; every demo
// user's password is "demo".
func demoServer(t testing.TB, st *store.Store) (*Server, *clock) {
	t.Helper()
	if _, err := demo.LoadIfEmpty(context.Background(), st, demo.DefaultSeed, "demo"); err != nil {
		t.Fatal(err)
	}
	c := fixture.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	s, err := New(Config{Store: st, Version: "test", AuditKeys: testKeys(t), Demo: true, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	checkAnswersAgainstDocument(t, s)
	return s, c
}

// browser is a minimal cookie-keeping client over the handler in-process.
type browser = testclient.Client

// newBrowser is a browser of s that has not signed in.
func newBrowser(t *testing.T, s *Server) *browser { return browserOf(s) }

// browserOf is a browser of s; it finds s's handler at each request.
func browserOf(s *Server) *browser {
	return testclient.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.Handler().ServeHTTP(w, r) }))
}

// countAudit is how many entries of action with outcome the audit log
// holds.
var countAudit = fixture.AuditCount

// proxyServer is demoServer behind a TLS-terminating reverse proxy
// (--trust-proxy), with the trusted proxies' addresses given.
func proxyServer(t *testing.T, st *store.Store, trusted string) *Server {
	t.Helper()
	if _, err := demo.LoadIfEmpty(context.Background(), st, demo.DefaultSeed, "demo"); err != nil {
		t.Fatal(err)
	}
	proxies, err := ParseTrustedProxies(trusted)
	if err != nil {
		t.Fatal(err)
	}
	c := fixture.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	s, err := New(Config{Store: st, Version: "test", AuditKeys: testKeys(t), Demo: true, Now: c.Now, TrustProxy: true, TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestClientAddress: without --trust-proxy the peer; with it the rightmost
// X-Forwarded-For hop not added by a trusted proxy (by default the peer is
// the one trusted proxy); forwarded headers from a peer that is not a
// configured proxy are the client's own and ignored.
func TestClientAddress(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trust   bool
		trusted string
		peer    string
		xff     []string
		want    string
	}{
		{"no proxy: the peer", false, "", "203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"},
		{"one hop: the rightmost", true, "", "10.0.0.1:5000", []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{"one hop: the last header's rightmost", true, "", "10.0.0.1:5000", []string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"},
		{"one hop: no header", true, "", "10.0.0.1:5000", nil, "10.0.0.1"},
		{"one hop: a rightmost hop that is no address is the proxy's", true, "", "10.0.0.1:5000", []string{"203.0.113.9, junk"}, "10.0.0.1"},
		{"one hop: with a port", true, "", "10.0.0.1:5000", []string{"203.0.113.9:443"}, "203.0.113.9"},
		{"one hop: IPv6", true, "", "[fd00::1]:5000", []string{"2001:db8::7"}, "2001:db8::7"},
		{"one hop: IPv6 with a port", true, "", "[fd00::1]:5000", []string{"[2001:db8::7]:443"}, "2001:db8::7"},
		{"one hop: IPv4 in IPv6", true, "", "10.0.0.1:5000", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"trusted: skips the proxies", true, "10.0.0.0/8,192.0.2.50", "10.0.0.1:5000",
			[]string{"198.51.100.1, 203.0.113.9, 192.0.2.50, 10.1.2.3"}, "203.0.113.9"},
		{"trusted: every hop a proxy", true, "10.0.0.0/8", "10.0.0.1:5000", []string{"10.0.0.3, 10.0.0.2"}, "10.0.0.3"},
		{"trusted: a peer that is not one", true, "10.0.0.0/8", "203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"},
		{"trusted: IPv6 prefix", true, "fd00::/8", "[fd00::1]:5000", []string{"2001:db8::7, fd00::2"}, "2001:db8::7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxies, err := ParseTrustedProxies(tc.trusted)
			if err != nil {
				t.Fatal(err)
			}
			s := &Server{trustProxy: tc.trust, trustedProxies: proxies}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.remoteAddr(r); got != tc.want {
				t.Errorf("client %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.50 ,fd00::/8,2001:db8::1")
	if err != nil || len(got) != 4 || got[1].String() != "192.0.2.50/32" || got[3].String() != "2001:db8::1/128" {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.1,,"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSessionCookieIsSecure: over TLS, behind a trusted proxy that says
// https, and with an https public address; not over plain HTTP otherwise.
func TestSessionCookieIsSecure(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	if _, err := demo.LoadIfEmpty(context.Background(), st, demo.DefaultSeed, "demo"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		cfg    Config
		header []string
		want   bool
	}{
		{"plain HTTP", Config{}, nil, false},
		{"an http public address", Config{PublicURL: "http://localhost:8080"}, nil, false},
		{"an https public address", Config{PublicURL: "https://finsam.example.se"}, nil, true},
		{"an HTTPS public address", Config{PublicURL: "HTTPS://finsam.example.se/"}, nil, true},
		{"a trusted proxy on https", Config{TrustProxy: true}, []string{"X-Forwarded-Proto", "https"}, true},
		{"X-Forwarded-Proto without --trust-proxy", Config{}, []string{"X-Forwarded-Proto", "https"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Store, cfg.Version, cfg.AuditKeys = st, "test", testKeys(t)
			s, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rec := newBrowser(t, s).Do("POST", "/login", url.Values{"username": {"chef"}, "password": {"demo"}}, tc.header...)
			var got *http.Cookie
			for _, c := range rec.Result().Cookies() {
				if c.Name == sessionCookie {
					got = c
				}
			}
			if got == nil {
				t.Fatalf("no session cookie: %d", rec.Code)
			}
			if got.Secure != tc.want {
				t.Errorf("Secure %v, want %v", got.Secure, tc.want)
			}
			lang := newBrowser(t, s).Do("GET", "/login?lang=en", nil, tc.header...).Result().Cookies()
			if len(lang) != 1 || lang[0].Name != langCookie || lang[0].Secure != tc.want {
				t.Errorf("language cookie %+v, want Secure %v", lang, tc.want)
			}
		})
	}
}

func TestSessionTimeouts(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, clk := demoServer(t, st)
	b := newBrowser(t, s)
	b.Login("handlaggare", "demo")
	clk.Add(29 * time.Minute)
	if rec := b.Do("GET", "/account", nil); rec.Code != 200 {
		t.Fatalf("active within the idle limit: %d", rec.Code)
	}
	clk.Add(31 * time.Minute)
	if rec := b.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("idle 31 minutes and still signed in: %d", rec.Code)
	}
	// Absolute limit: active every 20 minutes, but out after 10 hours.
	b.Login("handlaggare", "demo")
	for range 29 {
		clk.Add(20 * time.Minute)
		if rec := b.Do("GET", "/account", nil); rec.Code != 200 {
			t.Fatalf("active session ended early at %v", clk.Now())
		}
	}
	clk.Add(20 * time.Minute) // 10 h 0 min since sign-in
	clk.Add(time.Minute)
	if rec := b.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("session outlived the absolute limit")
	}
}

func TestDisabledUserIsSignedOut(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := newBrowser(t, s)
	b.Login("forbund", "demo")
	ctx := context.Background()
	err := st.Tx(ctx, func(tx *store.Tx) error {
		u, err := store.UserByName(ctx, tx, "forbund")
		if err != nil {
			return err
		}
		u.Disabled = true
		return store.UpdateUser(ctx, tx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec := b.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("a disabled user's session still works")
	}
	if rec := newBrowser(t, s).Login("forbund", "demo"); rec.Code != http.StatusUnauthorized {
		t.Fatal("a disabled user signed in")
	}
}

func TestCrossOriginSignInIsRefused(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := newBrowser(t, s)
	rec := b.Do("POST", "/login", url.Values{"username": {"admin"}, "password": {"demo"}}, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	if rec.Code != http.StatusForbidden || b.Cookie(sessionCookie) != nil {
		t.Fatalf("cross-site sign-in: %d", rec.Code)
	}
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		ctx := context.Background()
		secret := account.NewSecret(account.TokenPrefix)
		var id int64
		err := st.Tx(ctx, func(tx *store.Tx) error {
			org, err := store.OrganisationBySlug(ctx, tx, "region-gotland")
			if err != nil {
				return err
			}
			id, err = store.CreateToken(ctx, tx, store.Token{OrgID: org.ID, Name: "t", Scopes: []account.Scope{account.ScopeCertificatesWrite}}, secret)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, s)
		// A valid token cannot use pages meant for signed-in people.
		if rec := b.Do("GET", "/account", nil, "Authorization", "Bearer "+secret); rec.Code != http.StatusForbidden {
			t.Fatalf("token on a user page: %d", rec.Code)
		}
		for _, bad := range []string{"Bearer fst_nope", "Basic abc", "Bearer " + account.NewSecret(account.TokenPrefix)} {
			rec := b.Do("GET", "/api/v1/openapi.json", nil, "Authorization", bad)
			if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"invalid_token"`) {
				t.Fatalf("%q: %d %s", bad, rec.Code, rec.Body)
			}
		}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.RevokeToken(ctx, tx, id) }); err != nil {
			t.Fatal(err)
		}
		if rec := b.Do("GET", "/api/v1/openapi.json", nil, "Authorization", "Bearer "+secret); rec.Code != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", rec.Code)
		}
	})
}

// TestPageIsNotSentWhenItsAuditFails: a read whose audit entry cannot be
// written must not reach the user.
func TestPageIsNotSentWhenItsAuditFails(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	s.route(KindPage, "GET /test/read", policy.SignedIn, func(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
		s.auditRead(r, a, a.Event(r, "read_person", audit.OutcomeOK, "person", "1"))
		return s.features.account.Page(w, r, a)
	})
	b := newBrowser(t, s)
	b.Login("handlaggare", "demo")
	if rec := b.Do("GET", "/test/read", nil); rec.Code != 200 {
		t.Fatalf("audited read: %d", rec.Code)
	}
	if countAudit(t, st, "read_person", "ok") != 1 {
		t.Fatal("the read was not audited")
	}
	s.audit.Close() // from now on nothing can be audited
	rec := b.Do("GET", "/test/read", nil)
	if rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "Hanna Handläggare") {
		t.Fatalf("unauditable read: %d, page sent: %v", rec.Code, strings.Contains(rec.Body.String(), "Hanna"))
	}
}
