package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// TestSafeActionsInBrowser goes through the safe actions and the forms'
// manners in a browser. A case worker enters a case on Nytt sjukfall,
// which starts in its first field; a note over the limit comes back with
// its text kept and by how much it is too long, and the counter says the
// characters left. Closing the case asks first (and works without
// JavaScript), says it is closed, and so does reopening. The manager's
// move form names no office until one is chosen, and the move asks first.
// Association staff delete a budget line after a confirmation. axe-core
// finds nothing on the confirmation pages.
func TestSafeActionsInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "handlaggare")

	bt.Navigate(t, ctx, srv.URL+"/arenden/nytt")
	// The browser applies autofocus once the page is rendered: wait for it.
	focused := `new Promise(done => { const start = Date.now(); (function look() {
		const id = document.activeElement ? document.activeElement.id : "";
		if (id || Date.now() - start > 3000) { done(id); } else { setTimeout(look, 50); }
	})(); })`
	if id := bt.Eval[string](t, ctx, focused); id != "new-personnummer" {
		t.Errorf("Nytt sjukfall starts in %q, want the personnummer field", id)
	}
	today := time.Now()
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#new-personnummer"), "19121212-1212"),
		chromedp.SendKeys(chromedp.CSS("#new-name"), "Tolvan E2E-Säker (testperson)"),
		chromedp.SetValue(chromedp.CSS("#new-from"), today.AddDate(0, 0, -20).Format(time.DateOnly)),
		chromedp.SetValue(chromedp.CSS("#new-to"), today.AddDate(0, 0, 20).Format(time.DateOnly)),
		chromedp.SendKeys(chromedp.CSS("#new-source"), "Läkarintyg på papper"),
	); err != nil {
		t.Fatalf("fill in Nytt sjukfall: %v", err)
	}
	bt.ClickAndLoad(t, ctx, `form[action="/arenden/nytt"] button[type="submit"]`)
	casePath := bt.Eval[string](t, ctx, `location.pathname`)
	if !strings.HasPrefix(casePath, "/arenden/") {
		t.Fatalf("after Nytt sjukfall: at %s", casePath)
	}

	// The note's counter, and a note over the limit.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#anteckningar details summary`)),
		chromedp.SendKeys(chromedp.CSS("#note-body"), "abc"),
	); err != nil {
		t.Fatal(err)
	}
	if got := bt.Text(t, ctx, "#note-body-count"); got != "3997 tecken kvar." {
		t.Errorf("counter %q, want 3997 tecken kvar.", got)
	}
	long := strings.Repeat("å", 4005)
	bt.Eval[bool](t, ctx, `(() => { document.getElementById('note-body').value = '`+long+`'; return true; })()`)
	submitWithError(t, ctx, `form[action$="/anteckningar"] button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(got, "Text: Texten är 5 tecken för lång (högst 4000).") {
		t.Errorf("error summary %q", got)
	}
	if n := bt.Eval[int](t, ctx, `document.getElementById('note-body').value.length`); n != 4005 {
		t.Errorf("the note kept %d characters, want 4005", n)
	}
	if got := bt.Text(t, ctx, "#note-body-count"); got != "5 tecken för mycket." {
		t.Errorf("counter over the limit %q", got)
	}
	assertCaseAccessible(t, ctx)

	// Closing, without JavaScript: a confirmation page, then the message.
	bt.DisableJavaScript(t, ctx)
	bt.Navigate(t, ctx, srv.URL+casePath)
	bt.ClickAndLoad(t, ctx, `form[action$="/status"] button[type="submit"]`)
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Avsluta ärendet?" {
		t.Fatalf("confirmation heading %q", h1)
	}
	if lead := bt.Text(t, ctx, "main .message-box"); !strings.Contains(lead, "Tolvan E2E-Säker") || !strings.Contains(lead, "frister bevakas inte längre") {
		t.Errorf("the confirmation says %q", lead)
	}
	bt.AssertAccessible(t, ctx)
	bt.ClickAndLoad(t, ctx, `main form button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--success"); got != "Ärendet är avslutat." {
		t.Errorf("after closing %q", got)
	}
	// Reopening: "Avbryt" goes back and changes nothing; then yes.
	bt.ClickAndLoad(t, ctx, `form[action$="/status"] button[type="submit"]`)
	bt.ClickAndLoad(t, ctx, `main form a.button`)
	if got := bt.Text(t, ctx, `form[action$="/status"] button`); got != "Öppna ärendet igen" {
		t.Errorf("after cancelling the case offers %q", got)
	}
	bt.ClickAndLoad(t, ctx, `form[action$="/status"] button[type="submit"]`)
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Öppna ärendet igen?" {
		t.Fatalf("confirmation heading %q", h1)
	}
	bt.AssertAccessible(t, ctx)
	bt.ClickAndLoad(t, ctx, `main form button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--success"); got != "Ärendet är öppnat igen." {
		t.Errorf("after reopening %q", got)
	}

	// The manager moves it: no office is chosen before one is.
	manager := demoBrowser(t, srv, "chef")
	bt.Navigate(t, manager, srv.URL+casePath)
	if v := bt.Eval[string](t, manager, `document.getElementById('move-office').value`); v != "" {
		t.Errorf("the move form starts on office %q", v)
	}
	submitWithError(t, manager, `form[action$="/kontor"] button[type="submit"]`)
	if got := bt.Text(t, manager, ".message-box--error"); !strings.Contains(got, "Kontor: Välj det kontor ärendet ska flyttas till.") {
		t.Errorf("move without an office: %q", got)
	}
	bt.Eval[bool](t, manager, `(() => { const s = document.getElementById('move-office'); s.value = s.options[1].value; return true; })()`)
	bt.ClickAndLoad(t, manager, `form[action$="/kontor"] button[type="submit"]`)
	if h1 := bt.Text(t, manager, "h1"); h1 != "Flytta ärendet?" {
		t.Fatalf("move confirmation heading %q", h1)
	}
	bt.AssertAccessible(t, manager)
	bt.ClickAndLoad(t, manager, `main form button[type="submit"]`)
	if u := bt.Eval[string](t, manager, `location.pathname`); u != "/arenden/kontor" {
		t.Errorf("after the move: at %s", u)
	}

	// A budget line, deleted after a confirmation.
	staff := demoBrowser(t, srv, "forbund")
	bt.Navigate(t, staff, srv.URL+"/forbund/finsam-gotland/budget")
	do(t, staff, chromedp.SendKeys(chromedp.CSS("#amount"), "12345"), chromedp.SendKeys(chromedp.CSS("#note"), "E2E-rad"))
	bt.ClickAndLoad(t, staff, `form[action$="/budget"] button[type="submit"]`)
	rows := func() int {
		return bt.Eval[int](t, staff, `Array.from(document.querySelectorAll('main table tbody tr')).filter(r => r.textContent.includes('E2E-rad')).length`)
	}
	if rows() != 1 {
		t.Fatal("the new budget line is not listed")
	}
	bt.Eval[bool](t, staff, `(() => { const r = Array.from(document.querySelectorAll('main table tbody tr')).find(r => r.textContent.includes('E2E-rad')); r.querySelector('form').setAttribute('id', 'e2e-delete'); return true; })()`)
	bt.ClickAndLoad(t, staff, `#e2e-delete button[type="submit"]`)
	if h1 := bt.Text(t, staff, "h1"); h1 != "Ta bort raden?" {
		t.Fatalf("delete confirmation heading %q", h1)
	}
	if lead := bt.Text(t, staff, "main .message-box"); !strings.Contains(lead, "123 45") && !strings.Contains(lead, "12 345") {
		t.Errorf("the confirmation does not name the amount: %q", lead)
	}
	bt.AssertAccessible(t, staff)
	bt.ClickAndLoad(t, staff, `main form button[type="submit"]`)
	if got := bt.Text(t, staff, ".message-box--success"); got != "Raden är borttagen." {
		t.Errorf("after deleting %q", got)
	}
	if rows() != 0 {
		t.Error("the deleted line is still listed")
	}
	// No errors but the deliberate 422s, whose report the browser may
	// repeat after submitWithError has read it.
	for _, c := range []context.Context{ctx, manager, staff} {
		for _, e := range bt.ConsoleErrors(t, c) {
			if !strings.Contains(e, "status of 422") {
				t.Errorf("the browser reported %s", e)
			}
		}
	}
}
