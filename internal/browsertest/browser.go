package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// BrowserTimeout bounds everything one browser does, from its start to the
// end of the test, so that a page that never loads fails the test instead of
// hanging it until `go test` gives up.
const BrowserTimeout = 60 * time.Second

// chromiumNames are the names Debian, Ubuntu and Google give the browser, in
// the order they are looked for on PATH.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

const installHint = "install the Debian package chromium (apt-get install chromium) or set FINSAM_CHROMIUM to a Chromium or Chrome binary"

// NewBrowser starts a headless chromium with a fresh profile for this test
// and returns the context of its one tab, for chromedp actions and the
// functions of this package. The browser records what pages write to the
// console (see AssertNoConsoleErrors) and closes when the test ends.
//
// Without chromium the test is skipped, or fails when the environment
// variable CI is true.
func NewBrowser(t testing.TB, opts ...BrowserOption) context.Context {
	t.Helper()
	cfg := browserConfig{timeout: BrowserTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	exe := Chromium(t)

	profile := t.TempDir()
	// Chromium keeps its process-singleton socket and, with
	// disable-dev-shm-usage, its shared memory under TMPDIR, and does not
	// always remove them. A folder of the test's own keeps them from piling
	// up in /tmp; not t.TempDir, whose long name would not fit in the path
	// of a Unix socket (108 bytes).
	tmp, err := os.MkdirTemp("", "finsam-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		// Containers and CI runners have no user namespaces for the sandbox;
		// the browser only ever visits the test's own server.
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		// No traffic but the test's: no update checks, sync or QUIC probes
		// that would slow the start or send requests out of CI.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		// A laptop-sized window, so that screenshots and axe's colour
		// contrast checks see the layout people see.
		chromedp.WindowSize(1280, 900),
		chromedp.Env("TMPDIR="+tmp),
	)
	timeoutCtx, cancelTimeout := context.WithTimeout(context.Background(), cfg.timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeoutCtx, allocOpts...)
	tab := &tabState{}
	rec := &tab.console
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(rec.listen))
	// Cleanups run last-registered first: the browser exits (cancelAlloc
	// waits for it) before the testing package removes its profile folder.
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
		if t.Failed() {
			if msgs := rec.all(); len(msgs) > 0 {
				t.Logf("browser console:\n%s", strings.Join(msgs, "\n"))
			}
		}
	})
	// Start the browser now, so that a browser that cannot start fails here
	// (with its output in the error) rather than in the first action.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start %s: %v", exe, ctxErr(err))
	}
	return context.WithValue(tabCtx, tabKey{}, tab)
}

// BrowserOption changes how NewBrowser starts a browser.
type BrowserOption func(*browserConfig)

type browserConfig struct {
	timeout time.Duration
}

// WithTimeout gives a browser longer than BrowserTimeout, for a test that
// visits many pages (a crawl of every page a role reaches) and would
// otherwise need one browser per handful of pages.
func WithTimeout(d time.Duration) BrowserOption {
	return func(c *browserConfig) { c.timeout = d }
}

type tabKey struct{}

// tabState is what the harness knows about a tab beyond chromedp: its
// console and whether DisableJavaScript turned scripts off.
type tabState struct {
	console    consoleRecorder
	jsDisabled atomic.Bool
}

// tabOf returns the state of a tab NewBrowser made, or nil for another
// context.
func tabOf(ctx context.Context) *tabState {
	tab, _ := ctx.Value(tabKey{}).(*tabState)
	return tab
}

// Chromium returns the path of the browser binary, for a test that starts
// the browser itself (e.g. through a printer that finsam runs in
// production). Without one the test is skipped, or fails when CI is true.
func Chromium(t testing.TB) string {
	t.Helper()
	exe, skip, err := locateChromium(os.Getenv, exec.LookPath)
	switch {
	case err != nil:
		t.Fatal(err)
	case skip != "":
		t.Skip(skip)
	}
	return exe
}

