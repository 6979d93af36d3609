package e2e

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
	"github.com/finsam/finsam/personnummer"
)

// assertInsatsPageAccessible runs axe-core; the parties' checkboxes are
// FKUI checkboxes, whose checked state axe cannot judge for contrast (see
// checkedRoleReview).
func assertInsatsPageAccessible(t *testing.T, ctx context.Context) {
	t.Helper()
	bt.AssertAccessible(t, ctx, bt.Reviewed("color-contrast", `label[for^="ins-party-"]`,
		"FKUI checkbox: the tick is a pseudo-element beside the text, which is dark on the white page"),
		bt.Reviewed("color-contrast", `label[for^="followup-not-reached"]`,
			"FKUI checkbox: the tick is a pseudo-element beside the text, which is dark on the white page"))
}

// TestInsatserInBrowser signs in as the association's staff, creates an
// insats (one party first: an error), registers a participant with consent
// (personal data without consent first: an error) and one anonymously,
// registers both out and finds two ended participants on the insats page,
// with axe-core on every page.
func TestInsatserInBrowser(t *testing.T) {
	// The server first: its start does not count against the browser's
	// time (BrowserTimeout), and the steps run in two browsers, each with
	// its own time, since axe-core runs on every page.
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "forbund")

	bt.Navigate(t, ctx, srv.URL+"/forbund/finsam-gotland/insatser")
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Insatser" {
		t.Fatalf("heading %q", h1)
	}
	assertInsatsPageAccessible(t, ctx)

	// A new insats with one party: refused with the law's reason.
	bt.ClickAndLoad(t, ctx, `main a[href="/forbund/finsam-gotland/insatser/ny"]`)
	assertInsatsPageAccessible(t, ctx)
	party := bt.Eval[string](t, ctx, `document.querySelector('#ins-party-0').value`)
	fill(t, ctx, "#ins-name", "Vägen till arbete")
	do(t, ctx, chromedp.Click(chromedp.CSS(`label[for="ins-party-0"]`)),
		chromedp.SetValue(chromedp.CSS("#ins-responsible"), party),
		chromedp.SetValue(chromedp.CSS("#ins-status"), "ongoing"))
	submitWithError(t, ctx, `main form button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(got, "minst två av medlemmarna") {
		t.Errorf("error summary %q", got)
	}
	assertInsatsPageAccessible(t, ctx)
	do(t, ctx, chromedp.Click(chromedp.CSS(`label[for="ins-party-1"]`)))
	bt.ClickAndLoad(t, ctx, `main form button[type="submit"]`)
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Vägen till arbete" {
		t.Fatalf("insats page heading %q", h1)
	}
	assertInsatsPageAccessible(t, ctx)
	insatsURL := bt.Eval[string](t, ctx, `location.pathname`)

	// A participant with personal data but no consent: refused.
	pnr := personnummer.Generate(rand.New(rand.NewPCG(8, 8)), time.Date(1988, 4, 12, 0, 0, 0, 0, time.UTC), false)
	bt.ClickAndLoad(t, ctx, `main a[href$="/deltagare/ny"]`)
	assertInsatsPageAccessible(t, ctx)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#reg-mode"), "anonymous"))
	fill(t, ctx, "#reg-personnummer", pnr.String())
	fill(t, ctx, "#reg-name", "Sara E2E-Deltagare")
	submitWithError(t, ctx, `main form button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(got, "skriftliga samtycke") {
		t.Errorf("error summary %q", got)
	}
	assertInsatsPageAccessible(t, ctx)
	// With the consent recorded.
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#reg-mode"), "consent"))
	fill(t, ctx, "#reg-consent-on", time.Now().Format(time.DateOnly))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#reg-consent-covers"), "Registrering i insatsen och uppföljning"))
	fill(t, ctx, "#reg-consent-document", "SUS 9443, dnr E2E-1")
	bt.ClickAndLoad(t, ctx, `main form button[type="submit"]`)
	if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, "Sara E2E-Deltagare") {
		t.Fatalf("participant page heading %q", h1)
	}
	assertInsatsPageAccessible(t, ctx)
	endWith := func() {
		t.Helper()
		reason := bt.Eval[string](t, ctx, `document.querySelector('#end-end-reason option:nth-child(2)').value`)
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#end-end-reason"), reason))
		bt.ClickAndLoad(t, ctx, `form[action$="/utskrivning"] button[type="submit"]`)
		// Registering out asks first.
		if h1 := bt.Text(t, ctx, "h1"); h1 != "Skriva ut deltagaren?" {
			t.Fatalf("registering out: heading %q, want the confirmation", h1)
		}
		bt.AssertAccessible(t, ctx)
		bt.ClickAndLoad(t, ctx, `main form[action$="/utskrivning"] button[type="submit"]`)
		assertInsatsPageAccessible(t, ctx)
		if got := bt.Text(t, ctx, "h2"); !strings.Contains(got, "Uppföljning") {
			t.Errorf("after registering out the page offers %q", got)
		}
	}
	endWith()
	bt.AssertNoConsoleErrors(t, ctx)

	// One anonymously, in a second browser.
	ctx = demoBrowser(t, srv, "forbund")
	bt.Navigate(t, ctx, srv.URL+insatsURL+"/deltagare/ny")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#reg-mode"), "anonymous"),
		chromedp.SetValue(chromedp.CSS("#reg-sex"), "male"),
		chromedp.SetValue(chromedp.CSS("#reg-age-group"), "25-29"))
	bt.ClickAndLoad(t, ctx, `main form button[type="submit"]`)
	if h1 := bt.Text(t, ctx, "h1"); strings.Contains(h1, ":") {
		t.Errorf("an anonymous registration is named: %q", h1)
	}
	assertInsatsPageAccessible(t, ctx)
	endWith()

	bt.Navigate(t, ctx, srv.URL+insatsURL)
	if got := bt.Text(t, ctx, "#count-avslutade"); got != "2" {
		t.Errorf("ended participants %q, want 2", got)
	}
	assertInsatsPageAccessible(t, ctx)

	// The code lists with their sources.
	bt.Navigate(t, ctx, srv.URL+"/forbund/finsam-gotland/kodlistor")
	if got := bt.Text(t, ctx, "#lista-end_reason"); !strings.Contains(got, "Avslutsanledning") {
		t.Errorf("code list heading %q", got)
	}
	assertInsatsPageAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
}

// TestReferralPageInBrowser opens the referral section of a case as its
// case worker and the referral form under axe-core.
func TestReferralPageInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	caseID := addCaseWork(t, srv.DataDir)
	ctx := demoBrowser(t, srv, "handlaggare")
	bt.Navigate(t, ctx, srv.URL+"/arenden/"+strconv.FormatInt(caseID, 10))
	if got := bt.Text(t, ctx, "#hanvisning"); !strings.Contains(got, "Hänvisa till samordningsförbund") {
		t.Fatalf("referral section %q", got)
	}
	bt.ClickAndLoad(t, ctx, `#hanvisning a[href$="/hanvisning"]`)
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Hänvisa till samordningsförbund" {
		t.Fatalf("referral page heading %q", h1)
	}
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
}
