package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// checkAdminPage checks the page open in ctx: its heading, the
// administration navigation with the current page marked, no browser
// errors, and axe-core.
func checkAdminPage(t *testing.T, ctx context.Context, h1, current, shot string, opts ...bt.AxeOption) {
	t.Helper()
	if got := bt.Text(t, ctx, "h1"); !strings.Contains(got, h1) {
		t.Errorf("h1 %q, want one with %q", got, h1)
	}
	if current != "" {
		if got := bt.Eval[string](t, ctx, `(document.querySelector('nav.finsam-nav a[aria-current="page"]') || {}).textContent || ''`); got != current {
			t.Errorf("navigation marks %q as the current page, want %q", got, current)
		}
	}
	bt.AssertNoConsoleErrors(t, ctx)
	bt.AssertAccessible(t, ctx, opts...)
	bt.Screenshot(t, ctx, shot)
}

// submitWithError submits a form that the server answers with 422 and
// waits for the page with the error summary (ClickAndLoad refuses error
// statuses). The browser reports the 422 as an error; that one, and nothing
// else, is expected.
func submitWithError(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitVisible(chromedp.CSS(`.message-box--error .error-list__list`)),
	); err != nil {
		t.Fatalf("submit %s: %v", button, err)
	}
	errs := bt.ConsoleErrors(t, ctx)
	if len(errs) != 1 || !strings.Contains(errs[0], "status of 422") {
		t.Errorf("after a form with errors the browser reported %q, want only the 422", errs)
	}
}

// checkedRoleReview accepts axe-core's undecided contrast of a checked
// checkbox's label: FKUI draws the box and its tick as ::before and ::after
// at the label's left edge, so axe cannot tell the text's background. By
// hand: the text starts after the box (padding-left) on the page's white
// background, dark grey on white.
func checkedRoleReview(role string) bt.AxeOption {
	return bt.Reviewed("color-contrast", `label[for="role-`+role+`"]`,
		"FKUI checkbox: the tick is a pseudo-element beside the text, which is dark on the white page")
}

