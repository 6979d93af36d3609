package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// visibleRows counts the worklist's case rows wholly inside the window
// once the table's top is scrolled to the window's top: how many cases one
// screen shows. tallest is the tallest row's height, to tell one line a
// case from rows that wrap.
const visibleRows = `(() => {
  const t = document.querySelector('table.finsam-wl');
  t.scrollIntoView({block: 'start'});
  let n = 0, tallest = 0;
  for (const tr of t.querySelectorAll('tbody tr:not(.finsam-wl-group)')) {
    const r = tr.getBoundingClientRect();
    tallest = Math.max(tallest, r.height);
    if (r.top >= 0 && r.bottom <= window.innerHeight) n++;
  }
  window.scrollTo(0, 0);
  return [n, Math.round(tallest)];
})()`

// TestDenseWorklistInBrowser: at 1280 x 800 the case worker's and the
// manager's worklists show one line a case and at least fifteen cases a
// screen, pass axe, and the manager gives a case away with the bulk form
// (no JavaScript needed).
func TestDenseWorklistInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	for _, tc := range []struct{ user, path, shot string }{
		{"handlaggare", "/arenden", "worklist-dense"},
		{"chef", "/arenden/kontor", "worklist-office-dense"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			ctx := bt.NewBrowser(t)
			do(t, ctx, chromedp.EmulateViewport(1280, 800))
			signIn(t, ctx, srv.URL, tc.user, "demo")
			bt.Navigate(t, ctx, srv.URL+tc.path)
			got := bt.Eval[[]int](t, ctx, visibleRows)
			if got[0] < 15 {
				t.Errorf("%d cases visible on a 1280 x 800 screen, want at least 15", got[0])
			}
			if got[1] > 40 {
				t.Errorf("the tallest row is %d px: a cell wraps", got[1])
			}
			if n := bt.Eval[int](t, ctx, `document.querySelectorAll('.finsam-wl-legend li').length`); n < 6 {
				t.Errorf("the legend explains %d icons", n)
			}
			bt.AssertAccessible(t, ctx)
			bt.AssertNoConsoleErrors(t, ctx)
			bt.Screenshot(t, ctx, tc.shot)

			// Another order: no groups, and the heading says how it is sorted.
			bt.ClickAndLoad(t, ctx, `table.finsam-wl thead a[href*="sort=degree"]`)
			if n := bt.Eval[int](t, ctx, `document.querySelectorAll('table.finsam-wl tr.finsam-wl-group').length`); n != 0 {
				t.Errorf("%d due groups in the order by degree", n)
			}
			if got := bt.Eval[string](t, ctx, `document.querySelector('th[aria-sort]').getAttribute('aria-sort')`); got != "descending" {
				t.Errorf("aria-sort %q", got)
			}
			bt.AssertAccessible(t, ctx)
		})
	}

	t.Run("bulk assignment", func(t *testing.T) {
		ctx := bt.NewBrowser(t)
		do(t, ctx, chromedp.EmulateViewport(1280, 800))
		signIn(t, ctx, srv.URL, "chef", "demo")
		bt.Navigate(t, ctx, srv.URL+"/arenden/kontor")
		bt.Eval[bool](t, ctx, `(() => { const b = document.querySelectorAll('input.finsam-wl-check'); b[0].checked = true; b[1].checked = true;
		  const s = document.querySelector('#bulk-user'); s.selectedIndex = 1; return true; })()`)
		bt.ClickAndLoad(t, ctx, `form.finsam-wl-bulk button[type="submit"]`)
		if got := bt.Text(t, ctx, ".message-box"); !strings.Contains(got, "2 ärenden tilldelades") {
			t.Errorf("after the bulk assignment: %q", got)
		}
		bt.AssertAccessible(t, ctx)
	})
}