// locateChromium finds the browser: FINSAM_CHROMIUM when set, else the first
// of chromiumNames on PATH. Without one it returns why the test skips, or an
// error in CI, which must never pass by skipping.
func locateChromium(getenv func(string) string, lookPath func(string) (string, error)) (exe, skip string, err error) {
	if p := getenv("FINSAM_CHROMIUM"); p != "" {
		found, err := lookPath(p)
		if err != nil {
			return "", "", fmt.Errorf("FINSAM_CHROMIUM=%s is not a browser binary: %v", p, err)
		}
		return found, "", nil
	}
	for _, name := range chromiumNames {
		if found, err := lookPath(name); err == nil {
			return found, "", nil
		}
	}
	if ci, _ := strconv.ParseBool(getenv("CI")); ci {
		return "", "", errors.New("chromium is required in CI: install the Debian package chromium")
	}
	return "", fmt.Sprintf("browser test skipped: no browser found (looked for %s on PATH); %s",
		strings.Join(chromiumNames, ", "), installHint), nil
}

// ctxErr adds a hint when an action failed because the test's browser time
// ran out, which otherwise reads as an unexplained "context deadline
// exceeded".
func ctxErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (a browser test has %s in all; see BrowserTimeout)", err, BrowserTimeout)
	}
	return err
}

// Navigate loads url in the tab and waits for the page's load event. It
// fails the test when the page cannot be loaded or answers with an HTTP
// error status; to look at an error page, use chromedp.NavigateResponse.
func Navigate(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, ctxErr(err))
	}
	if resp == nil {
		t.Fatalf("open %s: the browser reported no response", url)
	}
	if resp.Status >= 400 {
		t.Fatalf("open %s: HTTP %d %s", url, resp.Status, resp.StatusText)
	}
}

// ClickAndLoad clicks the element the CSS selector finds, a link or a
// submit button, and waits until the page it leads to has loaded. Like
// Navigate, it fails the test on an HTTP error status.
func ClickAndLoad(t testing.TB, ctx context.Context, selector string) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("click %s: %v", selector, ctxErr(err))
	}
	if resp == nil {
		t.Fatalf("click %s: no page was loaded", selector)
	}
	if resp.Status >= 400 {
		t.Fatalf("click %s: %s answered HTTP %d %s", selector, resp.URL, resp.Status, resp.StatusText)
	}
}

// QueryTimeout is how long Text and AssertVisible wait for an element: a
// server-rendered page has it at once, so a longer wait only delays the
// failure.
const QueryTimeout = 5 * time.Second

// Text returns the text of the first element the CSS selector finds, as
// the page shows it (innerText). It fails the test when no element matches
// within QueryTimeout.
func Text(t testing.TB, ctx context.Context, selector string) string {
	t.Helper()
	qctx, cancel := context.WithTimeout(ctx, QueryTimeout)
	defer cancel()
	text, err := chromedp.Run(qctx, chromedp.Text(chromedp.CSS(selector), chromedp.NodeReady))
	if err != nil {
		t.Fatalf("text of %s: %v", selector, queryErr(ctx, err, "no element matches"))
	}
	return text
}

// AssertVisible fails the test unless the first element the CSS selector
// finds is rendered with a size on the page within QueryTimeout.
func AssertVisible(t testing.TB, ctx context.Context, selector string) {
	t.Helper()
	qctx, cancel := context.WithTimeout(ctx, QueryTimeout)
	defer cancel()
	if err := chromedp.Do(qctx, chromedp.WaitVisible(chromedp.CSS(selector))); err != nil {
		t.Errorf("%s: %v", selector, queryErr(ctx, err, "no visible element matches"))
	}
}

// queryErr says what a query's own timeout means, rather than "context
// deadline exceeded".
func queryErr(ctx context.Context, err error, what string) error {
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("%s within %s", what, QueryTimeout)
	}
	return ctxErr(err)
}

// Eval evaluates a JavaScript expression in the page and returns its value,
// decoded from JSON into T. A promise is awaited.
func Eval[T any](t testing.TB, ctx context.Context, expression string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expression, ctxErr(err))
	}
	return v
}

