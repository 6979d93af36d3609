package forbund_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/finsam/finsam/internal/browsertest"
	"github.com/finsam/finsam/internal/pdfua"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/webtest"
)

// TestReportDownloadIsTaggedWhenABrowserIsConfigured downloads the yearly
// report from a server configured with a Chromium binary: the PDF is the
// tagged one. With a binary that cannot start the download still succeeds,
// with fpdf's untagged PDF, and the failure is logged.
func TestReportDownloadIsTaggedWhenABrowserIsConfigured(t *testing.T) {
	exe := browsertest.Chromium(t)
	const url = "/forbund/finsam-gotland/rapporter/arsrapport.pdf?year=2025"
	for _, tt := range []struct {
		name, chromium string
		tagged         bool
	}{
		{"with a browser", exe, true},
		{"with a browser that cannot start", "/nonexistent/chromium", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := webtest.Open(t, store.SQLite)
			b, ids, s := reportServer(t, st, "forbund", func(cfg *web.Config) { cfg.Chromium, cfg.ChromiumNoSandbox = tt.chromium, true })
			rec := b.Do("GET", url, nil)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
				t.Fatalf("PDF: %d %v", rec.Code, rec.Header())
			}
			noPersonalData(t, "the PDF file", rec.Body.Bytes(), ids)
			got, err := pdfua.Check(rec.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if tagged := len(got.Problems) == 0 && got.Types["H1"] == 1; tagged != tt.tagged {
				t.Errorf("tagged %v, want %v (problems %v)", tagged, tt.tagged, got.Problems)
			}
			if failed := strings.Contains(s.Logs.String(), "printing the tagged PDF failed"); failed == tt.tagged {
				t.Errorf("logged a failed print: %v, want %v", failed, !tt.tagged)
			}
		})
	}
}
