package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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

// TestWrongPasswordsMakeTheNextAttemptWait: no account is locked; each
// failure of a name from an address makes its next attempt from there wait
// longer, told in words and in Retry-After, and the same for a name that
// does not exist. The owner at another address signs in meanwhile.
func TestWrongPasswordsMakeTheNextAttemptWait(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, clk := demoServer(t, st)
		b := newBrowser(t, s)
		for _, user := range []string{"chef", "no-such-user"} {
			for i := range pairFree {
				rec := b.login(user, "wrong")
				if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Fel användarnamn eller lösenord") {
					t.Fatalf("%s, attempt %d: %d %s", user, i, rec.Code, rec.Body)
				}
			}
			for _, wait := range []int{1, 2, 4, 8} {
				rec := b.login(user, "demo")
				if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != itoa(int64(wait)) ||
					!strings.Contains(rec.Body.String(), fmt.Sprintf("Vänta %d sekunder och försök igen", wait)) ||
					!strings.Contains(rec.Body.String(), "Kontakta din administratör") {
					t.Fatalf("%s: want 429 with a wait of %ds, got %d %s %s", user, wait, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
				}
				clk.Add(time.Duration(wait) * time.Second)
				if rec := b.login(user, "wrong"); rec.Code != http.StatusUnauthorized {
					t.Fatalf("%s: after waiting %ds: %d", user, wait, rec.Code)
				}
			}
		}
		// The owner elsewhere is not held up.
		other := newBrowser(t, s)
		other.addr = "198.51.100.7:1234"
		if rec := other.login("chef", "demo"); rec.Code != http.StatusSeeOther {
			t.Fatalf("the owner at another address: %d", rec.Code)
		}
		// In English too.
		rec := b.do("POST", "/login?lang=en", url.Values{"username": {"no-such-user"}, "password": {"demo"}})
		if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "Wait 16 seconds and try again") {
			t.Fatalf("English: %d %s", rec.Code, rec.Body)
		}
		// After the wait the right password works, and the failures of
		// that address are forgotten.
		clk.Add(16 * time.Second)
		if rec := b.login("chef", "demo"); rec.Code != http.StatusSeeOther {
			t.Fatalf("after the wait: %d", rec.Code)
		}
		if rec := newBrowser(t, s).login("chef", "wrong"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("a failure after a good sign-in: %d", rec.Code)
		}
		if n := countAudit(t, st, "sign_in", "denied"); n != 9 {
			t.Errorf("%d refused attempts audited, want 9", n)
		}
	})
}

// TestNobodyCanLockAnAdministratorOut: guessing an administrator's password
// from many addresses, as fast as the waits allow, holds the administrator
// up for at most accountMaxWait.
func TestNobodyCanLockAnAdministratorOut(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, clk := demoServer(t, st)
	for i := range 40 {
		attacker := newBrowser(t, s)
		attacker.addr = fmt.Sprintf("203.0.113.%d:4444", i%5+1)
		rec := attacker.login("admin", "guess")
		if rec.Code == http.StatusTooManyRequests {
			secs, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
			clk.Add(time.Duration(secs) * time.Second)
		}
	}
	admin := newBrowser(t, s)
	rec := admin.login("admin", "demo")
	if rec.Code == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
		if time.Duration(secs)*time.Second > accountMaxWait {
			t.Fatalf("the administrator must wait %ds", secs)
		}
		clk.Add(time.Duration(secs) * time.Second)
		rec = admin.login("admin", "demo")
	}
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("the administrator cannot sign in: %d", rec.Code)
	}
}

func TestSignInWaitGrowsToItsLimits(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		f    store.LoginFailures
		want time.Duration
	}{
		{store.LoginFailures{}, 0},
		{store.LoginFailures{Pair: pairFree - 1, PairLast: now, Account: pairFree - 1, AccountLast: now}, 0},
		{store.LoginFailures{Pair: pairFree, PairLast: now, Account: pairFree, AccountLast: now}, time.Second},
		{store.LoginFailures{Pair: pairFree + 3, PairLast: now.Add(-3 * time.Second), Account: pairFree + 3, AccountLast: now}, 5 * time.Second},
		{store.LoginFailures{Pair: 500, PairLast: now, Account: 500, AccountLast: now}, pairMaxWait},
		{store.LoginFailures{Pair: 1, PairLast: now, Account: 500, AccountLast: now}, accountMaxWait},
		{store.LoginFailures{Account: accountFree, AccountLast: now}, time.Second},
		{store.LoginFailures{Pair: 500, PairLast: now.Add(-time.Hour), Account: 500, AccountLast: now.Add(-time.Hour)}, 0},
	} {
		if got := signInWait(tc.f, now); got != tc.want {
			t.Errorf("%+v: wait %v, want %v", tc.f, got, tc.want)
		}
	}
}

