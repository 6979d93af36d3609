// Package e2e holds finsam's browser tests: the real `finsam serve` binary,
// Debian's chromium and axe-core, wired by internal/browsertest. Each page
// people use gets a test here that opens it in both languages, checks what a
// person sees and can do, and asserts that axe-core finds no WCAG 2.1 A or
// AA violation.
//
// Run them with `go test ./e2e/`. Without chromium they skip (outside CI);
// FINSAM_SCREENSHOTS=DIR saves a picture of every page they check.
package e2e
