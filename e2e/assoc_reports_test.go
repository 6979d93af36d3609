package e2e

import (
	"encoding/base64"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/finsam/finsam/assocreport/pdftext"
	bt "github.com/finsam/finsam/internal/browsertest"
)

// download is a file fetched with the page's session (fetchJS): status,
// headers of interest and the body in base64.
type download struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Body        string `json:"body"` // base64
}

const fetchJS = `(async (href) => {
	const r = await fetch(href, {credentials: 'same-origin'});
	const bytes = new Uint8Array(await r.arrayBuffer());
	let bin = '';
	for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
	return {status: r.status, type: r.headers.get('content-type') || '', disposition: r.headers.get('content-disposition') || '', body: btoa(bin)};
})`

// TestAssociationReportsInBrowser signs in as a board member, opens the
// association's report page (axe), downloads the yearly PDF and the
// Uppföljning Finsam CSV through the browser's session, and checks them:
// the PDF's text names the association and the year, and the CSV's
// participants per insats equal the page's table.
func TestAssociationReportsInBrowser(t *testing.T) {
	srv := bt.StartServer(t)
	ctx := demoBrowser(t, srv, "styrelse")
	bt.Navigate(t, ctx, srv.URL+"/forbund/finsam-gotland/rapporter")
	if h1 := bt.Text(t, ctx, "h1"); !strings.Contains(h1, "Samordningsförbundet Gotland") {
		t.Fatalf("h1 = %q", h1)
	}
	bt.AssertVisible(t, ctx, `svg[aria-labelledby^="chart-participants-title"]`)
	assertAccessibleSVGText(t, ctx, "finsam-assoc-chart",
		"SVG text in the association report's charts; contrast checked by web.TestReportChartTextHasContrast")
	bt.AssertNoConsoleErrors(t, ctx)
	bt.Screenshot(t, ctx, "assoc-reports")

	// The page's participants per insats (the Totalt column), by name.
	pageTotals := bt.Eval[map[string]string](t, ctx, `(() => {
		const out = {};
		for (const tr of document.querySelectorAll('#table-participants tbody tr')) {
			const cells = tr.querySelectorAll('th, td');
			out[cells[0].textContent.trim()] = cells[3].textContent.trim();
		}
		return out;
	})()`)
	if _, ok := pageTotals["Skarphäll"]; !ok {
		t.Fatalf("the page's participants table lacks Skarphäll: %v", pageTotals)
	}
	year := bt.Eval[string](t, ctx, `document.querySelector('#year').value`)

	get := func(selector string) download {
		href := bt.Eval[string](t, ctx, `document.querySelector('`+selector+`').getAttribute('href')`)
		return bt.Eval[download](t, ctx, fetchJS+`(`+jsString(href)+`)`)
	}

	pdf := get("#download-pdf")
	if pdf.Status != 200 || pdf.Type != "application/pdf" || !strings.HasPrefix(pdf.Disposition, "attachment;") {
		t.Fatalf("PDF: %d %s %s", pdf.Status, pdf.Type, pdf.Disposition)
	}
	raw, err := base64.StdEncoding.DecodeString(pdf.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "%PDF-") {
		t.Fatal("the download is not a PDF")
	}
	text, err := pdftext.Extract(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Samordningsförbundet Gotland", "Verksamhetsberättelse " + year, "Skarphäll", "Deltagare per insats och kön"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}

	c := get("#download-csv")
	if c.Status != 200 || c.Type != "text/csv; charset=utf-8" || !strings.Contains(c.Disposition, "uppfoljning-finsam-finsam-gotland-"+year+".csv") {
		t.Fatalf("CSV: %d %s %s", c.Status, c.Type, c.Disposition)
	}
	raw, err = base64.StdEncoding.DecodeString(c.Body)
	if err != nil {
		t.Fatal(err)
	}
	body := string(raw)
	if !strings.HasPrefix(body, "\ufeff") {
		t.Error("the CSV has no byte-order mark")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 || strings.Join(recs[0], ";") != "Samordningsförbund;År;Insats;Inriktning;Kvinnor;Män;Totalt;Budget (kr);Utfall (kr)" {
		t.Fatalf("CSV header %q", recs[0])
	}
	compared := 0
	for _, rec := range recs[1:] {
		if rec[3] != "Individinriktad" {
			continue
		}
		if rec[1] != year {
			t.Errorf("CSV row of year %s, want %s", rec[1], year)
		}
		if got, ok := pageTotals[rec[2]]; !ok || got != rec[6] {
			t.Errorf("%s: the CSV's total %q, the page's %q", rec[2], rec[6], got)
		}
		compared++
	}
	if compared == 0 {
		t.Error("the CSV has no individual insats")
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