// DisableJavaScript turns off the scripts of the pages the tab loads from now
// on, to check that a page works for people who browse without them. Eval
// still runs expressions that need no timers or promises, and
// AssertAccessible still works: it turns scripts on for axe alone.
func DisableJavaScript(t testing.TB, ctx context.Context) {
	t.Helper()
	if err := setScriptsDisabled(ctx, true); err != nil {
		t.Fatalf("disable JavaScript: %v", ctxErr(err))
	}
	if tab := tabOf(ctx); tab != nil {
		tab.jsDisabled.Store(true)
	}
}

func setScriptsDisabled(ctx context.Context, disabled bool) error {
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
	return err
}

// Screenshot saves a PNG of the whole page as <name>.png in the folder
// FINSAM_SCREENSHOTS names, for people to look at the pages a test visited
// (CI can keep the folder as an artifact). Without FINSAM_SCREENSHOTS it
// does nothing.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("FINSAM_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, ctxErr(err))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot: %s", path)
}

// ConsoleErrors returns the errors the browser reported since it started or
// since the last call, and forgets them: uncaught exceptions, console.error
// and console.assert calls, and the browser's own error log, which is where
// Content-Security-Policy violations and failed requests appear.
func ConsoleErrors(t testing.TB, ctx context.Context) []string {
	t.Helper()
	tab := tabOf(ctx)
	if tab == nil {
		t.Fatal("browsertest: ConsoleErrors needs a context made by NewBrowser")
	}
	// The listener sees every event the browser sent before the answer to
	// a command, so one round trip brings the record up to date.
	if _, err := chromedp.Run(ctx, chromedp.NavigationEntries()); err != nil {
		t.Fatalf("read the console: %v", ctxErr(err))
	}
	return tab.console.takeErrors()
}

// AssertNoConsoleErrors fails the test when the browser reported errors
// since it started or since the last check (see ConsoleErrors).
func AssertNoConsoleErrors(t testing.TB, ctx context.Context) {
	t.Helper()
	if errs := ConsoleErrors(t, ctx); len(errs) > 0 {
		t.Errorf("the browser reported %d error(s):\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// consoleRecorder keeps what a tab writes to its console. Its listen method
// runs in chromedp's event loop, so it only formats and appends.
type consoleRecorder struct {
	mu       sync.Mutex
	messages []string
	errors   []string
}

func (r *consoleRecorder) listen(ev any) {
	msg, isError, ok := describeEvent(ev)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.messages = append(r.messages, msg)
	if isError {
		r.errors = append(r.errors, msg)
	}
}

func (r *consoleRecorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.messages...)
}

func (r *consoleRecorder) takeErrors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	errs := r.errors
	r.errors = nil
	return errs
}

// describeEvent turns a console event into one line of text and says
// whether it is an error. ok is false for events that are not console output.
func describeEvent(ev any) (msg string, isError, ok bool) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		args := make([]string, len(ev.Args))
		for i, a := range ev.Args {
			args[i] = remoteObjectText(a)
		}
		msg = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		if st := ev.StackTrace; st != nil && len(st.CallFrames) > 0 {
			f := st.CallFrames[0]
			msg += location(f.URL, f.LineNumber)
		}
		isError = ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert
		return msg, isError, true
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = "exception: " + d.Text
		if d.Exception != nil {
			first, _, _ := strings.Cut(remoteObjectText(d.Exception), "\n")
			msg += " " + first
		}
		return msg + location(d.URL, d.LineNumber), true, true
	case *log.EventEntryAdded:
		e := ev.Entry
		msg = fmt.Sprintf("%s %s: %s%s", e.Source, e.Level, e.Text, location(e.URL, e.LineNumber))
		return msg, e.Level == log.EntryLevelError, true
	}
	return "", false, false
}

// location formats where a message came from; the protocol counts lines
// from 0, people from 1.
func location(url string, line int64) string {
	if url == "" {
		return ""
	}
	return fmt.Sprintf(" (%s:%d)", url, line+1)
}

// remoteObjectText is how the DevTools console would show a value, roughly.
func remoteObjectText(o *runtime.RemoteObject) string {
	switch {
	case o == nil:
		return ""
	case len(o.Value) > 0:
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
		return string(o.Value)
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case o.Description != "":
		return o.Description
	}
	return string(o.Type)
}
