package e2e

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	bt "github.com/finsam/finsam/internal/browsertest"
)

// Widths the walker looks at every page in: a laptop and a phone.
const (
	desktopWidth = 1280
	phoneWidth   = 390
)

// walkPagesPerRole bounds the crawl of one role: pages of the same kind
// (the same route with other ids, the same query with other values) count
// once, so a role reaches far fewer kinds than this.
const walkPagesPerRole = 60

// walkKnownRoutes are pages a role may use that no menu or list links to,
// visited beside the crawl. A role that may not use one gets the error
// page, which must keep the signed-in header and menu.
var walkKnownRoutes = []string{
	"/regler/parametrar", "/arenden/nytt", "/arenden/kontor", "/dashboards/lista",
	"/dashboards/vad-om", "/samordning/vardenheter", "/admin/users/new", "/certificates/rejected",
	"/arenden/999999",
}

// walkSkip are links the walker does not follow: downloads, the API, the
// language switch (it changes the session's language), signing in and
// static files.
var walkSkip = regexp.MustCompile(`^/(?:api/|static/|login|logout|healthz|readyz|metrics)|\.(?:csv|xlsx|pdf|json|xml|ics)$`)

// TestWalkEveryPageAsEveryRole signs in as every demo role and visits every
// page its menu, and the lists and links on those pages, lead to (a
// bounded crawl of same-origin GET links), plus walkKnownRoutes. Every
// page must be free of developer text (devTextPatterns), must not scroll
// sideways at 390 px, and must pass axe at 1280 and 390 px (each kind of
// page is checked by axe once, for the first role that reaches it). With
// FINSAM_SCREENSHOTS set to a folder, the pages axe checks are kept there
// as pictures at both widths.
func TestWalkEveryPageAsEveryRole(t *testing.T) {
	srv := bt.StartServer(t)
	axeDone := map[string]bool{}
	for _, role := range demoRoles {
		t.Run(role.username, func(t *testing.T) {
			ctx := bt.NewBrowser(t, bt.WithTimeout(8*time.Minute))
			signIn(t, ctx, srv.URL, role.username, "demo")
			w := walker{t: t, ctx: ctx, base: srv.URL, role: role.username, axeDone: axeDone, seen: map[string]bool{}}
			for _, href := range role.nav {
				w.enqueue(srv.URL+href, true)
			}
			for _, href := range walkKnownRoutes {
				w.enqueue(srv.URL+href, false)
			}
			w.run()
			t.Logf("%s: %d page(s) of %d kind(s)", role.username, w.visited, len(w.seen))
		})
	}
}

type walkItem struct {
	url    string
	linked bool // found as a link, so it must answer 2xx
	from   string
}

type walker struct {
	t       *testing.T
	ctx     context.Context
	base    string
	role    string
	queue   []walkItem
	seen    map[string]bool
	axeDone map[string]bool
	visited int
}

// pageKind is what makes two addresses the same kind of page: the path
// with its numbers and the names in certain positions replaced, and
// whether it has a query.
func pageKind(u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i] = "{n}"
		}
	}
	// /forbund/{slug}/… and /admin/organisations/{slug}: one association
	// or organisation stands for all.
	if len(segs) > 2 && (segs[1] == "forbund" || segs[1] == "f") {
		segs[2] = "{slug}"
	}
	if len(segs) > 3 && segs[1] == "admin" && segs[2] == "organisations" {
		segs[3] = "{slug}"
	}
	// A filtered or paged list is one more kind, whatever the filter.
	kind := strings.Join(segs, "/")
	if u.RawQuery != "" {
		kind += "?…"
	}
	return kind
}

func (w *walker) enqueue(raw string, linked bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme+"://"+u.Host != w.base || walkSkip.MatchString(u.Path) || u.Query().Has("lang") {
		return
	}
	u.Fragment = ""
	kind := pageKind(u)
	if w.seen[kind] {
		return
	}
	w.seen[kind] = true
	w.queue = append(w.queue, walkItem{url: u.String(), linked: linked})
}

func (w *walker) run() {
	t := w.t
	for len(w.queue) > 0 && w.visited < walkPagesPerRole {
		it := w.queue[0]
		w.queue = w.queue[1:]
		w.visited++
		w.setWidth(desktopWidth)
		resp, err := chromedp.Run(w.ctx, chromedp.NavigateResponse(it.url))
		if err != nil {
			t.Fatalf("open %s: %v", it.url, err)
		}
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		if status >= 400 {
			if it.linked {
				t.Errorf("%s: a link leads to HTTP %d", it.url, status)
			}
			// The error page keeps the signed-in header and menu.
			if n := bt.Eval[int](t, w.ctx, `document.querySelectorAll('nav.finsam-nav a, .finsam-who').length`); n < 2 {
				t.Errorf("%s: the error page (HTTP %d) lost the signed-in header and menu", it.url, status)
			}
		}
		w.checkPage(it.url, status < 400)
		if status >= 400 {
			continue
		}
		links := bt.Eval[[]string](t, w.ctx, `Array.from(document.querySelectorAll('a[href]')).map(a => a.href)`)
		for _, l := range links {
			w.enqueue(l, true)
		}
	}
	if len(w.queue) > 0 {
		t.Logf("%s: the walk stopped at %d pages; %d kind(s) not visited, first %s", w.role, walkPagesPerRole, len(w.queue), w.queue[0].url)
	}
}

