package signin_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
	"github.com/finsam/finsam/web/signin"
)

// The sign-in page's tests: signing in and out, the throttle of failed
// attempts (also behind reverse proxies), where a sign-in returns to.

// demoServer is the demo installation and its clock.
func demoServer(t *testing.T, st *store.Store) (*webtest.Server, *webtest.Clock) {
	t.Helper()
	s := webtest.Demo(t, st)
	return s, s.Clock
}

// countAudit is how many entries of action with outcome the audit log
// holds.
var countAudit = fixture.AuditCount

// proxyServer is the demo installation behind a TLS-terminating reverse
// proxy (--trust-proxy), with the trusted proxies' addresses given.
func proxyServer(t *testing.T, st *store.Store, trusted string) *webtest.Server {
	t.Helper()
	proxies, err := web.ParseTrustedProxies(trusted)
	if err != nil {
		t.Fatal(err)
	}
	return webtest.Demo(t, st, func(cfg *web.Config) { cfg.TrustProxy, cfg.TrustedProxies = true, proxies })
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

func TestSignInAndOut(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		b := s.Client(t)
		if rec := b.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Faccount" {
			t.Fatalf("anonymous /account: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		rec := b.Do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}, "next": {"/account"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account" {
			t.Fatalf("sign in: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		c := b.Cookie(site.SessionCookie)
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
			t.Fatalf("session cookie %+v", c)
		}
		page := b.Do("GET", "/account", nil)
		if page.Code != 200 || !strings.Contains(page.Body.String(), "Hanna Handläggare") || !strings.Contains(page.Body.String(), "Lokalt försäkringscenter Visby") {
			t.Fatalf("account page: %d", page.Code)
		}
		if strings.Contains(page.Body.String(), "/admin/users") {
			t.Fatal("a case worker's navigation offers administration")
		}
		if countAudit(t, st, "sign_in", "ok") != 1 {
			t.Fatal("sign-in not audited")
		}
		if rec := b.Do("POST", "/logout", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d", rec.Code)
		}
		if rec := b.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("after logout /account: %d", rec.Code)
		}
		// The old cookie is worthless on the server too.
		b.SetCookie(c)
		if rec := b.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("replayed session after logout: %d", rec.Code)
		}
	})
}

func TestSignInRotatesTheSessionID(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := s.Client(t)
	b.Login("handlaggare", "demo")
	first := b.Cookie(site.SessionCookie).Value
	b.Login("handlaggare", "demo")
	second := b.Cookie(site.SessionCookie).Value
	if first == second {
		t.Fatal("session id not rotated at sign-in")
	}
	b.SetCookie(&http.Cookie{Name: site.SessionCookie, Value: first})
	if rec := b.Do("GET", "/account", nil); rec.Code != http.StatusSeeOther {
		t.Fatal("the session replaced at sign-in still works")
	}
}

// TestWrongPasswordsMakeTheNextAttemptWait: no account is locked; each
// failure of a name from an address makes its next attempt from there wait
// longer, told in words and in Retry-After, and the same for a name that
// does not exist. The owner at another address signs in meanwhile.
func TestWrongPasswordsMakeTheNextAttemptWait(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, clk := demoServer(t, st)
		b := s.Client(t)
		for _, user := range []string{"chef", "no-such-user"} {
			for i := range signin.PairFree {
				rec := b.Login(user, "wrong")
				if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Fel användarnamn eller lösenord") {
					t.Fatalf("%s, attempt %d: %d %s", user, i, rec.Code, rec.Body)
				}
			}
			for _, wait := range []int{1, 2, 4, 8} {
				rec := b.Login(user, "demo")
				if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != itoa(int64(wait)) ||
					!strings.Contains(rec.Body.String(), fmt.Sprintf("Vänta %d sekunder och försök igen", wait)) ||
					!strings.Contains(rec.Body.String(), "Kontakta din administratör") {
					t.Fatalf("%s: want 429 with a wait of %ds, got %d %s %s", user, wait, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
				}
				clk.Add(time.Duration(wait) * time.Second)
				if rec := b.Login(user, "wrong"); rec.Code != http.StatusUnauthorized {
					t.Fatalf("%s: after waiting %ds: %d", user, wait, rec.Code)
				}
			}
		}
		// The owner elsewhere is not held up.
		other := s.Client(t)
		other.Addr = "198.51.100.7:1234"
		if rec := other.Login("chef", "demo"); rec.Code != http.StatusSeeOther {
			t.Fatalf("the owner at another address: %d", rec.Code)
		}
		// In English too.
		rec := b.Do("POST", "/login?lang=en", url.Values{"username": {"no-such-user"}, "password": {"demo"}})
		if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "Wait 16 seconds and try again") {
			t.Fatalf("English: %d %s", rec.Code, rec.Body)
		}
		// After the wait the right password works, and the failures of
		// that address are forgotten.
		clk.Add(16 * time.Second)
		if rec := b.Login("chef", "demo"); rec.Code != http.StatusSeeOther {
			t.Fatalf("after the wait: %d", rec.Code)
		}
		if rec := s.Client(t).Login("chef", "wrong"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("a failure after a good sign-in: %d", rec.Code)
		}
		if n := countAudit(t, st, "sign_in", "denied"); n != 9 {
			t.Errorf("%d refused attempts audited, want 9", n)
		}
	})
}

