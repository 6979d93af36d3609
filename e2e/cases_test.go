package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Swedish dates without the system's zoneinfo

	"github.com/chromedp/chromedp"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// addCaseWork writes, into the running server's database, a case of the
// demo case worker (in the Visby insurance centre, with deadlines from the
// recompute) and a case worker of another office, so that the test does
// not depend on which cases the demo data holds. It returns the case's id.
func addCaseWork(t *testing.T, dataDir string) int64 {
	t.Helper()
	engine, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	// The server reckons in Swedish dates.
	today := civil.Of(now.In(stockholm))
	var caseID int64
	withStore(t, dataDir, "case work fixture", func(ctx context.Context, st *store.Store) error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			orgs, err := orgIDs(ctx, tx, "fk")
			if err != nil {
				return err
			}
			fk := orgs["fk"]
			offices, err := store.Offices(ctx, tx, fk)
			if err != nil {
				return err
			}
			var visby, other int64
			for _, o := range offices {
				switch o.Slug {
				case "lfc-visby":
					visby = o.ID
				case "lk-visby":
					other = o.ID
				}
			}
			if err := addCaseWorker(ctx, tx, fk, other, "e2e-annat", "Erik Annatkontor (e2e)"); err != nil {
				return err
			}
			if err := addCaseWorker(ctx, tx, fk, visby, "e2e-kollega", "Karin Kollega (e2e)"); err != nil {
				return err
			}
			hw, err := store.UserByName(ctx, tx, "handlaggare")
			if err != nil {
				return err
			}
			// Sick for 80 days and certified for 40 more: day 91 is ahead,
			// the employer's return-to-work plan is overdue.
			first := today.AddDays(-79).Time()
			last := today.AddDays(40).Time()
			if caseID, _, err = paperCase(ctx, tx, visby, hw.ID, "198507079806", "Elsa E2E-Testsson", first, last, 100, now); err != nil {
				return err
			}
			rc := casework.Recomputer{Store: st, Engine: engine}
			return rc.RefreshCase(ctx, tx, caseID, today)
		})
	})
	return caseID
}

