package pdftext_test

import (
	"bytes"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"github.com/finsam/finsam/assocreport/pdftext"
)

func TestExtractReadsSwedishFromCompressedAndPlainPDFs(t *testing.T) {
	for _, compress := range []bool{true, false} {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.SetCompression(compress)
		tr := pdf.UnicodeTranslatorFromDescriptor("")
		pdf.AddPage()
		pdf.SetFont("Helvetica", "", 12)
		pdf.Text(10, 10, tr("Samordningsförbundet Gotland – Skarphäll (ÅÄÖ) \\ 1–90"))
		pdf.CellFormat(50, 10, tr("Verksamhetsberättelse"), "", 1, "L", false, 0, "")
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			t.Fatal(err)
		}
		text, err := pdftext.Extract(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Samordningsförbundet Gotland – Skarphäll (ÅÄÖ) \\ 1–90", "Verksamhetsberättelse"} {
			if !strings.Contains(text, want) {
				t.Errorf("compress %v: %q not in %q", compress, want, text)
			}
		}
	}
	if _, err := pdftext.Extract([]byte("hello")); err == nil {
		t.Error("not a PDF: no error")
	}
}

func TestPagesSplitsTheTextByPage(t *testing.T) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetFont("Helvetica", "", 12)
	for _, s := range []string{"first page", "second page"} {
		pdf.AddPage()
		pdf.Text(10, 10, s)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	pages, err := pdftext.Pages(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"first page\n", "second page\n"}; strings.Join(pages, "|") != strings.Join(want, "|") {
		t.Errorf("pages %q, want %q", pages, want)
	}
}
