package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

const gotlandSite = "/f/finsam-gotland"

// assertPublicAccessible runs axe-core at the desktop width and at a
// phone's (390 px). FKUI's radio buttons draw their circle as a
// pseudo-element, whose contrast axe cannot judge.
func assertPublicAccessible(t *testing.T, ctx context.Context) {
	t.Helper()
	const radio = "FKUI radio button: the circle is a pseudo-element beside the text, which is dark on the white page"
	opts := []bt.AxeOption{bt.Reviewed("color-contrast", `label[for="s-att-site"]`, radio), bt.Reviewed("color-contrast", `label[for="s-att-digital"]`, radio)}
	for _, w := range []int64{1280, 390} {
		do(t, ctx, chromedp.EmulateViewport(w, 900))
		bt.AssertAccessible(t, ctx, opts...)
	}
	if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

// TestPublicSiteInBrowser is a visitor on Finsam Gotland's site, without
// signing in: every section of the menu (axe-core at 1280 and 390 px), the
// catalogue filtered, a search, an interest form, sign-ups to an event
// with two seats until the waiting list, and the print view's address
// line. No cookie is ever set.
func TestPublicSiteInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)
	bt.Navigate(t, ctx, srv.URL+gotlandSite+"/")
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Samordningsförbundet Gotland" {
		t.Fatalf("start page heading %q", h1)
	}
	// The skip link is the first stop of the keyboard.
	do(t, ctx, chromedp.KeyEvent("\t"))
	if cls := bt.Eval[string](t, ctx, `document.activeElement.className`); cls != "skip-link" {
		t.Errorf("first Tab stop: %q", cls)
	}
	assertPublicAccessible(t, ctx)

	menu := bt.Eval[[]string](t, ctx, `[...document.querySelectorAll('nav.pub-nav a')].map(a => a.getAttribute('href'))`)
	if len(menu) < 11 {
		t.Fatalf("menu: %v", menu)
	}
	for _, href := range menu[1:] {
		bt.Navigate(t, ctx, srv.URL+href)
		if cur := bt.Eval[string](t, ctx, `(document.querySelector('nav.pub-nav a[aria-current="page"]')||{}).textContent||''`); cur == "" {
			t.Errorf("%s: no current menu item", href)
		}
		assertPublicAccessible(t, ctx)
	}

	// The footer's pages, an easy-to-read page, a news item and the
	// helpful 404.
	for _, rel := range []string{"/tillganglighet", "/integritet", "/rapportera", "/sida/finsam-pa-gotland/lattlast", "/nyheter/rekordmanga-pa-finsamdagen", "/finns/inte"} {
		if rel == "/finns/inte" {
			if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+gotlandSite+rel)); err != nil {
				t.Fatal(err)
			}
		} else {
			bt.Navigate(t, ctx, srv.URL+gotlandSite+rel)
		}
		assertPublicAccessible(t, ctx)
	}
	if lang := bt.Eval[string](t, ctx, `document.documentElement.lang`); lang != "sv" {
		t.Errorf("lang %q", lang)
	}

	// The catalogue, filtered to young people.
	bt.Navigate(t, ctx, srv.URL+gotlandSite+"/aktivitetskatalogen")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#f-malgrupp"), "young"))
	bt.ClickAndLoad(t, ctx, `form.pub-filter button[type="submit"]`)
	cards := bt.Eval[[]string](t, ctx, `[...document.querySelectorAll('.pub-card h2')].map(h => h.textContent)`)
	if len(cards) == 0 || !strings.Contains(strings.Join(cards, "|"), "Ungdomsguiden") || strings.Contains(strings.Join(cards, "|"), "Friskvård") {
		t.Errorf("filtered catalogue: %v", cards)
	}
	assertPublicAccessible(t, ctx)

	// One insats: its page, the interest form with a mistake, then sent.
	bt.ClickAndLoad(t, ctx, `.pub-card h2 a`)
	assertPublicAccessible(t, ctx)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#intresse button[type="submit"]`)))
	if err != nil || resp.Status != 422 {
		t.Fatalf("empty interest form: %v %v", resp, err)
	}
	assertPublicAccessible(t, ctx)
	fill(t, ctx, "#i-name", "Testperson Demo")
	fill(t, ctx, "#i-reach", "0700-000000")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#i-municipality"), "0980"))
	bt.ClickAndLoad(t, ctx, `#intresse button[type="submit"]`)
	if msg := bt.Text(t, ctx, "#intresse .message-box"); !strings.Contains(msg, "Tack") {
		t.Errorf("after the interest form: %q", msg)
	}

	// Print view: the address line shows, the menu does not.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	line := bt.Eval[string](t, ctx, `getComputedStyle(document.querySelector('.pub-print-url')).display + '|' + document.querySelector('.pub-print-url').textContent + '|' + getComputedStyle(document.querySelector('nav.pub-nav')).display`)
	if !strings.HasPrefix(line, "block|Utskrivet från: "+srv.URL+gotlandSite+"/aktivitetskatalogen/") || !strings.HasSuffix(line, "|none") {
		t.Errorf("print view: %q", line)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// Search: an inflected form finds the base form, highlighted.
	bt.Navigate(t, ctx, srv.URL+gotlandSite+"/sok")
	fill(t, ctx, "#q", "arbetsträningen")
	bt.ClickAndLoad(t, ctx, `main form[role="search"] button[type="submit"]`)
	if marks := bt.Eval[int](t, ctx, `document.querySelectorAll('.pub-hit mark').length`); marks == 0 {
		t.Error("no highlighted hits")
	}
	assertPublicAccessible(t, ctx)

	// The lecture with two seats: two sign-ups confirmed, the third on
	// the waiting list.
	bt.Navigate(t, ctx, srv.URL+gotlandSite+"/moten")
	href := bt.Eval[string](t, ctx, `[...document.querySelectorAll('.pub-hits a')].find(a => a.textContent.includes('psykisk ohälsa')).getAttribute('href')`)
	want := []string{"Du är anmäld", "Du är anmäld", "väntelistan"}
	for i, email := range []string{"ett@example.se", "tva@example.se", "tre@example.se"} {
		bt.Navigate(t, ctx, srv.URL+href)
		if i == 0 {
			assertPublicAccessible(t, ctx)
		}
		fill(t, ctx, "#s-name", "Besökare "+email)
		fill(t, ctx, "#s-email", email)
		bt.ClickAndLoad(t, ctx, `#anmalan button[type="submit"]`)
		if msg := bt.Text(t, ctx, "#anmalan .message-box"); !strings.Contains(msg, want[i]) {
			t.Errorf("sign-up %d: %q", i+1, msg)
		}
	}
	assertPublicAccessible(t, ctx)
	if cookies := bt.Eval[string](t, ctx, `document.cookie`); cookies != "" {
		t.Errorf("the site set cookies: %q", cookies)
	}
	// The only errors are the answers 422 to the form sent empty on
	// purpose and the 404 asked for.
	for _, e := range bt.ConsoleErrors(t, ctx) {
		if !strings.Contains(e, "422") && !strings.Contains(e, "404") {
			t.Errorf("browser console: %s", e)
		}
	}
}

