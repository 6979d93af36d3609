package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestLocateChromium(t *testing.T) {
	installed := func(names ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			if slices.Contains(names, name) {
				return "/usr/bin/" + name, nil
			}
			return "", exec.ErrNotFound
		}
	}
	tests := []struct {
		name     string
		env      map[string]string
		lookPath func(string) (string, error)
		wantExe  string
		wantSkip bool
		wantErr  string
	}{
		{name: "Debian's chromium on PATH", lookPath: installed("chromium"), wantExe: "/usr/bin/chromium"},
		{name: "Google Chrome when there is no chromium", lookPath: installed("google-chrome"), wantExe: "/usr/bin/google-chrome"},
		{name: "chromium before Google Chrome", lookPath: installed("google-chrome", "chromium"), wantExe: "/usr/bin/chromium"},
		{
			name:     "FINSAM_CHROMIUM wins over PATH",
			env:      map[string]string{"FINSAM_CHROMIUM": "my-chrome"},
			lookPath: installed("chromium", "my-chrome"),
			wantExe:  "/usr/bin/my-chrome",
		},
		{
			name:     "a FINSAM_CHROMIUM that is not there fails, even outside CI",
			env:      map[string]string{"FINSAM_CHROMIUM": "my-chrome"},
			lookPath: installed("chromium"),
			wantErr:  "FINSAM_CHROMIUM=my-chrome",
		},
		{name: "no browser on a developer's machine skips", lookPath: installed(), wantSkip: true},
		{name: "CI=false skips", env: map[string]string{"CI": "false"}, lookPath: installed(), wantSkip: true},
		{
			name:     "no browser in CI fails",
			env:      map[string]string{"CI": "true"},
			lookPath: installed(),
			wantErr:  "chromium is required in CI: install the Debian package chromium",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exe, skip, err := locateChromium(func(k string) string { return tt.env[k] }, tt.lookPath)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if exe != tt.wantExe {
				t.Errorf("exe = %q, want %q", exe, tt.wantExe)
			}
			if got := skip != ""; got != tt.wantSkip {
				t.Errorf("skip = %q, want a skip: %v", skip, tt.wantSkip)
			}
			if tt.wantSkip && !strings.Contains(skip, "apt-get install chromium") {
				t.Errorf("skip message %q does not say how to install chromium", skip)
			}
		})
	}
}

// strictCSP is as strict as finsam's own policy: no inline code, no eval.
const strictCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'"

