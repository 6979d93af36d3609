package forbund

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/internal/browsertest"
	"github.com/finsam/finsam/internal/chromeprint"
	"github.com/finsam/finsam/internal/pdfua"
	"github.com/finsam/finsam/organisation"
)

// printReport is a report of two insatser whose men (3) are hidden.
func printReport() assocreport.Report {
	r := assocreport.Report{Association: organisation.Organisation{Name: "Samordningsförbundet Exempel", Slug: "exempel"}, Year: 2025,
		Income: []assocreport.PhaseCount{{Code: "ssb", Start: 3, End: 8}, {Code: "lon", Start: 9, End: 2}}}
	for i, name := range []string{"Skarphäll", "Steget"} {
		r.Insatser = append(r.Insatser, assocreport.InsatsFigures{ID: int64(i + 1), Name: name, Kind: association.Individual,
			Planned: 10, Female: 7, Male: 3, Budget: 100_000_00, Spent: 90_000_00})
	}
	r.Financiers = []assocreport.Money{{Financier: association.Financiers[0], Budget: 200_000_00, Outcome: 180_000_00}}
	return r
}

func TestReportPrintHTML(t *testing.T) {
	created := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		lang  string
		wants []string
	}{
		{"sv", []string{`<html lang="sv-SE">`, "<title>Verksamhetsberättelse 2025 – Samordningsförbundet Exempel</title>",
			"<h1>Verksamhetsberättelse 2025</h1>", `<th scope="row">Skarphäll</th><td class="numeric">..</td><td class="numeric">&lt;5</td>`,
			`role="img"`, "Dolt antal", "Perioden 2025-01-01 – 2025-12-31. Skapad 2026-02-01."}},
		{"en", []string{`<html lang="en-GB">`, "<title>Yearly report 2025 – Samordningsförbundet Exempel</title>", "Hidden count"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			b, err := reportPrintHTML(printReport(), tt.lang, assocreport.Publisher{}, created)
			if err != nil {
				t.Fatal(err)
			}
			html := string(b)
			for _, w := range tt.wants {
				if !strings.Contains(html, w) {
					t.Errorf("the printable report lacks %q", w)
				}
			}
			tables := printReport().Tables(reportT(tt.lang), reportCodes, tt.lang, assocreport.Publisher{})
			if got := strings.Count(html, "<h2>"); got != len(tables)+1 {
				t.Errorf("%d h2, want one per table and the summary (%d)", got, len(tables)+1)
			}
			if strings.Contains(html, ">3<") {
				t.Error("the printable report shows a hidden count")
			}
		})
	}
}

// TestReportPrintsAsTaggedPDF prints the printable report with Chromium
// through chromeprint, as a server configured for it would, and checks the
// PDF's structure with pdfua: language, title and PDF/UA metadata, H1 and
// H2 headings, tables with header cells and the charts as figures with
// their text alternatives.
func TestReportPrintsAsTaggedPDF(t *testing.T) {
	printer := chromeprint.New(browsertest.Chromium(t), chromeprint.Options{NoSandbox: true})
	rep := printReport()
	pdf, err := printedReportPDF(context.Background(), printer, rep, "sv", time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	got, err := pdfua.Check(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got.Problems {
		t.Error(p)
	}
	if got.Lang != "sv-SE" || got.Title != "Verksamhetsberättelse 2025 – Samordningsförbundet Exempel" {
		t.Errorf("lang %q, title %q", got.Lang, got.Title)
	}
	tables := rep.Tables(reportT("sv"), reportCodes, "sv", assocreport.Publisher{})
	want := map[string]int{"H1": 1, "H2": len(tables) + 1, "Table": len(tables) + 1, "Figure": 3}
	for k, n := range want {
		if got.Types[k] != n {
			t.Errorf("%d %s, want %d (all: %v)", got.Types[k], k, n, got.Types)
		}
	}
	// The participants chart's alternative text says every value,
	// hidden ones as shown.
	if !slices.ContainsFunc(got.Alts, func(a string) bool { return strings.Contains(a, "Skarphäll: Kvinnor .., Män <5") }) {
		t.Errorf("no figure's text says Skarphäll's values: %q", got.Alts)
	}
}