// TestCaseWorkInBrowser: the demo case worker signs in, sees the worklist,
// opens a case from it, closes a deadline and adds an action to the
// rehabilitation plan (after a try with errors); a case worker of another
// office gets 404 for the case; the manager sees the office's list.
// axe-core checks every page and state.
func TestCaseWorkInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)
	caseID := addCaseWork(t, srv.DataDir)
	casePath := fmt.Sprintf("/arenden/%d", caseID)

	signIn(t, ctx, srv.URL, "handlaggare", "demo")
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/arenden"]`)
	if h1 := bt.Text(t, ctx, "h1"); h1 != "Mina ärenden" {
		t.Fatalf("worklist heading %q", h1)
	}
	if n := bt.Eval[int](t, ctx, `document.querySelectorAll('table.finsam-worklist tbody tr').length`); n == 0 {
		t.Fatal("the worklist is empty")
	}
	if got := bt.Text(t, ctx, "#worklist-count"); !strings.Contains(got, "ärenden") {
		t.Errorf("count %q", got)
	}
	assertCaseAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)

	// The test's case is on the worklist; open it from there (a later
	// page if the demo's cases come first).
	link := fmt.Sprintf(`table.finsam-worklist a[href="%s"]`, casePath)
	for page := 0; bt.Eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll('%s').length`, link)) == 0; page++ {
		if page > 50 || bt.Eval[int](t, ctx, `document.querySelectorAll('nav.finsam-pager a[href*="after="]').length`) == 0 {
			t.Fatalf("case %d is not on the worklist", caseID)
		}
		bt.ClickAndLoad(t, ctx, `nav.finsam-pager a[href*="after="]`)
	}
	bt.ClickAndLoad(t, ctx, link)
	if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, "Elsa E2E-Testsson") {
		t.Fatalf("case page heading %q", h1)
	}
	if day := bt.Text(t, ctx, "#case-result"); !strings.Contains(day, "80") {
		t.Errorf("the result does not show chain day 80: %q", day)
	}
	assertCaseAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
	bt.Screenshot(t, ctx, "case-page")

	// Close the first open deadline.
	action := bt.Eval[string](t, ctx, `(document.querySelector('form.finsam-deadline-close') || {}).getAttribute?.('action') || ''`)
	var deadlineID int64
	if _, err := fmt.Sscanf(action, casePath+"/frister/%d", &deadlineID); err != nil {
		t.Fatalf("no open deadline to close (%q)", action)
	}
	row := fmt.Sprintf("#deadline-%d", deadlineID)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(row+` input[name="note"]`), "Plan inhämtad från arbetsgivaren"))
	bt.ClickAndLoad(t, ctx, row+` button[type="submit"]`)
	if got := bt.Text(t, ctx, row); !strings.Contains(got, "Klar") || !strings.Contains(got, "Hanna Handläggare") {
		t.Errorf("the closed deadline reads %q", got)
	}
	assertCaseAccessible(t, ctx)

	// Add a plan action: first without a title or date, then right.
	openPlanForm := func() {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#plan details summary`)),
			chromedp.WaitVisible(chromedp.CSS(`#action-title`))); err != nil {
			t.Fatal(err)
		}
	}
	openPlanForm()
	submitWithError(t, ctx, `#plan form[action$="/atgarder"] button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(got, "Åtgärd: Fyll i det här fältet.") {
		t.Errorf("error summary %q", got)
	}
	assertCaseAccessible(t, ctx)
	due := time.Now().AddDate(0, 0, 21).Format(time.DateOnly)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#action-title"), "Avstämningsmöte med arbetsgivaren"),
		chromedp.SendKeys(chromedp.CSS("#action-due"), due),
	); err != nil {
		t.Fatal(err)
	}
	bt.ClickAndLoad(t, ctx, `#plan form[action$="/atgarder"] button[type="submit"]`)
	if got := bt.Text(t, ctx, "table.finsam-actions"); !strings.Contains(got, "Avstämningsmöte med arbetsgivaren") || !strings.Contains(got, due) {
		t.Errorf("the plan reads %q", got)
	}
	assertCaseAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)

	// A new sickness case by hand from the worklist: a wrong check digit
	// first, then right; the new case opens.
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/arenden"]`)
	bt.ClickAndLoad(t, ctx, `a[href="/arenden/nytt"]`)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#new-personnummer"), "19121212-1213"),
		chromedp.SendKeys(chromedp.CSS("#new-name"), "Nils Nyfallsson (testperson)"),
		chromedp.SendKeys(chromedp.CSS("#new-from"), time.Now().AddDate(0, 0, -10).Format(time.DateOnly)),
		chromedp.SendKeys(chromedp.CSS("#new-to"), time.Now().AddDate(0, 0, 20).Format(time.DateOnly)),
		chromedp.SendKeys(chromedp.CSS("#new-source"), "Läkarintyg på papper"),
	); err != nil {
		t.Fatal(err)
	}
	submitWithError(t, ctx, `form[action="/arenden/nytt"] button[type="submit"]`)
	if got := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(got, "Kontrollsiffran stämmer inte") {
		t.Errorf("new case error summary %q", got)
	}
	assertCaseAccessible(t, ctx)
	bt.Eval[string](t, ctx, `document.querySelector('#new-personnummer').value = ''`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#new-personnummer"), "19121212-1212"))
	bt.ClickAndLoad(t, ctx, `form[action="/arenden/nytt"] button[type="submit"]`)
	if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, "Nils Nyfallsson") {
		t.Errorf("the new case's heading %q", h1)
	}
	assertCaseAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)

	// A case worker of another office: 404, and the page says nothing of
	// the case.
	other := bt.NewBrowser(t)
	signIn(t, other, srv.URL, "e2e-annat", e2eOtherPassword)
	resp, err := chromedp.Run(other, chromedp.NavigateResponse(srv.URL+casePath))
	if err != nil {
		t.Fatal(err)
	}
	if resp == nil || resp.Status != 404 {
		t.Fatalf("another office's case worker: %v, want 404", resp)
	}
	if body := bt.Text(t, other, "main"); strings.Contains(body, "Elsa") {
		t.Error("the 404 page names the person")
	}
	assertCaseAccessible(t, other)

	// A colleague in the same office is asked why before seeing the case.
	colleague := bt.NewBrowser(t)
	signIn(t, colleague, srv.URL, "e2e-kollega", e2eOtherPassword)
	do(t, colleague, chromedp.Navigate(srv.URL+casePath))
	if h1 := bt.Text(t, colleague, "h1"); h1 != "Varför öppnar du ärendet?" {
		t.Fatalf("colleague's heading %q", h1)
	}
	if body := bt.Text(t, colleague, "main"); strings.Contains(body, "Elsa") {
		t.Error("the purpose page names the person")
	}
	assertCaseAccessible(t, colleague)
	do(t, colleague, chromedp.SetValue(chromedp.CSS("#purpose-code"), "substitute"))
	bt.ClickAndLoad(t, colleague, `main form[action^="/arenden/"] button[type="submit"]`)
	if h1 := bt.Text(t, colleague, "h1"); !strings.Contains(h1, "Elsa E2E-Testsson") {
		t.Errorf("after giving a purpose: %q", h1)
	}
	bt.AssertNoConsoleErrors(t, colleague)

	// The manager's list of the office.
	manager := demoBrowser(t, srv, "chef")
	bt.ClickAndLoad(t, manager, `nav.finsam-nav a[href="/arenden"]`)
	if h1 := bt.Text(t, manager, "h1"); h1 != "Kontorets ärenden" {
		t.Fatalf("manager's heading %q", h1)
	}
	assertCaseAccessible(t, manager)
	// A case as the manager sees it: the forms to re-assign it and to move
	// it to another office.
	bt.ClickAndLoad(t, manager, `main table tbody a[href^="/arenden/"]`)
	bt.AssertVisible(t, manager, `form[action$="/kontor"] select#move-office`)
	assertCaseAccessible(t, manager)
	bt.AssertNoConsoleErrors(t, manager)
}

// assertCaseAccessible is bt.AssertAccessible for the case pages. axe-core
// cannot compute the background of text inside SVG and reports the case
// timeline's labels as undecided for color-contrast: those, and only
// those, are accepted, because web.TestCaseTimelineTextHasContrast checks
// every label of the picture against the shape under it (at least 4.5:1).
func assertCaseAccessible(t *testing.T, ctx context.Context) {
	t.Helper()
	assertAccessibleSVGText(t, ctx, "finsam-timeline", "SVG text in the case timeline; contrast checked by web.TestCaseTimelineTextHasContrast")
}
