// Package chromeprint prints HTML documents as tagged PDFs with a headless
// Chromium (see docs/adr/0032-tagged-yearly-report.md): Chromium turns the
// document's headings, tables and images with text alternatives into the
// PDF's structure tree, which no Go PDF writer in use here can do, and
// pdfua.Identify adds the PDF/UA metadata Chromium leaves out.
//
// Each document gets a browser of its own, started for it and stopped
// after it, so that nothing one download leaves behind reaches the next; a
// Printer lets only a few run at once, since each holds 100–200 MB.
package chromeprint

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/finsam/finsam/internal/pdfua"
)

// Printer prints with one Chromium binary.
type Printer struct {
	exec      string
	noSandbox bool
	timeout   time.Duration
	slots     chan struct{}
}

// Options configure a Printer.
type Options struct {
	// NoSandbox turns Chromium's sandbox off, for containers without user
	// namespaces. The documents are finsam's own and load nothing, but the
	// sandbox stays on wherever it can start.
	NoSandbox bool
	// Timeout bounds one document from the browser's start to the PDF
	// (30 s when zero).
	Timeout time.Duration
	// Parallel is how many documents print at once (2 when zero); more
	// wait for a turn within their timeout.
	Parallel int
}

// New is a Printer running the browser binary exe.
func New(exe string, o Options) *Printer {
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	return &Printer{exec: exe, noSandbox: o.NoSandbox, timeout: o.Timeout, slots: make(chan struct{}, o.Parallel)}
}

// Print prints html, a whole document that loads nothing from elsewhere
// (styles and images inline), as a tagged A4 PDF whose XMP metadata
// names the title and the language lang (BCP 47) and identifies it as
// PDF/UA-1.
func (p *Printer) Print(ctx context.Context, html []byte, title, lang string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("chromeprint: waiting for a turn: %w", ctx.Err())
	}
	profile, err := os.MkdirTemp("", "finsam-print-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.exec),
		chromedp.Headless,
		chromedp.Flag("disable-gpu", true),
		// Nothing leaves the machine: no update checks or sync, and any
		// request the document might make goes to a closed port.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("proxy-server", "127.0.0.1:9"),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.Env("TMPDIR="+profile),
	)
	if p.noSandbox {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()
	if err := chromedp.Do(tab, chromedp.Navigate("data:text/html;charset=utf-8;base64,"+base64.StdEncoding.EncodeToString(html))); err != nil {
		return nil, fmt.Errorf("chromeprint: load the document: %w", err)
	}
	yes := true
	res, err := chromedp.Call(tab, page.PrintToPDF, page.PrintToPDFParams{
		PrintBackground: &yes, PreferCSSPageSize: &yes, GenerateTaggedPDF: &yes, GenerateDocumentOutline: &yes})
	if err != nil {
		return nil, fmt.Errorf("chromeprint: print: %w", err)
	}
	if len(res.Data) == 0 {
		return nil, errors.New("chromeprint: the browser returned no PDF")
	}
	return pdfua.Identify(res.Data, title, lang)
}