// TestPublicSiteEditorInBrowser is the association's editor: a page
// written and published on the staff pages is found by the public search
// at once, and an organisation of the network is changed from the site's
// overview (axe-core at 1280 and 390 px on the staff pages).
func TestPublicSiteEditorInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "forbund")
	const edit = "/forbund/finsam-gotland/webb"
	bt.Navigate(t, ctx, srv.URL+edit+"/sidor/ny")
	assertAccessibleWide(t, ctx)
	fill(t, ctx, "#title", "Friluftsdagar på Fårö")
	for sel, v := range map[string]string{"#body": "Vi ordnar friluftsdagar för deltagarna i våra insatser.", "#publish_at": "2025-01-01T08:00"} {
		do(t, ctx, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	bt.ClickAndLoad(t, ctx, `form.finsam-form button.button--primary[type="submit"]`)
	pagePath := bt.Eval[string](t, ctx, `location.pathname`)
	bt.Navigate(t, ctx, srv.URL+gotlandSite+"/sok?q=friluftsdagarna")
	hits := bt.Eval[[]string](t, ctx, `[...document.querySelectorAll('.pub-hit a')].map(a => a.getAttribute('href'))`)
	if !strings.Contains(strings.Join(hits, " "), "/sida/friluftsdagar-pa-faro") {
		t.Errorf("search after publishing: %v", hits)
	}

	// An image on the page: uploaded with its alt text from the page's
	// edit form, placed with the code the form gives, seen by a visitor.
	bt.Navigate(t, ctx, srv.URL+pagePath)
	file := filepath.Join(t.TempDir(), "faro.png")
	if err := os.WriteFile(file, drawnPNG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#image"), []string{file}))
	fill(t, ctx, "#alt", "Raukar vid havet på Fårö")
	bt.ClickAndLoad(t, ctx, `form[enctype="multipart/form-data"] button[type="submit"]`)
	code := bt.Text(t, ctx, ".finsam-image-list__added .finsam-image-code")
	if !strings.HasPrefix(code, "![Raukar vid havet på Fårö](bild:") {
		t.Fatalf("the image's code: %q", code)
	}
	assertAccessibleWide(t, ctx)
	body := bt.Eval[string](t, ctx, `document.querySelector('#body').value`)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#body"), body+"\n\n"+code))
	bt.ClickAndLoad(t, ctx, `form.finsam-form button.button--primary[type="submit"]`)
	bt.Navigate(t, ctx, srv.URL+gotlandSite+"/sida/friluftsdagar-pa-faro")
	// decode() loads a lazy image and fails for one that does not load.
	alts := bt.Eval[[]string](t, ctx, `Promise.all([...document.querySelectorAll('main img')].map(i => i.decode().then(() => i.naturalWidth > 0 ? i.alt : "not loaded", () => "broken")))`)
	if len(alts) != 1 || alts[0] != "Raukar vid havet på Fårö" {
		t.Errorf("the visitor's images (loaded, with alt): %q", alts)
	}
	assertPublicAccessible(t, ctx)

	bt.Navigate(t, ctx, srv.URL+edit)
	bt.ClickAndLoad(t, ctx, `#natverket + ul a`)
	assertAccessibleWide(t, ctx)
	fill(t, ctx, "#name", "Nätverkets nya namn")
	bt.ClickAndLoad(t, ctx, `form.finsam-form button.button--primary[type="submit"]`)
	bt.Navigate(t, ctx, srv.URL+gotlandSite+"/natverket")
	if !strings.Contains(bt.Text(t, ctx, "main"), "Nätverkets nya namn") {
		t.Error("the network page does not show the changed name")
	}
	assertPublicAccessible(t, ctx)
}

// drawnPNG is a synthetic picture to upload: sky over sea.
func drawnPNG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 900, 500))
	for y := range 500 {
		for x := range 900 {
			c := color.RGBA{150, 200, 240, 255}
			if y > 300 {
				c = color.RGBA{30, 90, 150, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
