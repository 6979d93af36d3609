package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// The person the search test looks for: a case of the demo case worker in
// the Visby insurance centre, coordinated with AF under the person's
// consent.
const (
	searchPnr  = "19800202-9802"
	searchName = "Sara Sökbar (e2e)"
)

// searchFixture writes the person, their case, a coordination FK leads with
// AF invited under a consent, and a colleague of the case worker in the same
// office into the running server's database. It returns the case's id.
func searchFixture(t *testing.T, dataDir string) int64 {
	t.Helper()
	now := time.Now()
	var caseID int64
	withStore(t, dataDir, "search fixture", func(ctx context.Context, st *store.Store) error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			orgs, err := orgIDs(ctx, tx, "fk", "af")
			if err != nil {
				return err
			}
			fk, af := orgs["fk"], orgs["af"]
			hw, err := store.UserByName(ctx, tx, "handlaggare")
			if err != nil {
				return err
			}
			if err := addCaseWorker(ctx, tx, fk, hw.OfficeID, "e2e-sok-kollega", "Kim Kollega (e2e)"); err != nil {
				return err
			}
			first := now.AddDate(0, 0, -30).UTC().Truncate(24 * time.Hour)
			last := now.AddDate(0, 0, 30).UTC().Truncate(24 * time.Hour)
			var person int64
			if caseID, person, err = paperCase(ctx, tx, hw.OfficeID, hw.ID, strings.ReplaceAll(searchPnr, "-", ""), searchName, first, last, 100, now); err != nil {
				return err
			}
			day := civil.Of(now.AddDate(0, 0, -1))
			if _, err := store.RecordConsent(ctx, tx, coordination.Consent{PersonID: person, RecordedByOrg: fk, Purpose: coordination.PurposeReconciliation,
				Parties:   []coordination.Party{{OrgID: af, Parts: policy.PartBasic | policy.PartPlan}},
				ValidFrom: day, ValidUntil: day.AddDays(90), Method: coordination.Written, DocumentRef: "e2e"}, hw.ID, now); err != nil {
				return err
			}
			coord, err := store.StartCoordination(ctx, tx, caseID, person, fk, hw.ID, now)
			if err != nil {
				return err
			}
			return store.InviteParty(ctx, tx, coord, af, hw.ID, now)
		})
	})
	return caseID
}

// searchFromHeader types q into the header's search field on the page at
// hand and sends it; the answer must have the status want.
func searchFromHeader(t *testing.T, ctx context.Context, q string, want int64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#finsam-search"), q)); err != nil {
		t.Fatalf("type %q into the header's search: %v", q, err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`header form[action="/sok"] button[type="submit"]`)))
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	if resp == nil || resp.Status != want {
		t.Fatalf("search %q: response %v, want HTTP %d", q, resp, want)
	}
	if want != 200 {
		// The browser reports the error status; that is the point here.
		if errs := bt.ConsoleErrors(t, ctx); len(errs) != 1 {
			t.Errorf("after the search with an error the browser reported %q, want the %d only", errs, want)
		}
	}
}

// addCaseNote adds a note on the case page at hand.
func addCaseNote(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#anteckningar details summary`)),
		chromedp.WaitVisible(chromedp.CSS("#note-body")),
		chromedp.SendKeys(chromedp.CSS("#note-body"), text)); err != nil {
		t.Fatalf("fill in the note: %v", err)
	}
	bt.ClickAndLoad(t, ctx, `form[action$="/anteckningar"] button[type="submit"]`)
	if !strings.Contains(bt.Text(t, ctx, "#anteckningar"), text) {
		t.Errorf("the note %q is not on the case page", text)
	}
}