func TestManyFailuresFromOneAddressAreThrottled(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, clk := demoServer(t, st)
	b := newBrowser(t, s)
	for i := range addrMaxAccounts {
		b.login("user"+itoa(int64(i)), "x") // different (unknown) accounts
	}
	if rec := b.login("handlaggare", "demo"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("want 429 after %d failures from one address, got %d", addrMaxAccounts, rec.Code)
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
	c := &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	s, err := New(Config{Store: st, Version: "test", AuditKeys: testKeys(t), Demo: true, Now: c.Now, TrustProxy: true, TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestRotatingTheClientsForwardedForDoesNotEscapeTheThrottle: behind a
// proxy, the client writes the start of X-Forwarded-For and the proxy
// appends the address it saw; the throttle counts the latter.
func TestRotatingTheClientsForwardedForDoesNotEscapeTheThrottle(t *testing.T) {
	for _, tc := range []struct{ name, trusted, proxy, xff string }{
		{"one proxy, the default", "", "10.0.0.1:40000", "203.0.113.9"},
		{"two proxies, configured", "10.0.0.0/8, 192.0.2.50", "10.0.0.1:40000", "203.0.113.9, 192.0.2.50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := storetest.Open(t, store.SQLite)
			s := proxyServer(t, st, tc.trusted)
			b := newBrowser(t, s)
			b.addr = tc.proxy
			for i := range addrMaxAccounts {
				forged := fmt.Sprintf("198.51.100.%d", i+1)
				b.do("POST", "/login", url.Values{"username": {"user" + itoa(int64(i))}, "password": {"x"}}, "X-Forwarded-For", forged+", "+tc.xff)
			}
			rec := b.do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}}, "X-Forwarded-For", "198.51.100.200, "+tc.xff)
			if rec.Code != http.StatusTooManyRequests {
				t.Fatalf("want 429 after %d failures from one client behind the proxy, got %d", addrMaxAccounts, rec.Code)
			}
			// Another client behind the same proxy signs in.
			rec = b.do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}}, "X-Forwarded-For", strings.Replace(tc.xff, "203.0.113.9", "203.0.113.10", 1))
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("another client behind the proxy is throttled too: %d", rec.Code)
			}
		})
	}
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
			rec := newBrowser(t, s).do("POST", "/login", url.Values{"username": {"chef"}, "password": {"demo"}}, tc.header...)
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
			lang := newBrowser(t, s).do("GET", "/login?lang=en", nil, tc.header...).Result().Cookies()
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

// TestSignInGoesBackOnlyToAPathOnThisServer: next is followed only when it
// is a path of this server; anything a browser could read as another host
// (a tab or newline it strips, a backslash it turns into a slash, a scheme,
// two slashes) goes to the start view.
func TestSignInGoesBackOnlyToAPathOnThisServer(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	for _, tc := range []struct{ next, want string }{
		{"/\t/evil.example", "/"},
		{"/\t\t/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"/\x00/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%0a/evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/%5cevil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"//evil.example/x", "/"},
		{"///evil.example/x", "/"},
		{"https://evil.example/", "/"},
		{"https:evil.example", "/"},
		{"https:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{" /arenden", "/"},
		{"", "/"},
		{"/arenden", "/arenden"},
		{"/account?x=1", "/account?x=1"},
		{"/arenden/12#frister", "/arenden/12#frister"},
		{"/forbund/finsam-gotland/insatser?status=ongoing&q=a%20b", "/forbund/finsam-gotland/insatser?status=ongoing&q=a%20b"},
	} {
		next := tc.next
		b := newBrowser(t, s)
		rec := b.do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}, "next": {next}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tc.want {
			t.Errorf("next=%q: %d Location %q, want %q", next, rec.Code, rec.Header().Get("Location"), tc.want)
		}
		// The form keeps only a safe next for its hidden field.
		form := b.do("GET", "/login?next="+url.QueryEscape(next), nil)
		if field := `name="next" value="` + html.EscapeString(tc.want) + `"`; !strings.Contains(form.Body.String(), field) {
			t.Errorf("next=%q: the sign-in form lacks %s", next, field)
		}
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
	s.route(KindPage, "GET /test/read", policy.SignedIn, func(w http.ResponseWriter, r *http.Request, a *actor) error {
		s.auditRead(r, a, a.Event(r, "read_person", audit.OutcomeOK, "person", "1"))
		return s.features.account.Page(w, r, a)
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
