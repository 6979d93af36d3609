package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// startPage is what the start page shows in one language.
type startPage struct {
	lang      string
	h1Word    string // a word that only the heading in this language has
	switchTo  string // the language the switch link offers
	switchTxt string
}

var (
	startSv = startPage{lang: "sv", h1Word: "samordnad", switchTo: "en", switchTxt: "In English"}
	startEn = startPage{lang: "en", h1Word: "coordinated", switchTo: "sv", switchTxt: "På svenska"}
)

// checkStartPage checks the start page open in ctx against want: language,
// heading, the language switch, and no errors in the browser.
func checkStartPage(t *testing.T, ctx context.Context, want startPage) {
	t.Helper()
	if got := bt.Eval[string](t, ctx, "document.documentElement.lang"); got != want.lang {
		t.Errorf("html lang = %q, want %q", got, want.lang)
	}
	bt.AssertVisible(t, ctx, "h1")
	if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, "finsam") || !strings.Contains(h1, want.h1Word) {
		t.Errorf("h1 = %q, want one with finsam and %q", h1, want.h1Word)
	}
	if title := bt.Eval[string](t, ctx, "document.title"); !strings.Contains(title, "finsam") {
		t.Errorf("title %q does not name finsam", title)
	}
	link := `header a[hreflang="` + want.switchTo + `"]`
	bt.AssertVisible(t, ctx, link)
	if got := bt.Text(t, ctx, link); got != want.switchTxt {
		t.Errorf("language switch reads %q, want %q", got, want.switchTxt)
	}
	// A screen reader reads the link in the language it is written in
	// (WCAG 3.1.2).
	if got := bt.Eval[string](t, ctx, `document.querySelector('`+link+`').lang`); got != want.switchTo {
		t.Errorf("language switch has lang %q, want %q", got, want.switchTo)
	}
	bt.AssertNoConsoleErrors(t, ctx)
}

func TestStartPageInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)

	bt.Navigate(t, ctx, srv.URL+"/")
	checkStartPage(t, ctx, startSv)

	// The stylesheets are served under a strict Content-Security-Policy;
	// check that they really apply, not only that the markup uses their
	// classes. Only fkui.css defines FKUI's variables and gives the page
	// header its green background; only finsam.css moves the skip link
	// out of sight.
	styles := bt.Eval[map[string]string](t, ctx, `(() => {
		const root = getComputedStyle(document.documentElement);
		const header = getComputedStyle(document.querySelector('.page-header'));
		const skip = getComputedStyle(document.querySelector('.skip-link'));
		return {
			fkuiFont: root.getPropertyValue('--f-font-family').trim(),
			headerBackground: header.backgroundColor,
			headerDisplay: header.display,
			skipLinkPosition: skip.position,
		};
	})()`)
	if styles["fkuiFont"] == "" {
		t.Error("FKUI's --f-font-family is not set: fkui.css did not apply")
	}
	if got := styles["headerBackground"]; got != "rgb(17, 106, 62)" {
		t.Errorf(".page-header background = %q, want FKUI's header green rgb(17, 106, 62)", got)
	}
	if got := styles["headerDisplay"]; got != "flex" {
		t.Errorf(".page-header display = %q, want FKUI's flex", got)
	}
	if got := styles["skipLinkPosition"]; got != "absolute" {
		t.Errorf(".skip-link position = %q, want absolute: finsam.css did not apply", got)
	}

	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
	bt.Screenshot(t, ctx, "finsam-start-sv")

	// The switch is a plain link, so it is followed as a person would.
	bt.ClickAndLoad(t, ctx, `header a[hreflang="en"]`)
	checkStartPage(t, ctx, startEn)
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
	bt.Screenshot(t, ctx, "finsam-start-en")

	// The choice sticks (a cookie) without ?lang= in the address.
	bt.Navigate(t, ctx, srv.URL+"/")
	checkStartPage(t, ctx, startEn)

	bt.ClickAndLoad(t, ctx, `header a[hreflang="sv"]`)
	checkStartPage(t, ctx, startSv)
}

func TestStartPageWorksWithoutJavaScript(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)
	bt.DisableJavaScript(t, ctx)

	bt.Navigate(t, ctx, srv.URL+"/")
	checkStartPage(t, ctx, startSv)
	for _, sel := range []string{".finsam-lead", ".finsam-cards", `a[href="/api/v1/openapi.json"]`} {
		bt.AssertVisible(t, ctx, sel)
	}
	bt.ClickAndLoad(t, ctx, `header a[hreflang="en"]`)
	checkStartPage(t, ctx, startEn)
	bt.AssertAccessible(t, ctx)
}

func TestStartPageSkipLinkMovesFocusToMainContent(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)
	bt.Navigate(t, ctx, srv.URL+"/")

	// WCAG 2.4.1: the first Tab reaches the skip link, which must then be
	// visible, and following it puts the focus on the main content.
	do(t, ctx, chromedp.KeyEvent(kb.Tab))
	if got := bt.Eval[string](t, ctx, "document.activeElement.className"); got != "skip-link" {
		t.Fatalf("first Tab focuses %q, want the skip link", got)
	}
	rect := bt.Eval[map[string]float64](t, ctx, `(() => {
		const r = document.activeElement.getBoundingClientRect();
		return {left: r.left, top: r.top, width: r.width, height: r.height};
	})()`)
	if rect["left"] < 0 || rect["top"] < 0 || rect["width"] == 0 || rect["height"] == 0 {
		t.Errorf("the focused skip link is not on screen: %v", rect)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	if got := bt.Eval[string](t, ctx, "document.activeElement.id"); got != "main" {
		t.Errorf("after the skip link, focus is on #%s, want #main", got)
	}
	bt.AssertNoConsoleErrors(t, ctx)
}