// TestSearchInBrowser: for each role that has persons to find — the case
// worker, a colleague in the same office, the manager and AF's
// coordinator — sign in, land on the start view, search from the header
// (by personnummer without century, by name, by case number), open the row
// found and act on it: a note on the case (the colleague gives the purpose
// first, as opening a case not one's own asks), a re-assignment by the
// manager, a note in the coordination. The result page passes axe at
// 1280 and 390 px, also with the field's error; the header fits at 390 px.
func TestSearchInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	caseID := searchFixture(t, srv.DataDir)
	casePath := "/arenden/" + itoa(caseID)
	short := searchPnr[2:] // YYMMDD-NNNN

	t.Run("case worker", func(t *testing.T) {
		ctx := demoBrowser(t, srv, "handlaggare")
		if h1 := bt.Text(t, ctx, "h1"); h1 != "Idag" {
			t.Fatalf("start view %q", h1)
		}
		assertHeaderFits(t, ctx)
		// A wrong check digit: the message beside the field.
		searchFromHeader(t, ctx, "800202-9803", 422)
		if got := bt.Text(t, ctx, "#sok-q-error"); !strings.Contains(got, "Kontrollsiffran stämmer inte") {
			t.Errorf("checksum message %q", got)
		}
		assertAccessibleWide(t, ctx)
		bt.Screenshot(t, ctx, "search-error")

		searchFromHeader(t, ctx, short, 200)
		if bt.Eval[bool](t, ctx, `location.search !== "" || location.pathname !== "/sok"`) {
			t.Errorf("the search's address is %s", bt.Eval[string](t, ctx, `location.href`))
		}
		if n := bt.Eval[int](t, ctx, `document.querySelectorAll('ol.finsam-search-hits > li').length`); n != 1 {
			t.Fatalf("%d rows, want 1", n)
		}
		if got := bt.Text(t, ctx, "ol.finsam-search-hits"); !strings.Contains(got, searchName) || !strings.Contains(got, searchPnr) {
			t.Errorf("row %q", got)
		}
		assertAccessibleWide(t, ctx)
		bt.AssertNoConsoleErrors(t, ctx)
		bt.Screenshot(t, ctx, "search-results")
		bt.ClickAndLoad(t, ctx, `ol.finsam-search-hits a[href="`+casePath+`"]`)
		if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, searchName) {
			t.Fatalf("case page %q", h1)
		}
		addCaseNote(t, ctx, "Ringt upp efter sökning")
	})

	t.Run("colleague gives the purpose", func(t *testing.T) {
		ctx := bt.NewBrowser(t)
		signIn(t, ctx, srv.URL, "e2e-sok-kollega", e2eOtherPassword)
		searchFromHeader(t, ctx, "SÖKBAR", 200)
		assertAccessibleWide(t, ctx)
		bt.ClickAndLoad(t, ctx, `ol.finsam-search-hits a[href="`+casePath+`"]`)
		if h1 := bt.Text(t, ctx, "h1"); h1 != "Varför öppnar du ärendet?" {
			t.Fatalf("heading %q, want the purpose page", h1)
		}
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#purpose-code"), "substitute"))
		bt.ClickAndLoad(t, ctx, `main form[action^="/arenden/"] button[type="submit"]`)
		if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, searchName) {
			t.Fatalf("after the purpose %q", h1)
		}
		addCaseNote(t, ctx, "Vikarierar för Hanna")
	})

	t.Run("manager", func(t *testing.T) {
		ctx := demoBrowser(t, srv, "chef")
		assertHeaderFits(t, ctx)
		searchFromHeader(t, ctx, itoa(caseID), 200)
		assertAccessibleWide(t, ctx)
		bt.ClickAndLoad(t, ctx, `ol.finsam-search-hits a[href="`+casePath+`"]`)
		if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, searchName) {
			t.Fatalf("case page %q", h1)
		}
		colleague := bt.Eval[string](t, ctx, `[...document.querySelectorAll('#assign-user option')].find(o => o.textContent.includes('Kim Kollega')).value`)
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#assign-user"), colleague))
		bt.ClickAndLoad(t, ctx, `form[action$="/tilldela"] button[type="submit"]`)
		bt.Navigate(t, ctx, srv.URL+casePath)
		if got := bt.Text(t, ctx, "main"); !strings.Contains(got, "Kim Kollega") {
			t.Error("the case is not re-assigned")
		}
	})

	t.Run("AF coordinator", func(t *testing.T) {
		ctx := demoBrowser(t, srv, "samordnare-af")
		assertHeaderFits(t, ctx)
		searchFromHeader(t, ctx, "sökbar", 200)
		assertAccessibleWide(t, ctx)
		bt.ClickAndLoad(t, ctx, `ol.finsam-search-hits a[href^="/samordning/"]`)
		if got := bt.Text(t, ctx, "main"); !strings.Contains(got, searchName) {
			t.Fatalf("coordination page without the person")
		}
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#note-body"), "AF har kontaktat personen"))
		bt.ClickAndLoad(t, ctx, `form[action$="/anteckningar"] button[type="submit"]`)
		if got := bt.Text(t, ctx, "main"); !strings.Contains(got, "AF har kontaktat personen") {
			t.Error("the note is not on the coordination page")
		}
	})

	t.Run("no search for the board", func(t *testing.T) {
		ctx := demoBrowser(t, srv, "styrelse")
		if n := bt.Eval[int](t, ctx, `document.querySelectorAll('#finsam-search').length`); n != 0 {
			t.Error("the board is offered a search with nothing to find")
		}
	})
}

// assertHeaderFits checks the page header at 390 and 1280 px: the search
// field, the language switch and sign-out are inside the viewport, none
// cut off or covered by another, and nothing of the header reaches past
// the right edge (the tagline is clipped by the name's own box).
func assertHeaderFits(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, w := range []int64{390, 1280} {
		do(t, ctx, chromedp.EmulateViewport(w, 900))
		problem := bt.Eval[string](t, ctx, `(() => {
			const els = ['#finsam-search', 'header form[action="/sok"] button', 'header a[hreflang]', 'header form[action="/logout"] button']
				.map(s => [s, document.querySelector(s)]);
			const w = document.documentElement.clientWidth;
			for (const [s, e] of els) {
				if (!e) return s + ' missing';
				const r = e.getBoundingClientRect();
				if (r.width === 0 || r.left < 0 || r.right > w) return s + ' outside the viewport: ' + r.left + '–' + r.right + ' of ' + w;
				const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				if (top !== e && !e.contains(top)) return s + ' covered by ' + (top ? top.outerHTML.slice(0, 60) : 'nothing');
			}
			const wide = [...document.querySelectorAll('header.page-header *')].filter(e => {
				const r = e.getBoundingClientRect();
				return r.width > 0 && r.right > w + 1 && !e.closest('.page-header__app-name');
			}).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
			if (wide.length > 0) return 'beyond the right edge: ' + wide.slice(0, 5).join(', ');
			const name = document.querySelector('.page-header__app-name').getBoundingClientRect();
			if (name.right > w) return 'the application name beyond the right edge';
			return '';
		})()`)
		if problem != "" {
			t.Errorf("header at %d px: %s", w, problem)
		}
		bt.Screenshot(t, ctx, "search-header-"+itoa(w))
	}
}

func itoa[T int64 | int](n T) string { return strconv.FormatInt(int64(n), 10) }
