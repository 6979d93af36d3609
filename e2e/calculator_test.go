package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// fill types text into an empty input, as a person would.
func fill(t *testing.T, ctx context.Context, selector, text string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Clear(chromedp.CSS(selector)),
		chromedp.SendKeys(chromedp.CSS(selector), text),
	); err != nil {
		t.Fatalf("type into %s: %v", selector, err)
	}
}

// submitExpecting clicks the calculator's submit button and checks the
// HTTP status of the page it leads to (ClickAndLoad refuses error
// statuses, and an invalid form is answered with 422).
func submitExpecting(t *testing.T, ctx context.Context, status int64) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.finsam-calc-form button[type="submit"]`)))
	if err != nil {
		t.Fatalf("submit the calculator: %v", err)
	}
	if resp == nil || resp.Status != status {
		t.Fatalf("submit the calculator: response %v, want HTTP %d", resp, status)
	}
}

// fillContractSample enters the worked example of the API documentation:
// an employee on full-time sick leave since 1 January 2014, on 30 June.
func fillContractSample(t *testing.T, ctx context.Context) {
	t.Helper()
	fill(t, ctx, "#date", "2014-06-30")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#employment"), "employee"))
	fill(t, ctx, "#annual_income", "300 000")
	fill(t, ctx, "#p1_from", "2014-01-01")
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#p1_degree"), "100"))
}

// checkCalculatorResult checks what the result page shows for the sample.
func checkCalculatorResult(t *testing.T, ctx context.Context) {
	t.Helper()
	bt.AssertVisible(t, ctx, "#calc-result-heading")
	if h := bt.Text(t, ctx, "#calc-result-heading"); !strings.Contains(h, "2014-06-30") {
		t.Errorf("result heading %q lacks the date", h)
	}
	facts := bt.Text(t, ctx, ".finsam-calc-result .finsam-facts")
	for _, want := range []string{"181 (fas 181–365)", "Försäkringskassan (sjukpenning)", "Normalnivå (80 %)", "638 kr", "300\u00a0000 kr"} {
		if !strings.Contains(facts, want) {
			t.Errorf("result lacks %q:\n%s", want, facts)
		}
	}
	// The timeline is drawn, has a size on the page and a text
	// alternative that names the phases and who pays.
	bt.AssertVisible(t, ctx, "svg.finsam-timeline")
	svg := bt.Eval[map[string]any](t, ctx, `(() => {
		const s = document.querySelector('svg.finsam-timeline');
		const r = s.getBoundingClientRect();
		const ids = s.getAttribute('aria-labelledby').split(' ');
		return {
			role: s.getAttribute('role'),
			width: r.width, height: r.height,
			name: ids.map(id => document.getElementById(id).textContent).join(' '),
			rects: s.querySelectorAll('rect').length,
		};
	})()`)
	if svg["role"] != "img" || svg["width"].(float64) < 300 || svg["height"].(float64) < 50 || svg["rects"].(float64) < 8 {
		t.Errorf("timeline not drawn as an image with content: %v", svg)
	}
	name, _ := svg["name"].(string)
	for _, want := range []string{"Tidslinje över sjukfallet", "dag 91–180 2014-04-01–2014-06-29", "Sjuklön från arbetsgivaren 2014-01-02–2014-01-14", "Fortsättningsnivå från 2015-01-01"} {
		if !strings.Contains(name, want) {
			t.Errorf("the timeline's text alternative lacks %q: %s", want, name)
		}
	}
	trace := bt.Text(t, ctx, "table.finsam-trace")
	for _, want := range []string{"Dag i rehabiliteringskedjan", "SFB 27 kap. 51 §", "Sjukpenning för dagen i kronor", "SFB 28 kap. 10 §"} {
		if !strings.Contains(trace, want) {
			t.Errorf("the trace lacks %q", want)
		}
	}
	// The form keeps what was typed, for the next question.
	if v := bt.Eval[string](t, ctx, `document.querySelector('#annual_income').value`); v != "300 000" {
		t.Errorf("income field holds %q after submitting, want what was typed", v)
	}
}

// assertCalculatorAccessible is bt.AssertAccessible for the calculator.
// axe-core cannot compute the background of text inside SVG, so it reports
// the timeline's labels as undecided for color-contrast. Those, and only
// those, are accepted: web.TestTimelineTextHasContrast checks every label
// of the picture against the shape under it (at least 4.5:1).
func assertCalculatorAccessible(t *testing.T, ctx context.Context) {
	t.Helper()
	assertAccessibleSVGText(t, ctx, "finsam-timeline", "SVG text in the timeline; contrast checked by web.TestTimelineTextHasContrast")
}

func TestCalculatorInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)

	// Reached from the start page.
	bt.Navigate(t, ctx, srv.URL+"/")
	bt.ClickAndLoad(t, ctx, `main a[href="/rakna"]`)
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Räkna på sjukpenning och rehabiliteringskedjan" {
		t.Fatalf("h1 = %q", h1)
	}
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
	bt.Screenshot(t, ctx, "finsam-calculator-empty")

	fillContractSample(t, ctx)
	submitExpecting(t, ctx, 200)
	if u := bt.Eval[string](t, ctx, "location.search"); !strings.Contains(u, "date=2014-06-30") {
		t.Errorf("the result is not a link with the input: %s", u)
	}
	checkCalculatorResult(t, ctx)
	assertCalculatorAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
	bt.Screenshot(t, ctx, "finsam-calculator-result")

	// An impossible date and a period that ends before it starts: the
	// first is found by the form, the second by the engine once the date
	// is right. Each message sits at its field and the input is kept.
	fill(t, ctx, "#date", "2014-13-40")
	fill(t, ctx, "#p1_to", "2013-12-31")
	submitExpecting(t, ctx, 422)
	bt.AssertVisible(t, ctx, "#date-error")
	if msg := bt.Text(t, ctx, "#date-error"); !strings.Contains(msg, "ÅÅÅÅ-MM-DD") {
		t.Errorf("date error reads %q", msg)
	}
	if v := bt.Eval[string](t, ctx, `document.querySelector('#date').value + '|' + document.querySelector('#date').getAttribute('aria-invalid')`); v != "2014-13-40|true" {
		t.Errorf("date field after the error: %q, want the typed value and aria-invalid", v)
	}
	if bt.Eval[bool](t, ctx, `!!document.querySelector('#calc-result-heading')`) {
		t.Error("an invalid form shows a result")
	}
	// The error page is answered with 422, which the browser logs; that
	// entry is expected, nothing else is.
	for _, e := range bt.ConsoleErrors(t, ctx) {
		if !strings.Contains(e, "422") {
			t.Errorf("browser error: %s", e)
		}
	}
	bt.AssertAccessible(t, ctx)
	bt.Screenshot(t, ctx, "finsam-calculator-error")

	fill(t, ctx, "#date", "2014-06-30")
	submitExpecting(t, ctx, 422)
	if msg := bt.Text(t, ctx, "#p1_to-error"); !strings.Contains(msg, "slutar innan den börjar") {
		t.Errorf("p1_to error reads %q", msg)
	}
	// The summary at the top links to the field.
	do(t, ctx, chromedp.Click(chromedp.CSS(`.finsam-calc-errors a[href="#p1_to"]`)))
	if id := bt.Eval[string](t, ctx, "document.activeElement.id"); id != "p1_to" {
		t.Errorf("following the summary link focuses #%s, want #p1_to", id)
	}
	bt.ConsoleErrors(t, ctx) // the expected 422 entries

	// In English.
	bt.Navigate(t, ctx, srv.URL+"/rakna?lang=en")
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Calculate sickness benefit and the rehabilitation chain" {
		t.Errorf("English h1 = %q", h1)
	}
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
}

func TestCalculatorWorksWithoutJavaScript(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)
	bt.DisableJavaScript(t, ctx)

	bt.Navigate(t, ctx, srv.URL+"/rakna")
	fillContractSample(t, ctx)
	submitExpecting(t, ctx, 200)
	checkCalculatorResult(t, ctx)
	assertCalculatorAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
}
