package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/finsam/finsam/internal/modroot"
)

// wcagTags are the axe-core rule tags AssertAccessible checks: every rule for
// WCAG 2.0 and 2.1 at levels A and AA, which is what the Swedish accessibility
// law (DOS-lagen, via EN 301 549) asks of public-sector services.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeTimeout bounds one axe-core run; a page the size of finsam's takes
// well under a second.
const AxeTimeout = 20 * time.Second

// AxeReport is what axe-core found on a page.
type AxeReport struct {
	// Version is the version of axe-core that ran.
	Version string `json:"version"`
	// URL is the page that was checked.
	URL string `json:"url"`
	// Violations are the rules the page breaks.
	Violations []AxeRule `json:"violations"`
	// Incomplete are the rules axe could not decide and a person should
	// check, for example contrast over a background image.
	Incomplete []AxeRule `json:"incomplete"`
	// Passes is the number of rules the page passes.
	Passes int `json:"passes"`
}

// AxeRule is one axe-core rule and the elements it applies to.
type AxeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element a rule applies to.
type AxeNode struct {
	// Target is a CSS selector of the element.
	Target string `json:"target"`
	// HTML is the start of the element's markup.
	HTML string `json:"html"`
	// Summary says what to fix.
	Summary string `json:"summary"`
}

// String is the rule as a failure message shows it: id, impact, help, link,
// and the first few elements.
func (r AxeRule) String() string {
	const shown = 5
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n  %s", r.ID, r.Impact, r.Help, r.HelpURL)
	for i, n := range r.Nodes {
		if i == shown {
			fmt.Fprintf(&b, "\n  … and %d more", len(r.Nodes)-shown)
			break
		}
		fmt.Fprintf(&b, "\n  - %s\n    %s", n.Target, n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n    %s", strings.ReplaceAll(n.Summary, "\n", "\n    "))
		}
	}
	return b.String()
}

// AssertAccessible runs axe-core on the page open in ctx and fails the test
// for every violation of WCAG 2.1 A or AA, listing the rule, its impact, what
// it asks for and the elements that break it.
//
// It also fails for every element axe-core could not decide ("needs
// review"), for example text whose contrast it cannot compute: an undecided
// check is an unchecked one. A person checks such an element by hand and
// either fixes the page or accepts the result with Reviewed, in the test,
// saying why. Violations cannot be accepted.
func AssertAccessible(t testing.TB, ctx context.Context, opts ...AxeOption) {
	t.Helper()
	var cfg axeOptions
	for _, o := range opts {
		o(&cfg)
	}
	report, err := CheckAccessibility(ctx)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	undecided := cfg.unreviewed(t, report.Incomplete)
	if len(report.Violations) == 0 && len(undecided) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe-core %s on %s:", report.Version, report.URL)
	if n := len(report.Violations); n > 0 {
		fmt.Fprintf(&b, "\n%d WCAG 2.1 A/AA violation(s):", n)
		for _, r := range report.Violations {
			b.WriteString("\n\n")
			b.WriteString(r.String())
		}
	}
	if n := len(undecided); n > 0 {
		if len(report.Violations) > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "\n%d rule(s) axe-core could not decide; check them by hand, then fix the page or accept the result with browsertest.Reviewed(rule, target, reason):", n)
		for _, r := range undecided {
			b.WriteString("\n\n")
			b.WriteString(r.String())
		}
	}
	t.Error(b.String())
}

// AxeOption changes what AssertAccessible accepts.
type AxeOption func(*axeOptions)

type axeOptions struct {
	reviewed []review
}

type review struct{ rule, target, reason string }

// Reviewed accepts one result axe-core could not decide: rule on the element
// with the target selector, as AssertAccessible's failure prints them. Use
// it only after a person checked the element by hand and found it meets the
// rule; reason says how, and is logged with every run.
func Reviewed(rule, target, reason string) AxeOption {
	return func(o *axeOptions) {
		o.reviewed = append(o.reviewed, review{rule: rule, target: target, reason: reason})
	}
}

// unreviewed returns the undecided rules with the reviewed elements left out,
// and logs the ones it left out.
func (o axeOptions) unreviewed(t testing.TB, rules []AxeRule) []AxeRule {
	t.Helper()
	var out []AxeRule
	for _, r := range rules {
		var left []AxeNode
		for _, n := range r.Nodes {
			if i := slices.IndexFunc(o.reviewed, func(rv review) bool { return rv.rule == r.ID && rv.target == n.Target }); i >= 0 {
				t.Logf("axe-core could not decide %s on %s; accepted after review: %s", r.ID, n.Target, o.reviewed[i].reason)
				continue
			}
			left = append(left, n)
		}
		if len(left) > 0 {
			r.Nodes = left
			out = append(out, r)
		}
	}
	return out
}

