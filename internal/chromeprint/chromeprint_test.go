package chromeprint

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/internal/browsertest"
	"github.com/finsam/finsam/internal/pdfua"
)

func TestPrintWritesATaggedIdentifiedPDF(t *testing.T) {
	p := New(browsertest.Chromium(t), Options{NoSandbox: true, Parallel: 1})
	html := `<!doctype html><html lang="sv-SE"><head><meta charset="utf-8"><title>Årsrapport 2025</title></head><body>
<h1>Årsrapport 2025</h1><h2>Deltagare</h2>
<svg role="img" aria-label="Deltagare: kvinnor 7, män &lt;5" width="200" height="40"><rect width="120" height="16" fill="#0b4f8a"/></svg>
<table><thead><tr><th scope="col">Insats</th><th scope="col">Kvinnor</th></tr></thead><tbody><tr><th scope="row">Skarphäll</th><td>7</td></tr></tbody></table>
</body></html>`
	pdf, err := p.Print(context.Background(), []byte(html), "Årsrapport 2025", "sv-SE")
	if err != nil {
		t.Fatal(err)
	}
	res, err := pdfua.Check(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range res.Problems {
		t.Error(pr)
	}
	if res.Lang != "sv-SE" || res.Title != "Årsrapport 2025" || res.Types["H1"] != 1 || res.Types["TH"] != 3 {
		t.Errorf("lang %q, title %q, types %v", res.Lang, res.Title, res.Types)
	}
	if len(res.Alts) != 1 || res.Alts[0] != "Deltagare: kvinnor 7, män <5" {
		t.Errorf("alternative texts %q", res.Alts)
	}
}

func TestPrintWaitsForATurnWithinItsTimeout(t *testing.T) {
	p := New("/nonexistent/chromium", Options{Parallel: 1, Timeout: 50 * time.Millisecond})
	p.slots <- struct{}{} // another document is printing
	_, err := p.Print(context.Background(), []byte("<!doctype html>"), "t", "sv-SE")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
}
