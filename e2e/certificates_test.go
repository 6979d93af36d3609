package e2e

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// assertChartsAccessible is bt.AssertAccessible for pages with the quality
// board's charts. axe-core cannot compute the background of text inside
// SVG and reports the charts' labels as undecided for color-contrast; those
// (and only those) are accepted: they are #1b1e23 (finsam-chart__label) on
// the white page, 16:1.
func assertChartsAccessible(t *testing.T, ctx context.Context) {
	t.Helper()
	assertAccessibleSVGText(t, ctx, "finsam-chart", "SVG chart label: dark text on the white page")
}

var personnummerShape = regexp.MustCompile(`^(19|20)\d{6}-\d{4}$`)

// TestCertificatePagesInBrowser: the case worker opens the inbox from the
// navigation, filters it, and opens a certificate with findings; the manager
// opens the quality board; the administrator the rejected certificates.
// axe-core checks every page.
func TestCertificatePagesInBrowser(t *testing.T) {
	srv := bt.StartServer(t)

	t.Run("case worker", func(t *testing.T) {
		ctx := demoBrowser(t, srv, "handlaggare")
		bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/certificates"]`)
		checkAdminPage(t, ctx, "Inkomna läkarintyg", "Intyg", "finsam-certificates-inbox")
		if n := bt.Eval[int](t, ctx, `document.querySelectorAll('table.finsam-certs tbody tr').length`); n != 50 {
			t.Errorf("%d rows in the inbox, want a page of 50", n)
		}
		first := bt.Eval[string](t, ctx, `document.querySelector('table.finsam-certs tbody th a').textContent`)
		if !personnummerShape.MatchString(first) {
			t.Errorf("the first person is shown as %q", first)
		}
		if bad := bt.Eval[int](t, ctx, `Array.from(document.querySelectorAll('a')).filter(a => /(19|20)\d{6}-?\d{4}/.test(a.getAttribute('href'))).length`); bad != 0 {
			t.Errorf("%d links with a personnummer", bad)
		}

		// Only certificates with findings, through the filter form.
		do(t, ctx, chromedp.Click(chromedp.CSS(`label[for="findings"]`)))
		bt.ClickAndLoad(t, ctx, `form[action="/certificates"] button[type="submit"]`)
		if u := bt.Eval[string](t, ctx, `location.search`); u != "?findings=1" {
			t.Errorf("filter address %q", u)
		}
		checkAdminPage(t, ctx, "Inkomna läkarintyg", "Intyg", "finsam-certificates-inbox-findings")
		if n := bt.Eval[int](t, ctx, `document.querySelectorAll('table.finsam-certs tbody .badge--warning').length`); n != 50 {
			t.Errorf("%d of 50 rows with findings", n)
		}

		bt.ClickAndLoad(t, ctx, `table.finsam-certs tbody th a`)
		checkAdminPage(t, ctx, "Läkarintyg för", "", "finsam-certificate")
		sections := bt.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.finsam-cert-section h2')).map(h => h.textContent)`)
		want := []string{"Grund för medicinskt underlag", "Sysselsättning", "Diagnos", "Sjukdomens konsekvenser", "Medicinsk behandling",
			"Bedömning", "Prognos", "Åtgärder", "Övrigt", "Kontakt", "Personens intyg"}
		if fmt.Sprint(sections) != fmt.Sprint(want) {
			t.Errorf("sections %v, want %v", sections, want)
		}
		if n := bt.Eval[int](t, ctx, `document.querySelectorAll('.finsam-answer--finding .finsam-finding').length`); n == 0 {
			t.Error("no finding beside its answer")
		}
		// The summary's links lead to the answers.
		target := bt.Eval[string](t, ctx, `document.querySelector('.finsam-findings a').getAttribute('href')`)
		if !strings.HasPrefix(target, "#q-") || bt.Eval[int](t, ctx, `document.querySelectorAll('`+target+`.finsam-answer--finding').length`) != 1 {
			t.Errorf("the summary links to %q, which is not a highlighted answer", target)
		}
	})

	t.Run("manager", func(t *testing.T) {
		ctx := demoBrowser(t, srv, "chef")
		bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/quality"]`)
		if got := bt.Text(t, ctx, "h1"); got != "Intygens kvalitet" {
			t.Errorf("h1 %q", got)
		}
		if n := bt.Eval[int](t, ctx, `document.querySelectorAll('svg.finsam-chart[role="img"]:not(.finsam-chart--spark):not(.finsam-chart--small)').length`); n != 3 {
			t.Errorf("%d charts", n)
		}
		bt.AssertNoConsoleErrors(t, ctx)
		assertChartsAccessible(t, ctx)
		// With more units than the page draws (the national data), it asks
		// for a care provider; a provider's units are drawn.
		if got := bt.Eval[int](t, ctx, `document.querySelectorAll('section.finsam-unit-trend').length`); got == 0 &&
			!strings.Contains(bt.Text(t, ctx, "main"), "Välj en vårdgivare eller vårdenhet för att se diagrammen") {
			t.Error("no units over time and no word on choosing a care provider")
		}
		provider := bt.Eval[string](t, ctx, `(() => {
			const groups = [...document.querySelectorAll('#unit optgroup')].slice(1).sort((a, b) => a.children.length - b.children.length);
			const g = groups.find(g => g.children.length >= 2) || groups[0];
			const o = [...document.querySelectorAll('#provider option')].find(o => g && o.textContent === g.label);
			return o ? o.value : '';
		})()`)
		if provider == "" {
			t.Fatal("no care provider to choose")
		}
		bt.Navigate(t, ctx, srv.URL+"/quality?provider="+url.QueryEscape(provider))
		// Each care unit over time: two small charts, then its table.
		units := bt.Eval[int](t, ctx, `document.querySelectorAll('section.finsam-unit-trend').length`)
		charts := bt.Eval[int](t, ctx, `document.querySelectorAll('section.finsam-unit-trend svg.finsam-chart--small[role="img"]').length`)
		followed := bt.Eval[int](t, ctx, `Array.from(document.querySelectorAll('section.finsam-unit-trend')).filter(s =>
			s.querySelector('ul.finsam-multiples').nextElementSibling.querySelector('table caption')).length`)
		if units == 0 || charts != 2*units || followed != units {
			t.Errorf("%d units over time, %d small charts, %d followed by their table", units, charts, followed)
		}
		bt.AssertNoConsoleErrors(t, ctx)
		for _, w := range []int64{1280, 390} {
			do(t, ctx, chromedp.EmulateViewport(w, 900))
			assertChartsAccessible(t, ctx)
			if wide := bt.Eval[int](t, ctx, `Array.from(document.querySelectorAll('svg.finsam-chart--small')).filter(c =>
				c.getBoundingClientRect().right > document.documentElement.clientWidth).length`); wide != 0 {
				t.Errorf("%d px: %d small charts reach past the right edge", w, wide)
			}
		}
		if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		bt.Screenshot(t, ctx, "finsam-quality")
		// A certificate without diagnoses for the manager.
		bt.Navigate(t, ctx, srv.URL+"/certificates")
		bt.ClickAndLoad(t, ctx, `table.finsam-certs tbody th a`)
		if got := bt.Text(t, ctx, "#s-diagnosis"); !strings.Contains(got, "visas bara för roller") {
			t.Errorf("the manager's diagnosis section: %q", got)
		}
		bt.AssertAccessible(t, ctx)
	})

	t.Run("administrator", func(t *testing.T) {
		ctx := demoBrowser(t, srv, "admin")
		bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/admin/certificates/rejected"]`)
		checkAdminPage(t, ctx, "Avvisade läkarintyg", "Avvisade intyg", "finsam-rejected")
		bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/admin/fmb"]`)
		checkAdminPage(t, ctx, "FMB-tabellen", "FMB-tabell", "finsam-fmb")
	})
}