// TestAdministrationInBrowser signs in as the demo's system administrator
// through the real form, opens every administration page (and the pages
// that answer its forms, with and without errors) under axe-core, creates a
// user through the form and signs in as that user.
func TestAdministrationInBrowser(t *testing.T) {
	// The server first: its start (demo data) is not the browser's time.
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "admin")

	// Users.
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/admin/users"]`)
	checkAdminPage(t, ctx, "Användare", "Användare", "finsam-admin-users")
	if text := bt.Text(t, ctx, "main table"); !strings.Contains(text, "handlaggare") || !strings.Contains(text, "samordnare-af") {
		t.Error("the system administrator's user list lacks the demo users")
	}

	// A new user, first with nothing filled in.
	bt.ClickAndLoad(t, ctx, `main a[href="/admin/users/new"]`)
	checkAdminPage(t, ctx, "Ny användare", "", "finsam-admin-user-new")
	submitWithError(t, ctx, `form[action="/admin/users"] button[type="submit"]`)
	if got := bt.Text(t, ctx, `label[for="username"]`); !strings.Contains(got, "Fyll i det här fältet") {
		t.Errorf("no error next to the user name: %q", got)
	}
	checkAdminPage(t, ctx, "Ny användare", "", "finsam-admin-user-new-errors")

	// Then for real, at Försäkringskassan's office in Visby.
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#choose-org"), "fk"))
	bt.ClickAndLoad(t, ctx, `form[action="/admin/users/new"] button`)
	if got := bt.Text(t, ctx, "form.finsam-form dl"); !strings.Contains(got, "Försäkringskassan") {
		t.Fatalf("the form is not for Försäkringskassan: %q", got)
	}
	office := bt.Eval[string](t, ctx, `(() => {
		const s = document.querySelector('#office');
		const o = Array.from(s.options).find(o => o.text.includes('försäkringscenter Visby'));
		s.value = o.value;
		return o.text;
	})()`)
	if office == "" {
		t.Fatal("no office to choose")
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#username"), "ny-handlaggare"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Nora Nyberg"),
		chromedp.SendKeys(chromedp.CSS("#email"), "nora@example.se"),
		chromedp.Click(chromedp.CSS(`label[for="role-case_worker"]`)),
	); err != nil {
		t.Fatal(err)
	}
	if !bt.Eval[bool](t, ctx, `document.querySelector('#role-case_worker').checked`) {
		t.Fatal("clicking the role's label did not check it")
	}
	bt.ClickAndLoad(t, ctx, `form[action="/admin/users"] button[type="submit"]`)
	password := bt.Text(t, ctx, "#secret")
	if len(password) < 12 {
		t.Fatalf("no password shown: %q", password)
	}
	checkAdminPage(t, ctx, "Användaren är skapad", "", "finsam-admin-user-created")

	bt.ClickAndLoad(t, ctx, `main a[href^="/admin/users/"]`)
	checkAdminPage(t, ctx, "Nora Nyberg", "", "finsam-admin-user", checkedRoleReview("case_worker"))
	if strings.Contains(bt.Text(t, ctx, "main"), password) {
		t.Fatal("the user's page shows the password again")
	}

	// Organisations.
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/admin/organisations"]`)
	checkAdminPage(t, ctx, "Organisationer", "Organisationer", "finsam-admin-organisations")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#type"), "municipality"),
		chromedp.SendKeys(chromedp.CSS("#q"), "got"),
	); err != nil {
		t.Fatal(err)
	}
	bt.ClickAndLoad(t, ctx, `form[action="/admin/organisations"][method="get"] button`)
	if got := bt.Text(t, ctx, "main table tbody"); !strings.Contains(got, "Gotlands kommun") || strings.Contains(got, "Region Gotland") {
		t.Errorf("filtered list: %q", got)
	}
	bt.Navigate(t, ctx, srv.URL+"/admin/organisations?type=municipality&page=2")
	checkAdminPage(t, ctx, "Organisationer", "Organisationer", "finsam-admin-organisations-page2")
	bt.Navigate(t, ctx, srv.URL+"/admin/organisations/fk")
	checkAdminPage(t, ctx, "Försäkringskassan", "", "finsam-admin-organisation-fk")
	bt.Navigate(t, ctx, srv.URL+"/admin/organisations/finsam-gotland")
	checkAdminPage(t, ctx, "Samordningsförbundet Gotland", "", "finsam-admin-organisation-association")
	submitWithError(t, ctx, `form[action="/admin/organisations/finsam-gotland/offices"] button[type="submit"]`)
	checkAdminPage(t, ctx, "Samordningsförbundet Gotland", "", "finsam-admin-office-errors")

	// API tokens and the audit log in a browser of their own: one browser
	// has BrowserTimeout for everything it does, and the pages above take
	// most of it on a busy machine.
	ctx = demoBrowser(t, srv, "admin")

	// API tokens: one for Region Gotland's records system, shown once.
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/admin/tokens"]`)
	checkAdminPage(t, ctx, "API-nycklar", "API-nycklar", "finsam-admin-tokens")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#token-name"), "Journalsystemet"),
		chromedp.SetValue(chromedp.CSS("#token-org"), "region-gotland"),
		chromedp.Click(chromedp.CSS(`label[for="scope-0"]`)),
	); err != nil {
		t.Fatal(err)
	}
	bt.ClickAndLoad(t, ctx, `form[action="/admin/tokens"] button[type="submit"]`)
	if token := bt.Text(t, ctx, "#secret"); !strings.HasPrefix(token, "fst_") {
		t.Fatalf("no token shown: %q", token)
	}
	checkAdminPage(t, ctx, "API-nyckeln är skapad", "", "finsam-admin-token-created")
	bt.Navigate(t, ctx, srv.URL+"/admin/tokens")
	bt.ClickAndLoad(t, ctx, `form[action$="/revoke"] button`)
	checkAdminPage(t, ctx, "Återkalla API-nyckeln?", "", "finsam-admin-token-revoke-confirm")
	bt.ClickAndLoad(t, ctx, `main form[action$="/revoke"] button[type="submit"]`)
	checkAdminPage(t, ctx, "API-nycklar", "API-nycklar", "finsam-admin-token-revoked")

	// The audit log, a search, and an extract for one (made-up) person.
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/admin/audit"]`)
	checkAdminPage(t, ctx, "Granskningslogg", "Granskningslogg", "finsam-admin-audit")
	// The action is chosen by its name; the form sends its code.
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#action"), "sign_in"))
	bt.ClickAndLoad(t, ctx, `form[action="/admin/audit"] button[type="submit"]`)
	if got := bt.Text(t, ctx, "main table tbody"); !strings.Contains(got, "admin") || !strings.Contains(got, "Inloggning") {
		t.Errorf("the search does not show the sign-in: %q", got)
	}
	checkAdminPage(t, ctx, "Granskningslogg", "Granskningslogg", "finsam-admin-audit-search")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#personnummer"), "19790314-9806"))
	submitWithError(t, ctx, `form[action="/admin/audit/person"] button[value="html"]`)
	checkAdminPage(t, ctx, "Granskningslogg", "", "finsam-admin-extract-error")
	bt.Eval[string](t, ctx, `document.querySelector('#personnummer').value = ''`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#personnummer"), "19790314-9818"))
	bt.ClickAndLoad(t, ctx, `form[action="/admin/audit/person"] button[value="html"]`)
	checkAdminPage(t, ctx, "Loggutdrag 19790314-XXXX", "", "finsam-admin-extract")
	if url := bt.Eval[string](t, ctx, "location.href"); strings.Contains(url, "9818") || strings.Contains(url, "790314") {
		t.Errorf("the personnummer is in the address: %s", url)
	}
	// Making an extract is an access to the person's log: the next extract
	// shows it.
	bt.Navigate(t, ctx, srv.URL+"/admin/audit")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#personnummer"), "197903149818"))
	bt.ClickAndLoad(t, ctx, `form[action="/admin/audit/person"] button[value="html"]`)
	if got := bt.Text(t, ctx, "main table tbody"); !strings.Contains(got, "Loggutdrag") || !strings.Contains(got, "admin") {
		t.Errorf("the second extract does not show the first: %q", got)
	}
	checkAdminPage(t, ctx, "Loggutdrag 19790314-XXXX", "", "finsam-admin-extract-rows")

	// English.
	bt.Navigate(t, ctx, srv.URL+"/admin/users?lang=en")
	checkAdminPage(t, ctx, "Users", "Users", "finsam-admin-users-en")

	// The new user signs in with the password shown once.
	bt.ClickAndLoad(t, ctx, `form[action="/logout"] button`)
	signIn(t, ctx, srv.URL, "ny-handlaggare", password)
	if who := bt.Text(t, ctx, ".finsam-who"); !strings.Contains(who, "Nora Nyberg") || !strings.Contains(who, "Försäkringskassan") {
		t.Fatalf("signed in as %q", who)
	}
	if n := bt.Eval[int](t, ctx, `document.querySelectorAll('nav.finsam-nav a[href^="/admin"]').length`); n != 0 {
		t.Error("a case worker's navigation offers administration")
	}
}
