package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// clock is a settable time source for session-expiry tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// demoServer is a server over a database with the demo data set; every demo
// user's password is "demo".
func demoServer(t testing.TB, st *store.Store) (*Server, *clock) {
	t.Helper()
	if _, err := demo.LoadIfEmpty(context.Background(), st, demo.DefaultSeed, "demo"); err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	s, err := New(Config{Store: st, Version: "test", AuditKeys: testKeys(t), Demo: true, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	checkAnswersAgainstDocument(t, s)
	return s, c
}

// browser is a minimal cookie-keeping client over the handler in-process.
type browser struct {
	t       *testing.T
	s       *Server
	cookies map[string]*http.Cookie
	addr    string
}

func newBrowser(t *testing.T, s *Server) *browser {
	return &browser{t: t, s: s, cookies: map[string]*http.Cookie{}, addr: "192.0.2.10:5555"}
}

func (b *browser) do(method, target string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = b.addr
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.s.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

func (b *browser) login(user, password string) *httptest.ResponseRecorder {
	return b.do("POST", "/login", url.Values{"username": {user}, "password": {password}})
}

func countAudit(t *testing.T, st *store.Store, action, outcome string) int {
	t.Helper()
	var n int
	if err := st.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = $2", action, outcome).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignInAndOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		b := newBrowser(t, s)
		if rec := b.do("GET", "/account", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Faccount" {
			t.Fatalf("anonymous /account: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		rec := b.do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}, "next": {"/account"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account" {
			t.Fatalf("sign in: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		c := b.cookies[sessionCookie]
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
			t.Fatalf("session cookie %+v", c)
		}
		page := b.do("GET", "/account", nil)
		if page.Code != 200 || !strings.Contains(page.Body.String(), "Hanna Handläggare") || !strings.Contains(page.Body.String(), "Lokalt försäkringscenter Visby") {
			t.Fatalf("account page: %d", page.Code)
		}
		if strings.Contains(page.Body.String(), "/admin/users") {
			t.Fatal("a case worker's navigation offers administration")
		}
		if countAudit(t, st, "sign_in", "ok") != 1 {
			t.Fatal("sign-in not audited")
		}
		if rec := b.do("POST", "/logout", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d", rec.Code)
		}
		if rec := b.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("after logout /account: %d", rec.Code)
		}
		// The old cookie is worthless on the server too.
		b.cookies[sessionCookie] = c
		if rec := b.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("replayed session after logout: %d", rec.Code)
		}
	})
}

func TestSignInRotatesTheSessionID(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := newBrowser(t, s)
	b.login("handlaggare", "demo")
	first := b.cookies[sessionCookie].Value
	b.login("handlaggare", "demo")
	second := b.cookies[sessionCookie].Value
	if first == second {
		t.Fatal("session id not rotated at sign-in")
	}
	b.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: first}
	if rec := b.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("the session replaced at sign-in still works")
	}
}

func TestWrongPasswordsLockTheAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, clk := demoServer(t, st)
		b := newBrowser(t, s)
		for i := range maxFailures {
			rec := b.login("chef", "wrong")
			if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Fel användarnamn eller lösenord") {
				t.Fatalf("attempt %d: %d %s", i, rec.Code, rec.Body)
			}
		}
		// Locked: even the right password fails, with the same message.
		if rec := b.login("chef", "demo"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("locked account signed in: %d", rec.Code)
		}
		// An unknown user gets exactly the same answer.
		unknown := b.login("no-such-user", "demo")
		if unknown.Code != http.StatusUnauthorized || !strings.Contains(unknown.Body.String(), "Fel användarnamn eller lösenord") {
			t.Fatalf("unknown user: %d", unknown.Code)
		}
		clk.Add(lockFor + time.Second)
		if rec := b.login("chef", "demo"); rec.Code != http.StatusSeeOther {
			t.Fatalf("after the lockout: %d", rec.Code)
		}
		if n := countAudit(t, st, "sign_in", "failed"); n != maxFailures+2 {
			t.Fatalf("%d failed sign-ins audited, want %d", n, maxFailures+2)
		}
	})
}

func TestManyFailuresFromOneAddressAreThrottled(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, clk := demoServer(t, st)
	b := newBrowser(t, s)
	for i := range addrMaxFailures {
		b.login("user"+itoa(int64(i)), "x") // different (unknown) accounts
	}
	if rec := b.login("handlaggare", "demo"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("want 429 after %d failures from one address, got %d", addrMaxFailures, rec.Code)
	}
	other := newBrowser(t, s)
	other.addr = "198.51.100.7:1234"
	if rec := other.login("handlaggare", "demo"); rec.Code != http.StatusSeeOther {
		t.Fatalf("another address is throttled too: %d", rec.Code)
	}
	clk.Add(addrWindow + time.Second)
	if rec := b.login("handlaggare", "demo"); rec.Code != http.StatusSeeOther {
		t.Fatalf("throttle did not lift: %d", rec.Code)
	}
}

