package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// checkAssocPage checks an association page: its heading, the association's
// own navigation with the page marked, no browser errors, and axe-core.
func checkAssocPage(t *testing.T, ctx context.Context, h1, shot string) {
	t.Helper()
	if got := bt.Text(t, ctx, "h1"); !strings.Contains(got, h1) {
		t.Errorf("h1 %q, want one with %q", got, h1)
	}
	bt.AssertNoConsoleErrors(t, ctx)
	bt.AssertAccessible(t, ctx)
	bt.Screenshot(t, ctx, shot)
}

// TestAssociationFinanceInBrowser signs in as the association's staff,
// follows the navigation to the association and sets a year's total
// through the form (first a wrong one), and sees the split, under axe-core.
func TestAssociationFinanceInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "forbund")

	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/forbund"]`)
	checkAssocPage(t, ctx, "Samordningsförbund", "finsam-assoc-list")
	bt.ClickAndLoad(t, ctx, `main a[href="/forbund/finsam-gotland"]`)
	checkAssocPage(t, ctx, "Samordningsförbundet Gotland", "finsam-assoc-overview")

	bt.ClickAndLoad(t, ctx, `nav.finsam-assoc-tabs a[href="/forbund/finsam-gotland/finansiering"]`)
	checkAssocPage(t, ctx, "Finansiering", "finsam-assoc-finance")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#total"), "12,345"))
	submitWithError(t, ctx, `form[action="/forbund/finsam-gotland/finansiering"] button[type="submit"]`)
	if got := bt.Text(t, ctx, `label[for="total"]`); !strings.Contains(got, "inte ett belopp i kronor") {
		t.Errorf("no error next to the total: %q", got)
	}
	bt.AssertAccessible(t, ctx)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#total"), "4 000 000,01"))
	bt.ClickAndLoad(t, ctx, `form[action="/forbund/finsam-gotland/finansiering"] button[type="submit"]`)
	if got := bt.Text(t, ctx, "#split-total"); got != "4 000 000,01 kr" {
		t.Errorf("split total %q", got)
	}
	main := bt.Text(t, ctx, "main")
	for _, want := range []string{"2 000 000,01", "1 000 000,00", "Region Gotland", "Kvartal 4"} {
		if !strings.Contains(main, want) {
			t.Errorf("finance page lacks %q", want)
		}
	}
	checkAssocPage(t, ctx, "Finansiering", "finsam-assoc-finance-saved")
}

// TestAssociationPagesInBrowser opens the rest of the part's pages as the
// association's staff under axe-core, in Swedish and in English.
func TestAssociationPagesInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "forbund")
	bt.Navigate(t, ctx, srv.URL+"/forbund/finsam-gotland")
	for _, p := range []struct{ href, h1, shot string }{
		{"/forbund/finsam-gotland/styrelse", "Styrelse", "finsam-assoc-board"},
		{"/forbund/finsam-gotland/installningar", "Inställningar", "finsam-assoc-settings"},
		{"/forbund/finsam-gotland/budget", "Budget och utfall", "finsam-assoc-budget"},
		{"/forbund/finsam-gotland/fordelning", "Statens fördelningsmodell", "finsam-assoc-allocation"},
	} {
		bt.ClickAndLoad(t, ctx, `nav.finsam-assoc-tabs a[href="`+p.href+`"]`)
		checkAssocPage(t, ctx, p.h1, p.shot)
	}
	bt.Navigate(t, ctx, srv.URL+"/forbund/finsam-gotland/finansiering?lang=en")
	checkAssocPage(t, ctx, "Financing", "finsam-assoc-finance-en")
	bt.Navigate(t, ctx, srv.URL+"/forbund/finsam-gotland/styrelse?lang=en")
	checkAssocPage(t, ctx, "Board", "finsam-assoc-board-en")
}
