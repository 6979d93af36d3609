package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
	"github.com/finsam/finsam/store"
)

// TestDashboardsInBrowser: the director opens the dashboards from the
// navigation, filters by an office, opens a figure and finds its list as
// long as the figure said; the Visby office's manager is offered only her
// own office and does the same with the overdue cases. axe-core checks
// every page.
func TestDashboardsInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	for _, tc := range []struct {
		user, office, figure string
		offices              int
	}{
		// The director chooses among every office: the demo's own three,
		// its generated share's and "all" (0: at least the demo's and "all").
		{"direktor", "Lokalt kontor Roma", `dl.finsam-facts dd a`, 0},
		{"chef", "", `dl.finsam-facts dt:nth-of-type(6) + dd a`, 1},
	} {
		t.Run(tc.user, func(t *testing.T) {
			ctx := demoBrowser(t, srv, tc.user)
			bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/dashboards"]`)
			if h1 := bt.Text(t, ctx, "h1"); h1 != "Styrning per kundgrupp och kontor" {
				t.Fatalf("heading %q", h1)
			}
			if n := bt.Eval[int](t, ctx, `document.querySelectorAll('svg.finsam-chart[role="img"]').length`); n < 5 {
				t.Errorf("%d charts, want the four and an office's at least", n)
			}
			if n := bt.Eval[int](t, ctx, `document.querySelectorAll('#office option').length`); tc.offices == 0 && n < 4 || tc.offices != 0 && n != tc.offices {
				t.Errorf("%d offices to choose, want %d (0: four or more)", n, tc.offices)
			}
			assertChartsAccessible(t, ctx)
			if tc.office != "" {
				if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#office"),
					bt.Eval[string](t, ctx, `Array.from(document.querySelectorAll('#office option')).find(o => o.textContent === `+strconv.Quote(tc.office)+`).value`))); err != nil {
					t.Fatal(err)
				}
				bt.ClickAndLoad(t, ctx, `form[action="/dashboards"] button[type="submit"]`)
				if got := bt.Eval[string](t, ctx, `document.querySelector('#office option:checked').textContent`); got != tc.office {
					t.Errorf("the filter shows %q, want %q", got, tc.office)
				}
				if rows := bt.Text(t, ctx, `table:has(caption) tbody`); strings.Contains(rows, "Visby") && !strings.Contains(tc.office, "Visby") {
					t.Error("a filtered dashboard shows another office")
				}
				assertChartsAccessible(t, ctx)
			}
			want := bt.Text(t, ctx, tc.figure)
			bt.ClickAndLoad(t, ctx, tc.figure)
			if got := bt.Text(t, ctx, "#dash-total strong"); got != want {
				t.Errorf("the figure said %s, its list says %s", want, got)
			}
			n, _ := strconv.Atoi(want)
			if rows := bt.Eval[int](t, ctx, `document.querySelectorAll('table.finsam-dash-list tbody tr').length`); rows != min(n, 100) {
				t.Errorf("the list's first page has %d rows of %d", rows, n)
			}
			bt.AssertAccessible(t, ctx)
			bt.AssertNoConsoleErrors(t, ctx)
		})
	}
}

// TestWhatIfInBrowser: the director opens what-if from the dashboards,
// sends the form empty (a field error, nothing run), then picks a stored
// scenario and follows the run to its outcome. axe-core checks each page.
func TestWhatIfInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := bt.NewBrowser(t)
	withStore(t, srv.DataDir, "what-if scenario", func(ctx context.Context, st *store.Store) error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.InsertRuleScenario(ctx, tx, store.RuleScenario{Name: "kortare-normalniva", CreatedAt: time.Now(), CreatedBy: "e2e",
				Body: `{"name": "180 dagar på normalnivå", "params": [{"name": "normal_level_max_days", "values": [{"from": "2008-07-01", "value": "180"}]}]}`})
			return err
		})
	})
	signIn(t, ctx, srv.URL, "direktor", "demo")
	bt.ClickAndLoad(t, ctx, `nav.finsam-nav a[href="/dashboards"]`)
	bt.ClickAndLoad(t, ctx, `a[href="/dashboards/vad-om"]`)
	bt.AssertAccessible(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/dashboards/vad-om"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.message-box--error`))); err != nil {
		t.Fatal(err)
	}
	if got := bt.Text(t, ctx, ".message-box--error"); !strings.Contains(got, "Välj ett scenario.") {
		t.Errorf("an empty form: %q", got)
	}
	bt.AssertAccessible(t, ctx)
	bt.ConsoleErrors(t, ctx) // the expected 422
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#scenario"), "kortare-normalniva"))
	bt.ClickAndLoad(t, ctx, `form[action="/dashboards/vad-om"] button[type="submit"]`)
	for i := 0; bt.Eval[int](t, ctx, `document.querySelectorAll('progress').length`) > 0; i++ {
		if i > 100 {
			t.Fatal("the run does not finish")
		}
		bt.AssertAccessible(t, ctx)
		time.Sleep(200 * time.Millisecond)
		bt.ClickAndLoad(t, ctx, `a[href^="/dashboards/vad-om?run="]`)
	}
	if got := bt.Text(t, ctx, "dl.finsam-facts"); !strings.Contains(got, "Ärenden som ändras") {
		t.Errorf("no outcome: %q", got)
	}
	if n := bt.Eval[int](t, ctx, `document.querySelectorAll('table.finsam-whatif-sample tbody tr').length`); n == 0 {
		t.Error("no changed cases in the sample")
	}
	bt.AssertAccessible(t, ctx)
	bt.AssertNoConsoleErrors(t, ctx)
}