// pageTextJS opens every details element (its content is on the page,
// folded) and returns the page's text without what the pattern list
// exempts (see devTextPatterns).
const pageTextJS = `(() => {
	document.querySelectorAll('details').forEach(d => d.open = true);
	const code = Array.from(document.querySelectorAll('pre.finsam-code, [translate="no"]'));
	const shown = code.map(e => e.style.getPropertyValue('display'));
	code.forEach(e => e.style.setProperty('display', 'none', 'important'));
	const text = document.body.innerText;
	code.forEach((e, i) => e.style.setProperty('display', shown[i]));
	return {lang: document.documentElement.lang, text};
})()`

type pageText struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
}

func (w *walker) checkPage(pageURL string, ok bool) {
	t := w.t
	where := strings.TrimPrefix(pageURL, w.base)
	pt := bt.Eval[pageText](t, w.ctx, pageTextJS)
	// One failure per pattern and page, with how often it matched: a list
	// of a hundred rows repeats one fault a hundred times.
	found := findDevText(pt.Text, pt.Lang == "sv")
	count := map[string]int{}
	for _, f := range found {
		count[f.pattern]++
	}
	for _, f := range found {
		if n := count[f.pattern]; n > 0 {
			t.Errorf("%s as %s: %s %q in “%s” (%d time(s) on the page)", where, w.role, f.pattern, f.match, f.context, n)
			count[f.pattern] = 0
		}
	}
	u, _ := url.Parse(pageURL)
	kind := pageKind(u)
	runAxe := ok && !w.axeDone[kind]
	if runAxe {
		w.axeDone[kind] = true
		w.assertAccessible(where, desktopWidth)
	}
	w.setWidth(phoneWidth)
	overflow := bt.Eval[[]int](t, w.ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if overflow[0] > overflow[1] {
		wide := bt.Eval[[]string](t, w.ctx, wideElementsJS)
		t.Errorf("%s as %s: the page scrolls sideways at %d px (%d px wide); too wide: %s", where, w.role, phoneWidth, overflow[0], strings.Join(wide, "; "))
	}
	if runAxe {
		w.assertAccessible(where, phoneWidth)
	}
}

// wideElementsJS names the outermost elements that reach past the right
// edge of the window, for the failure message; those inside a box that
// scrolls on its own are where they belong.
const wideElementsJS = `(() => {
	const out = [];
	const w = document.documentElement.clientWidth;
	const scrolls = el => {
		for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
			if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
		}
		return false;
	};
	for (const el of document.body.querySelectorAll('*')) {
		if (scrolls(el)) continue;
		const r = el.getBoundingClientRect();
		if (r.right > w + 1 && r.width > 0 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1)) {
			out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' (' + Math.round(r.right) + ' px)');
		}
		if (out.length >= 5) break;
	}
	return out;
})()`

func (w *walker) assertAccessible(where string, width int64) {
	w.t.Helper()
	w.setWidth(width)
	t := w.t
	t.Run(fmt.Sprintf("axe %s %dpx", where, width), func(t *testing.T) {
		bt.AssertAccessibleReviewingContrast(t, w.ctx, func(target string) string {
			return undecidedContrastReasons[bt.Eval[string](t, w.ctx, `(`+undecidedContrastJS+`)(`+strconv.Quote(target)+`)`)]
		})
	})
	// With FINSAM_SCREENSHOTS set, each kind of page is kept as a picture at
	// both widths, for a person to look at what the checks cannot judge.
	bt.Screenshot(t, w.ctx, fmt.Sprintf("walk-%s-%d", shotName.ReplaceAllString(strings.Trim(where, "/"), "_"), width))
}

// shotName matches what may not stand in a screenshot's file name.
var shotName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// undecidedContrastJS tells which of the reviewed kinds an element whose
// contrast axe could not decide is, or "" for none (which fails). Each kind
// is explained in undecidedContrastReasons.
const undecidedContrastJS = `target => {
	const el = document.querySelector(target);
	if (!el) return '';
	if (el.tagName.toLowerCase() === 'text' && el.closest('svg.finsam-chart, svg.finsam-timeline, svg.finsam-assoc-chart')) return 'chart';
	const box = el.closest('.finsam-table-frame, .finsam-table-scroll');
	if (box && window.innerWidth < 1000 && box.scrollWidth > box.clientWidth) return 'scrolled';
	const input = el.tagName.toLowerCase() === 'label' && el.htmlFor ? document.getElementById(el.htmlFor) : null;
	if (input && (input.type === 'checkbox' || input.type === 'radio')) return 'choice';
	return '';
}`

// undecidedContrastReasons are the reviewed kinds of undecided contrast.
var undecidedContrastReasons = map[string]string{
	"chart":    "SVG text in a chart drawn on the server: dark text on the white page, contrast checked by each picture's own test",
	"scrolled": "text in a table wider than its scroll box at this width: axe cannot see the part scrolled out of view; the same text and colours are decided at 1280 px",
	"choice":   "FKUI checkbox or radio button: the box is a pseudo-element beside the text, which is dark on the white page",
}

func (w *walker) setWidth(width int64) {
	if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(width, 900)); err != nil {
		w.t.Fatalf("set the window to %d px: %v", width, err)
	}
}