func TestSessionTimeouts(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, clk := demoServer(t, st)
	b := newBrowser(t, s)
	b.login("handlaggare", "demo")
	clk.Add(29 * time.Minute)
	if rec := b.do("GET", "/account", nil); rec.Code != 200 {
		t.Fatalf("active within the idle limit: %d", rec.Code)
	}
	clk.Add(31 * time.Minute)
	if rec := b.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("idle 31 minutes and still signed in: %d", rec.Code)
	}
	// Absolute limit: active every 20 minutes, but out after 10 hours.
	b.login("handlaggare", "demo")
	for range 29 {
		clk.Add(20 * time.Minute)
		if rec := b.do("GET", "/account", nil); rec.Code != 200 {
			t.Fatalf("active session ended early at %v", clk.Now())
		}
	}
	clk.Add(20 * time.Minute) // 10 h 0 min since sign-in
	clk.Add(time.Minute)
	if rec := b.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("session outlived the absolute limit")
	}
}

func TestSignOutEverywhere(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	laptop, phone := newBrowser(t, s), newBrowser(t, s)
	laptop.login("admin", "demo")
	phone.login("admin", "demo")
	if rec := laptop.do("POST", "/account/sessions/end-all", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("end all: %d", rec.Code)
	}
	if rec := phone.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("the other session survived sign-out everywhere")
	}
}

func TestChangePassword(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b, other := newBrowser(t, s), newBrowser(t, s)
	b.login("styrelse", "demo")
	other.login("styrelse", "demo")
	for _, tc := range []struct {
		current, next, repeat string
		status                int
	}{
		{"wrong", "a-long-new-password", "a-long-new-password", 422},
		{"demo", "short", "short", 422},
		{"demo", "a-long-new-password", "another-long-password", 422},
		{"demo", "a-long-new-password", "a-long-new-password", 200},
	} {
		rec := b.do("POST", "/account/password", url.Values{"current": {tc.current}, "new": {tc.next}, "repeat": {tc.repeat}})
		if rec.Code != tc.status {
			t.Fatalf("%+v: %d", tc, rec.Code)
		}
	}
	if rec := other.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("other sessions survived a password change")
	}
	if rec := newBrowser(t, s).login("styrelse", "a-long-new-password"); rec.Code != http.StatusSeeOther {
		t.Fatal("new password does not work")
	}
}

func TestDisabledUserIsSignedOut(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := newBrowser(t, s)
	b.login("forbund", "demo")
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
	if rec := b.do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("a disabled user's session still works")
	}
	if rec := newBrowser(t, s).login("forbund", "demo"); rec.Code != http.StatusUnauthorized {
		t.Fatal("a disabled user signed in")
	}
}

func TestOpenRedirectIsRefused(t *testing.T) {
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""} {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
	if got := safeNext("/account?x=1"); got != "/account?x=1" {
		t.Errorf("local path refused: %q", got)
	}
}

func TestOversizedSignInIs413(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := newBrowser(t, s)
	rec := b.do("POST", "/login", url.Values{"username": {"x"}, "password": {strings.Repeat("a", maxFormBytes*2)}})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestCrossOriginSignInIsRefused(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := newBrowser(t, s)
	rec := b.do("POST", "/login", url.Values{"username": {"admin"}, "password": {"demo"}}, "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	if rec.Code != http.StatusForbidden || b.cookies[sessionCookie] != nil {
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
		if rec := b.do("GET", "/account", nil, "Authorization", "Bearer "+secret); rec.Code != http.StatusForbidden {
			t.Fatalf("token on a user page: %d", rec.Code)
		}
		for _, bad := range []string{"Bearer fst_nope", "Basic abc", "Bearer " + account.NewSecret(account.TokenPrefix)} {
			rec := b.do("GET", "/api/v1/openapi.json", nil, "Authorization", bad)
			if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"invalid_token"`) {
				t.Fatalf("%q: %d %s", bad, rec.Code, rec.Body)
			}
		}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return store.RevokeToken(ctx, tx, id) }); err != nil {
			t.Fatal(err)
		}
		if rec := b.do("GET", "/api/v1/openapi.json", nil, "Authorization", "Bearer "+secret); rec.Code != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", rec.Code)
		}
	})
}

// TestPageIsNotSentWhenItsAuditFails: a read whose audit entry cannot be
// written must not reach the user.
func TestPageIsNotSentWhenItsAuditFails(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	s.page("GET /test/read", policy.SignedIn, func(w http.ResponseWriter, r *http.Request, a *actor) {
		s.auditRead(r, a, a.event(r, "read_person", audit.OutcomeOK, "person", "1"))
		s.accountPage(w, r, a)
	})
	b := newBrowser(t, s)
	b.login("handlaggare", "demo")
	if rec := b.do("GET", "/test/read", nil); rec.Code != 200 {
		t.Fatalf("audited read: %d", rec.Code)
	}
	if countAudit(t, st, "read_person", "ok") != 1 {
		t.Fatal("the read was not audited")
	}
	s.audit.Close() // from now on nothing can be audited
	rec := b.do("GET", "/test/read", nil)
	if rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "Hanna Handläggare") {
		t.Fatalf("unauditable read: %d, page sent: %v", rec.Code, strings.Contains(rec.Body.String(), "Hanna"))
	}
}
