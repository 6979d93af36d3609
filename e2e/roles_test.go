package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// demoRole is a demo user and what their navigation must offer.
type demoRole struct {
	username string
	name     string   // part of the display name shown in the header
	nav      []string // hrefs in the main navigation, in order
}

var adminNav = []string{"/", "/rakna", "/admin/users", "/admin/organisations", "/admin/tokens", "/admin/audit", "/admin/certificates/rejected", "/admin/fmb", "/admin/regler", "/account"}

var demoRoles = []demoRole{
	{"handlaggare", "Hanna Handläggare", []string{"/", "/rakna", "/arenden", "/certificates", "/samordning", "/quality", "/account"}},
	{"chef", "Cecilia Chef", []string{"/", "/rakna", "/arenden", "/certificates", "/quality", "/dashboards", "/forbund", "/account"}},
	// A director without an office: every office's dashboards.
	{"direktor", "Dora Direktör", []string{"/", "/rakna", "/arenden", "/certificates", "/quality", "/dashboards", "/forbund", "/account"}},
	{"samordnare-af", "Adam Arbetsförmedlare", []string{"/", "/rakna", "/samordning", "/account"}},
	{"samordnare-region", "Rut Rehabkoordinator", []string{"/", "/rakna", "/samordning", "/account"}},
	{"samordnare-kommun", "Kalle Kommunsamordnare", []string{"/", "/rakna", "/samordning", "/account"}},
	{"forbund", "Frida Förbundschef", []string{"/", "/rakna", "/quality", "/forbund", "/account"}},
	{"styrelse", "Sture Styrelseledamot", []string{"/", "/rakna", "/quality", "/forbund", "/account"}},
	// A member organisation's finance manager: the association's
	// contributions, Gotlands kommun's rows only.
	{"ekonomi-kommun", "Eva Ekonomichef", []string{"/", "/rakna", "/quality", "/forbund", "/account"}},
	{"admin", "Ada Administratör", adminNav},
	{"intygsforvaltare", "Ingrid Intygsförvaltare", []string{"/", "/rakna", "/certificates/rejected", "/account"}},
}

// signIn fills in and submits the real sign-in form.
func signIn(t *testing.T, ctx context.Context, url, username, password string) {
	t.Helper()
	bt.Navigate(t, ctx, url+"/login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
	); err != nil {
		t.Fatalf("fill in the sign-in form: %v", err)
	}
	bt.ClickAndLoad(t, ctx, `form[action="/login"] button[type="submit"]`)
}

// do runs actions in the browser of ctx; an error fails the test.
func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// demoBrowser opens a browser signed in to srv as the demo user username
// (every demo user's password is "demo").
func demoBrowser(t *testing.T, srv *bt.Server, username string) context.Context {
	t.Helper()
	ctx := bt.NewBrowser(t)
	signIn(t, ctx, srv.URL, username, "demo")
	return ctx
}

// TestSignInAsEachDemoRole signs in as every demo user through the form and
// checks the header, the navigation (only what the role may use), the
// account page and accessibility.
func TestSignInAsEachDemoRole(t *testing.T) {
	srv := bt.StartServer(t)
	for _, role := range demoRoles {
		t.Run(role.username, func(t *testing.T) {
			ctx := bt.NewBrowser(t)
			signIn(t, ctx, srv.URL, role.username, "demo")
			if who := bt.Text(t, ctx, ".finsam-who"); !strings.Contains(who, role.name) {
				t.Fatalf("header shows %q, want %q", who, role.name)
			}
			nav := bt.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('nav.finsam-nav a')).map(a => a.getAttribute('href'))`)
			if !slices.Equal(nav, role.nav) {
				t.Errorf("navigation %v, want %v", nav, role.nav)
			}
			bt.AssertAccessible(t, ctx)
			bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/account"]`)
			if h1 := bt.Text(t, ctx, "h1"); h1 != "Mitt konto" {
				t.Errorf("account page h1 %q", h1)
			}
			if !strings.Contains(bt.Text(t, ctx, "main"), role.username) {
				t.Error("account page does not show the user name")
			}
			bt.AssertAccessible(t, ctx)
			bt.AssertNoConsoleErrors(t, ctx)
			bt.ClickAndLoad(t, ctx, `form[action="/logout"] button`)
			if n := bt.Eval[int](t, ctx, `document.querySelectorAll('nav.finsam-nav').length`); n != 0 {
				t.Error("still signed in after signing out")
			}
		})
	}
}

func TestWrongPasswordInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)
	bt.Navigate(t, ctx, srv.URL+"/login")
	bt.AssertAccessible(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#username"), "handlaggare"),
		chromedp.SendKeys(chromedp.CSS("#password"), "fel"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.message-box--error`)),
	); err != nil {
		t.Fatal(err)
	}
	if msg := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(msg, "Fel användarnamn eller lösenord") {
		t.Errorf("error message %q", msg)
	}
	bt.AssertAccessible(t, ctx)
}