// CheckAccessibility runs axe-core's WCAG 2.1 A and AA rules (the tags
// wcag2a, wcag2aa, wcag21a and wcag21aa) on the page open in ctx and returns
// what it found. It fails when axe could not run or ran no rule at all, so
// that a check can never pass by doing nothing.
func CheckAccessibility(ctx context.Context) (*AxeReport, error) {
	src, pinned, err := axeSource()
	if err != nil {
		return nil, err
	}
	// Runtime.evaluate is the debugger's own evaluation: the page's
	// Content-Security-Policy (script-src 'self', no eval) does not apply
	// to it, so axe runs on exactly the page people get, and the page's
	// console stays free of policy violations (a test checks both).
	//
	// A page keeps axe once injected; only a new page needs it again.
	version, err := chromedp.Run(ctx, chromedp.Evaluate[string](`typeof axe === 'undefined' ? '' : axe.version`, chromedp.EvalAsValue))
	if err != nil {
		return nil, fmt.Errorf("look for axe-core in the page: %w", ctxErr(err))
	}
	if version == "" {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", ctxErr(err))
		}
		version, err = chromedp.Run(ctx, chromedp.Evaluate[string](`axe.version`, chromedp.EvalAsValue))
		if err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", ctxErr(err))
		}
	}
	if version != pinned {
		return nil, fmt.Errorf("the page runs axe-core %s, but package.json pins %s: run `npm ci`", version, pinned)
	}
	tags, _ := json.Marshal(wcagTags)
	run := `axe.run(document, {
	runOnly: {type: 'tag', values: ` + string(tags) + `},
	resultTypes: ['violations', 'incomplete'],
}).then(r => {
	const rule = v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : s).join(', '),
			html: n.html.length > 200 ? n.html.slice(0, 200) + '…' : n.html,
			summary: n.failureSummary || '',
		})),
	});
	return {
		version: r.testEngine.version, url: r.url,
		violations: r.violations.map(rule), incomplete: r.incomplete.map(rule),
		passes: r.passes.length,
	};
})`
	// axe works with timers and promises, which do not run while the page's
	// scripts are off. Turning them on for the check runs none of the
	// page's own code: its scripts were skipped when it loaded.
	if tab := tabOf(ctx); tab != nil && tab.jsDisabled.Load() {
		if err := setScriptsDisabled(ctx, false); err != nil {
			return nil, fmt.Errorf("turn scripts on for axe-core: %w", ctxErr(err))
		}
		defer setScriptsDisabled(ctx, true)
	}
	runCtx, cancel := context.WithTimeout(ctx, AxeTimeout)
	defer cancel()
	report, err := chromedp.Run(runCtx, chromedp.Evaluate[*AxeReport](run, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return nil, fmt.Errorf("axe-core did not finish within %s", AxeTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", ctxErr(err))
	}
	if report == nil || report.Passes == 0 {
		return nil, fmt.Errorf("axe-core ran no rule on the page (is it empty?)")
	}
	return report, nil
}

// axe is axe-core's source, read once per test process.
var axe struct {
	once    sync.Once
	src     string
	version string
	err     error
}

// axeSource returns axe-core's minified script from node_modules and the
// version package.json pins; a missing or different copy asks for `npm ci`.
func axeSource() (src, version string, err error) {
	axe.once.Do(func() {
		root, err := modroot.Dir()
		if err != nil {
			axe.err = err
			return
		}
		var pkg struct {
			DevDependencies map[string]string `json:"devDependencies"`
		}
		b, err := os.ReadFile(filepath.Join(root, "package.json"))
		if err == nil {
			err = json.Unmarshal(b, &pkg)
		}
		if err != nil {
			axe.err = fmt.Errorf("read the pinned axe-core version: %w", err)
			return
		}
		axe.version = pkg.DevDependencies["axe-core"]
		if axe.version == "" {
			axe.err = fmt.Errorf("package.json pins no axe-core in devDependencies")
			return
		}
		path := filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
		js, err := os.ReadFile(path)
		if err != nil {
			axe.err = fmt.Errorf("%v: run `npm ci` in %s to install axe-core %s", err, root, axe.version)
			return
		}
		axe.src = string(js)
	})
	return axe.src, axe.version, axe.err
}

// AssertAccessibleReviewingContrast is AssertAccessible for a page whose
// undecided colour-contrast results were checked by hand by kind of
// element: axe-core runs once first, and each element whose contrast it
// could not decide is accepted with the reason reason gives for its target
// selector, or left to fail when reason gives "".
func AssertAccessibleReviewingContrast(t testing.TB, ctx context.Context, reason func(target string) string) {
	t.Helper()
	report, err := CheckAccessibility(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var opts []AxeOption
	for _, r := range report.Incomplete {
		if r.ID != "color-contrast" {
			continue
		}
		for _, n := range r.Nodes {
			if why := reason(n.Target); why != "" {
				opts = append(opts, Reviewed(r.ID, n.Target, why))
			}
		}
	}
	AssertAccessible(t, ctx, opts...)
}