// TestNobodyCanLockAnAdministratorOut: guessing an administrator's password
// from many addresses, as fast as the waits allow, holds the administrator
// up for at most signin.AccountMaxWait.
func TestNobodyCanLockAnAdministratorOut(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, clk := demoServer(t, st)
	for i := range 40 {
		attacker := s.Client(t)
		attacker.Addr = fmt.Sprintf("203.0.113.%d:4444", i%5+1)
		rec := attacker.Login("admin", "guess")
		if rec.Code == http.StatusTooManyRequests {
			secs, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
			clk.Add(time.Duration(secs) * time.Second)
		}
	}
	admin := s.Client(t)
	rec := admin.Login("admin", "demo")
	if rec.Code == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
		if time.Duration(secs)*time.Second > signin.AccountMaxWait {
			t.Fatalf("the administrator must wait %ds", secs)
		}
		clk.Add(time.Duration(secs) * time.Second)
		rec = admin.Login("admin", "demo")
	}
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("the administrator cannot sign in: %d", rec.Code)
	}
}

func TestManyFailuresFromOneAddressAreThrottled(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, clk := demoServer(t, st)
	b := s.Client(t)
	for i := range signin.AddrMaxAccounts {
		b.Login("user"+itoa(int64(i)), "x") // different (unknown) accounts
	}
	if rec := b.Login("handlaggare", "demo"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("want 429 after %d failures from one address, got %d", signin.AddrMaxAccounts, rec.Code)
	}
	other := s.Client(t)
	other.Addr = "198.51.100.7:1234"
	if rec := other.Login("handlaggare", "demo"); rec.Code != http.StatusSeeOther {
		t.Fatalf("another address is throttled too: %d", rec.Code)
	}
	clk.Add(signin.AddrWindow + time.Second)
	if rec := b.Login("handlaggare", "demo"); rec.Code != http.StatusSeeOther {
		t.Fatalf("throttle did not lift: %d", rec.Code)
	}
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
			st := webtest.Open(t, store.SQLite)
			s := proxyServer(t, st, tc.trusted)
			b := s.Client(t)
			b.Addr = tc.proxy
			for i := range signin.AddrMaxAccounts {
				forged := fmt.Sprintf("198.51.100.%d", i+1)
				b.Do("POST", "/login", url.Values{"username": {"user" + itoa(int64(i))}, "password": {"x"}}, "X-Forwarded-For", forged+", "+tc.xff)
			}
			rec := b.Do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}}, "X-Forwarded-For", "198.51.100.200, "+tc.xff)
			if rec.Code != http.StatusTooManyRequests {
				t.Fatalf("want 429 after %d failures from one client behind the proxy, got %d", signin.AddrMaxAccounts, rec.Code)
			}
			// Another client behind the same proxy signs in.
			rec = b.Do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}}, "X-Forwarded-For", strings.Replace(tc.xff, "203.0.113.9", "203.0.113.10", 1))
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("another client behind the proxy is throttled too: %d", rec.Code)
			}
		})
	}
}

// TestSignInGoesBackOnlyToAPathOnThisServer: next is followed only when it
// is a path of this server; anything a browser could read as another host
// (a tab or newline it strips, a backslash it turns into a slash, a scheme,
// two slashes) goes to the start view.
func TestSignInGoesBackOnlyToAPathOnThisServer(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
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
		b := s.Client(t)
		rec := b.Do("POST", "/login", url.Values{"username": {"handlaggare"}, "password": {"demo"}, "next": {next}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tc.want {
			t.Errorf("next=%q: %d Location %q, want %q", next, rec.Code, rec.Header().Get("Location"), tc.want)
		}
		// The form keeps only a safe next for its hidden field.
		form := b.Do("GET", "/login?next="+url.QueryEscape(next), nil)
		if field := `name="next" value="` + html.EscapeString(tc.want) + `"`; !strings.Contains(form.Body.String(), field) {
			t.Errorf("next=%q: the sign-in form lacks %s", next, field)
		}
	}
}

func TestOversizedSignInIs413(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := s.Client(t)
	rec := b.Do("POST", "/login", url.Values{"username": {"x"}, "password": {strings.Repeat("a", site.MaxFormBytes*2)}})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", rec.Code)
	}
}
