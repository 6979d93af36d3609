package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// assertAccessibleWide runs axe-core at the desktop width and at a
// phone's (390 px).
func assertAccessibleWide(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, w := range []int64{1280, 390} {
		do(t, ctx, chromedp.EmulateViewport(w, 900))
		bt.AssertAccessible(t, ctx)
	}
	if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

// TestEachRoleLandsOnItsStartView signs in as every demo user: the start
// view "Idag" at /, with counts that link onward for the roles it has
// sections for, accessible at 1280 and 390 px.
func TestEachRoleLandsOnItsStartView(t *testing.T) {
	srv := bt.StartServer(t)
	withCounts := map[string]string{"handlaggare": "Mina ärenden", "chef": "Kontoret", "admin": "Administration",
		"samordnare-af": "Samordning", "samordnare-region": "Samordning", "samordnare-kommun": "Samordning", "forbund": "Samordningsförbundet Gotland"}
	for _, role := range demoRoles {
		t.Run(role.username, func(t *testing.T) {
			ctx := demoBrowser(t, srv, role.username)
			bt.Navigate(t, ctx, srv.URL+"/")
			if h1 := bt.Text(t, ctx, "h1"); h1 != "Idag" {
				t.Fatalf("h1 %q, want Idag", h1)
			}
			if heading, ok := withCounts[role.username]; ok {
				if h2 := bt.Text(t, ctx, "main h2"); h2 != heading {
					t.Errorf("first section %q, want %q", h2, heading)
				}
				if n := bt.Eval[int](t, ctx, `document.querySelectorAll('main dl.finsam-facts dd a[href]').length`); n == 0 {
					t.Error("no count links")
				}
			} else if n := bt.Eval[int](t, ctx, `document.querySelectorAll('main a[href]').length`); n == 0 {
				t.Error("no links onward")
			}
			assertAccessibleWide(t, ctx)
			bt.AssertNoConsoleErrors(t, ctx)
			bt.Screenshot(t, ctx, "today-"+role.username)
		})
	}
}
