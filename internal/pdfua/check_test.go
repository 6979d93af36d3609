package pdfua

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// build writes a PDF of the given objects (numbered from 1, the catalog
// first) with a classic cross-reference table.
func build(objs ...string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R /Info 2 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// tagged is a small tagged document: objects 1–5 fixed, the tree's kids
// (object 6 on) given.
func tagged(catalog, page, kids string, elems ...string) []byte {
	return build(append([]string{
		"<</Type /Catalog /Pages 3 0 R /StructTreeRoot 5 0 R " + catalog + ">>",
		"<</Title <FEFF0052006100700070006F0072007400200032003000320035> /Producer (test)>>",
		"<</Type /Pages /Count 1 /Kids [4 0 R]>>",
		"<</Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 99 0 R " + page + ">>",
		"<</Type /StructTreeRoot /K [" + kids + "] /RoleMap <</Chart /Figure>>>>",
	}, elems...)...)
}

const (
	goodCatalog = "/MarkInfo <</Marked true>> /Lang (sv-SE) /ViewerPreferences <</DisplayDocTitle true>>"
	goodPage    = "/StructParents 0 /Tabs /S"
)

// a document with H1, H2, a table with a header and a figure with Alt.
var goodElems = []string{
	"<</Type /StructElem /S /H1 /P 5 0 R /K 0>>",                                                   // 6
	"<</Type /StructElem /S /H2 /P 5 0 R /K 1>>",                                                   // 7
	"<</Type /StructElem /S /Table /P 5 0 R /K [9 0 R 10 0 R]>>",                                   // 8
	"<</Type /StructElem /S /TR /P 8 0 R /K [11 0 R]>>",                                            // 9
	"<</Type /StructElem /S /TR /P 8 0 R /K [<</Type /MCR /MCID 3>> 12 0 R]>>",                     // 10
	"<</Type /StructElem /S /TH /P 9 0 R /K 2 /A <</O /Table /Scope /Column>>>>",                   // 11
	"<</Type /StructElem /S /TD /P 10 0 R /K 4>>",                                                  // 12
	"<</Type /StructElem /S /Chart /Alt (Deltagare per insats\\051 \\(kvinnor\\)) /P 5 0 R /K 5>>", // 13
}

// identified is the PDF with its XMP metadata added by Identify.
func identified(t *testing.T, pdf []byte) []byte {
	t.Helper()
	out, err := Identify(pdf, "Rapport 2025 – Förbundet", "sv-SE")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCheck(t *testing.T) {
	with := func(i int, elem string) []string {
		e := slices.Clone(goodElems)
		e[i-6] = elem
		return e
	}
	tests := []struct {
		name  string
		pdf   []byte
		wants []string // each a part of one problem; none for a good PDF
	}{
		{"tagged", identified(t, tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...)), nil},
		{"not marked", identified(t, tagged("/Lang (sv-SE) /ViewerPreferences <</DisplayDocTitle true>>", goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...)), []string{"/MarkInfo"}},
		{"marked false", identified(t, tagged("/MarkInfo <</Marked false>> /Lang (sv-SE) /ViewerPreferences <</DisplayDocTitle true>>", goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...)), []string{"/MarkInfo"}},
		{"no language, no title shown", identified(t, tagged("/MarkInfo <</Marked true>>", goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...)), []string{"/Lang", "DisplayDocTitle"}},
		{"page outside the tree", identified(t, tagged(goodCatalog, "", "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...)), []string{"page 1 is not part"}},
		{"figure without alt", identified(t, tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", with(13, "<</Type /StructElem /S /Figure /P 5 0 R /K 5>>")...)), []string{"Figure has no alternative text"}},
		{"table without header", identified(t, tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", with(11, "<</Type /StructElem /S /TD /P 9 0 R /K 2>>")...)), []string{"no header cell"}},
		{"heading skips a level", identified(t, tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", with(7, "<</Type /StructElem /S /H3 /P 5 0 R /K 1>>")...)), []string{"skips from H1 to H3"}},
		{"first heading not H1", identified(t, tagged(goodCatalog, goodPage, "7 0 R 8 0 R 13 0 R", goodElems...)), []string{"first heading is H2"}},
		{"unknown type", identified(t, tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", with(12, "<</Type /StructElem /S /Cell /P 10 0 R /K 4>>")...)), []string{"/Cell is neither"}},
		{"untagged", build("<</Type /Catalog /Pages 3 0 R>>", "<<>>", "<</Type /Pages /Count 1 /Kids [4 0 R]>>", "<</Type /Page /Parent 3 0 R /Contents 5 0 R>>"),
			[]string{"/MarkInfo", "/Lang", "DisplayDocTitle", "no /Title", "no structure tree", "no XMP metadata"}},
		{"tagged, no metadata", tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...), []string{"no XMP metadata"}},
		{"metadata without PDF/UA", build([]string{
			"<</Type /Catalog /Pages 3 0 R /StructTreeRoot 5 0 R /Metadata 6 0 R " + goodCatalog + ">>",
			"<</Title (Rapport)>>",
			"<</Type /Pages /Count 1 /Kids [4 0 R]>>",
			"<</Type /Page /Parent 3 0 R /Contents 99 0 R " + goodPage + ">>",
			"<</Type /StructTreeRoot /K []>>",
			"<</Type /Metadata /Subtype /XML /Length 60>>\nstream\n<x:xmpmeta><dc:title><rdf:Alt><rdf:li></rdf:li></rdf:Alt></dc:title></x:xmpmeta>\nendstream",
		}...), []string{"no dc:title", "PDF/UA-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Check(tt.pdf)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) != len(tt.wants) {
				t.Errorf("problems %q, want %d matching %q", res.Problems, len(tt.wants), tt.wants)
			}
			for _, w := range tt.wants {
				if !slices.ContainsFunc(res.Problems, func(p string) bool { return strings.Contains(p, w) }) {
					t.Errorf("no problem says %q: %q", w, res.Problems)
				}
			}
		})
	}
}

func TestCheckReadsTheDocument(t *testing.T) {
	res, err := Check(identified(t, tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Lang != "sv-SE" || res.Title != "Rapport 2025" {
		t.Errorf("lang %q, title %q", res.Lang, res.Title)
	}
	if want := []string{"Deltagare per insats) (kvinnor)"}; !slices.Equal(res.Alts, want) {
		t.Errorf("alts %q, want %q", res.Alts, want)
	}
	want := map[string]int{"H1": 1, "H2": 1, "Table": 1, "TR": 2, "TH": 1, "TD": 1, "Figure": 1}
	for k, n := range want {
		if res.Types[k] != n {
			t.Errorf("%s: %d, want %d (%v)", k, res.Types[k], n, res.Types)
		}
	}
	for _, bad := range [][]byte{[]byte("hello"), []byte("%PDF-1.7\n1 0 obj\n<</A (open\nendobj\n")} {
		if _, err := Check(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestIdentifyAppendsAnUpdate(t *testing.T) {
	orig := tagged(goodCatalog, goodPage, "6 0 R 7 0 R 8 0 R 13 0 R", goodElems...)
	out, err := Identify(orig, "Rapport <2025> & Förbundet", "sv-SE")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), string(orig)) {
		t.Fatal("the original bytes changed")
	}
	d, err := read(out)
	if err != nil {
		t.Fatal(err)
	}
	origDoc, _ := read(orig)
	if d.trailer["Prev"] != float64(origDoc.startxref) || d.trailer["Size"] != float64(15) {
		t.Errorf("trailer %v, want /Prev %d /Size 15", d.trailer, origDoc.startxref)
	}
	// The updated catalog keeps what it had and refers to the metadata.
	cat := d.dict(d.trailer["Root"])
	if d.str(cat["Lang"]) != "sv-SE" || cat["Metadata"] != (ref{14, 0}) || d.dict(cat["StructTreeRoot"]) == nil {
		t.Errorf("catalog %v", cat)
	}
	xmp, _ := metadata(d, cat["Metadata"])
	for _, want := range []string{"Rapport &lt;2025&gt; &amp; Förbundet", "<rdf:li>sv-SE</rdf:li>", "<pdfuaid:part>1</pdfuaid:part>"} {
		if !strings.Contains(string(xmp), want) {
			t.Errorf("the metadata lacks %q:\n%s", want, xmp)
		}
	}
	// The cross-reference table points at the objects it names.
	at := strings.LastIndex(string(out), "\nxref\n") + 1
	var num, off int
	fmt.Sscanf(string(out[at:]), "xref\n%d 1\n%d", &num, &off)
	if want := fmt.Sprintf("%d 0 obj", num); !strings.HasPrefix(string(out[off:]), want) {
		t.Errorf("the table's first entry points at %q, want %q", out[off:off+10], want)
	}
	if _, err := Identify([]byte("%PDF-1.5\n1 0 obj\n<</Type /XRef /Root 2 0 R /Size 3>>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n"), "t", "sv"); err == nil {
		t.Error("a cross-reference stream: no error")
	}
}
