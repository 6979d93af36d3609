package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// TestPrintCase opens a case from the worklist and follows its "Skriv ut"
// link to the print view, then looks at it as printed: no forms, buttons
// or filters; "Så räknade vi" open; the print header (who printed, when,
// the secrecy note) shown, fixed so that Chromium repeats it on every page.
// With FINSAM_SCREENSHOTS set it keeps the printed case as case-print.pdf
// and a screenshot in print media as case-print.png.
func TestPrintCase(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "handlaggare")
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/arenden"]`)
	bt.ClickAndLoad(t, ctx, `main table tbody a[href^="/arenden/"]`)
	bt.ClickAndLoad(t, ctx, `main a[href$="/utskrift"]`)
	if !strings.HasSuffix(bt.Eval[string](t, ctx, `location.pathname`), "/utskrift") {
		t.Fatal("the Skriv ut link does not lead to the print view")
	}
	assertAccessibleSVGText(t, ctx, "finsam-timeline", "SVG text in the case timeline; contrast checked by web.TestCaseTimelineTextHasContrast")
	bt.AssertNoConsoleErrors(t, ctx)
	// print.js has opened the browser's print dialogue, which in a headless
	// browser holds the page "being printed"; the view as paper shows it is
	// the same without scripts, which also is how it reaches those who
	// browse without them.
	printView := bt.Eval[string](t, ctx, `location.href`)
	bt.DisableJavaScript(t, ctx)
	bt.Navigate(t, ctx, printView)

	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	type printed struct {
		VisibleForms, VisibleButtons int
		TraceOpen                    bool
		Header, HeaderPosition       string
	}
	got := bt.Eval[printed](t, ctx, `(() => {
		const shown = el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
		const h = document.querySelector('.finsam-print-header');
		const trace = Array.from(document.querySelectorAll('details')).find(d => d.querySelector('summary').textContent.includes('Så räknade vi'));
		return {
			VisibleForms: Array.from(document.querySelectorAll('main form')).filter(shown).length,
			VisibleButtons: Array.from(document.querySelectorAll('button, .button, .finsam-filter')).filter(shown).length,
			TraceOpen: !!trace && trace.open,
			Header: h && shown(h) ? h.innerText : '',
			HeaderPosition: h ? getComputedStyle(h).position : '',
		};
	})()`)
	if got.VisibleForms != 0 || got.VisibleButtons != 0 {
		t.Errorf("printed with %d form(s) and %d button(s) or filter(s)", got.VisibleForms, got.VisibleButtons)
	}
	if !got.TraceOpen {
		t.Error("'Så räknade vi' is folded in print")
	}
	for _, want := range []string{"Utskrivet av Hanna Handläggare", "Innehåller uppgifter som omfattas av sekretess"} {
		if !strings.Contains(got.Header, want) {
			t.Errorf("print header %q lacks %q", got.Header, want)
		}
	}
	if got.HeaderPosition != "fixed" {
		t.Errorf("print header position %q: Chromium repeats only a fixed element on every page", got.HeaderPosition)
	}
	bt.Screenshot(t, ctx, "case-print")

	prefer := true
	pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer, PaperWidth: 8.27, PaperHeight: 11.69})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if !strings.HasPrefix(string(pdf.Data), "%PDF") {
		t.Fatalf("print to PDF gave no PDF (%d bytes)", len(pdf.Data))
	}
	if dir := os.Getenv("FINSAM_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "case-print.pdf")
		if err := os.WriteFile(path, pdf.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("printed case: %s", path)
	}
}