// fixtures serves testdata with a strict Content-Security-Policy, so that the
// harness is tested under the conditions finsam's pages set.
func fixtures(t *testing.T) *httptest.Server {
	files := http.FileServer(http.Dir("testdata"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", strictCSP)
		if r.URL.Path == "/favicon.ico" {
			// Browsers ask for it by themselves; a 404 would show up as
			// a console error in every test.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCheckAccessibilityFindsViolationsUnderStrictCSP(t *testing.T) {
	ctx := NewBrowser(t)
	srv := fixtures(t)
	Navigate(t, ctx, srv.URL+"/inaccessible.html")

	report, err := CheckAccessibility(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range report.Violations {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "link-name", "color-contrast"} {
		if !slices.Contains(ids, want) {
			t.Errorf("violations %v miss %s", ids, want)
		}
	}
	if report.Passes == 0 {
		t.Error("report counts no passed rule")
	}
	if report.Version != "4.14.1" {
		t.Errorf("axe-core version %q, want the pinned 4.14.1", report.Version)
	}
	for _, v := range report.Violations {
		if v.ID == "image-alt" && (len(v.Nodes) != 1 || v.Nodes[0].Target != "img") {
			t.Errorf("image-alt nodes = %+v, want the one img", v.Nodes)
		}
	}
	// Injecting axe must not trip the page's policy: a test that checks for
	// console errors after AssertAccessible would otherwise always fail.
	AssertNoConsoleErrors(t, ctx)
}

func TestAssertAccessiblePassesAnAccessiblePage(t *testing.T) {
	ctx := NewBrowser(t)
	srv := fixtures(t)
	Navigate(t, ctx, srv.URL+"/accessible.html")
	AssertAccessible(t, ctx)
	// A second run on the same page reuses the injected axe.
	AssertAccessible(t, ctx)
	AssertNoConsoleErrors(t, ctx)
}

func TestConsoleErrorsRecordsPolicyViolationsAndExceptions(t *testing.T) {
	ctx := NewBrowser(t)
	srv := fixtures(t)

	Navigate(t, ctx, srv.URL+"/accessible.html")
	if errs := ConsoleErrors(t, ctx); len(errs) > 0 {
		t.Errorf("a clean page reported %q", errs)
	}

	Navigate(t, ctx, srv.URL+"/inline-script.html")
	errs := ConsoleErrors(t, ctx)
	if !containsAll(errs, "Content Security Policy") {
		t.Errorf("inline script under CSP: errors %q, want a Content Security Policy violation", errs)
	}
	if title := Eval[string](t, ctx, "document.title"); title != "Inline script" {
		t.Errorf("the inline script ran: title %q", title)
	}

	Navigate(t, ctx, srv.URL+"/throws.html")
	errs = ConsoleErrors(t, ctx)
	if !containsAll(errs, "console.error: logged on purpose", "thrown on purpose") {
		t.Errorf("script that logs and throws: errors %q", errs)
	}
	if again := ConsoleErrors(t, ctx); len(again) > 0 {
		t.Errorf("errors reported twice: %q", again)
	}

	Navigate(t, ctx, srv.URL+"/missing-asset.html")
	if errs := ConsoleErrors(t, ctx); !containsAll(errs, "missing.css") {
		t.Errorf("page with a missing stylesheet: errors %q, want the failed request", errs)
	}
}

func containsAll(msgs []string, wants ...string) bool {
	for _, w := range wants {
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, w) }) {
			return false
		}
	}
	return true
}

func TestDisableJavaScriptStopsPageScriptsOnly(t *testing.T) {
	ctx := NewBrowser(t)
	srv := fixtures(t)

	Navigate(t, ctx, srv.URL+"/marks.html")
	if got := Eval[string](t, ctx, "document.documentElement.dataset.scripted || ''"); got != "yes" {
		t.Fatalf("with JavaScript on, the page's script did not run (data-scripted=%q)", got)
	}
	DisableJavaScript(t, ctx)
	Navigate(t, ctx, srv.URL+"/marks.html")
	if got := Eval[string](t, ctx, "document.documentElement.dataset.scripted || ''"); got != "" {
		t.Errorf("with JavaScript off, the page's script ran (data-scripted=%q)", got)
	}
	AssertAccessible(t, ctx)
}

// errorRecorder is a testing.TB that keeps Error's messages instead of
// failing, to test what the Assert functions report.
type errorRecorder struct {
	testing.TB
	errors []string
}

func (r *errorRecorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }
func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestAssertAccessibleFailsOnUndecidedUntilReviewed(t *testing.T) {
	ctx := NewBrowser(t)
	srv := fixtures(t)
	Navigate(t, ctx, srv.URL+"/undecided.html")

	rec := &errorRecorder{TB: t}
	AssertAccessible(rec, ctx)
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "could not decide") || !strings.Contains(rec.errors[0], "color-contrast") {
		t.Fatalf("undecided contrast: errors %q, want one about color-contrast", rec.errors)
	}

	rec = &errorRecorder{TB: t}
	AssertAccessible(rec, ctx, Reviewed("color-contrast", "p", "the text is there to test the harness"))
	if len(rec.errors) > 0 {
		t.Errorf("reviewed contrast still fails: %q", rec.errors)
	}

	rec = &errorRecorder{TB: t}
	AssertAccessible(rec, ctx, Reviewed("color-contrast", "h1", "a review of another element"))
	if len(rec.errors) != 1 {
		t.Errorf("a review of another element accepted the p: errors %q", rec.errors)
	}
}
