// Package browsertest runs finsam the way people meet it: the real binary
// (`finsam serve` with a temporary data folder on a free port) and a real
// browser (Debian's chromium, driven by chromedp), with axe-core checking
// each page against WCAG 2.1 A and AA.
//
// A browser test starts the browser first, so that a machine without
// chromium skips before anything is built:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
//	func TestSomePage(t *testing.T) {
//		ctx := browsertest.NewBrowser(t)
//		srv := browsertest.StartServer(t)
//		browsertest.Navigate(t, ctx, srv.URL+"/some/page")
//		browsertest.AssertNoConsoleErrors(t, ctx)
//		browsertest.AssertAccessible(t, ctx)
//	}
//
// Without chromium the tests skip with a message saying how to install it,
// except when the environment variable CI is true: there a missing browser
// fails the test, so that CI can never pass by skipping. FINSAM_CHROMIUM
// names a browser binary explicitly, FINSAM_BIN a prebuilt finsam binary, and
// FINSAM_SCREENSHOTS a folder where Screenshot saves pictures of the pages.
//
// AssertAccessible fails on every WCAG 2.1 A or AA violation axe-core finds,
// and also on every element it could not decide: a person checks those by
// hand and either fixes the page or accepts the element with Reviewed,
// giving the reason in the test.
//
// axe-core comes from node_modules (`npm ci` installs the version pinned in
// package.json).
package browsertest
