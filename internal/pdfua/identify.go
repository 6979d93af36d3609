package pdfua

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf16"
)

// Identify appends to a tagged PDF the XMP metadata that PDF/UA-1
// requires and Chromium does not write: the document's title (dc:title),
// its language and the PDF/UA identification (pdfuaid:part 1). It is an
// incremental update (ISO 32000-1, 7.5.6): the original bytes stay as they
// are, followed by a metadata stream, the catalog with /Metadata and a
// cross-reference section for the two. It takes PDFs whose last
// cross-reference section is a table, as Chromium writes them.
func Identify(pdf []byte, title, lang string) ([]byte, error) {
	d, err := read(pdf)
	if err != nil {
		return nil, err
	}
	if !d.classic {
		return nil, errors.New("the PDF's cross-reference section is not a table")
	}
	root, ok := d.trailer["Root"].(ref)
	if !ok {
		return nil, errors.New("the trailer names no catalog")
	}
	cat := d.dict(root)
	if cat == nil {
		return nil, errors.New("no catalog")
	}
	size, _ := d.trailer["Size"].(float64)
	meta := int(size)

	var b bytes.Buffer
	b.Write(pdf)
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		b.WriteByte('\n')
	}
	xmp := xmpPacket(title, lang)
	metaAt := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Type /Metadata /Subtype /XML /Length %d>>\nstream\n", meta, len(xmp))
	b.Write(xmp)
	b.WriteString("\nendstream\nendobj\n")
	cat = maps(cat)
	cat["Metadata"] = ref{meta, 0}
	catAt := b.Len()
	fmt.Fprintf(&b, "%d %d obj\n", root.num, root.gen)
	write(&b, cat)
	b.WriteString("\nendobj\n")
	xrefAt := b.Len()
	// One subsection per object, in the order of their numbers.
	entries := [][3]int{{root.num, root.gen, catAt}, {meta, 0, metaAt}}
	slices.SortFunc(entries, func(a, b [3]int) int { return a[0] - b[0] })
	b.WriteString("xref\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "%d 1\n%010d %05d n \n", e[0], e[2], e[1])
	}
	trailer := maps(d.trailer)
	trailer["Size"] = float64(meta + 1)
	trailer["Prev"] = float64(d.startxref)
	delete(trailer, "XRefStm")
	b.WriteString("trailer\n")
	write(&b, trailer)
	fmt.Fprintf(&b, "\nstartxref\n%d\n%%%%EOF\n", xrefAt)
	return b.Bytes(), nil
}

// maps copies a dictionary.
func maps(d dict) dict {
	c := make(dict, len(d))
	for k, v := range d {
		c[k] = v
	}
	return c
}

// xmpPacket is the metadata: title, language and the PDF/UA-1
// identification.
func xmpPacket(title, lang string) []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(title) + `</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>` + esc(lang) + `</rdf:li></rdf:Bag></dc:language>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
}

// write writes a value in PDF syntax.
func write(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case name:
		b.WriteByte('/')
		for _, c := range []byte(x) {
			if c < '!' || c > '~' || c == '#' || isDelim(c) {
				fmt.Fprintf(b, "#%02x", c)
				continue
			}
			b.WriteByte(c)
		}
	case string:
		// The reader decoded a string without a byte order mark as one
		// rune a byte: such a string goes back byte for byte (an /ID stays
		// the same bytes); any other as UTF-16BE with its mark.
		if slices.ContainsFunc([]rune(x), func(r rune) bool { return r > 0xff }) {
			b.WriteString("<FEFF")
			for _, u := range utf16.Encode([]rune(x)) {
				fmt.Fprintf(b, "%04X", u)
			}
			b.WriteByte('>')
			return
		}
		b.WriteByte('<')
		for _, r := range x {
			fmt.Fprintf(b, "%02X", r)
		}
		b.WriteByte('>')
	case ref:
		fmt.Fprintf(b, "%d %d R", x.num, x.gen)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(' ')
			}
			write(b, e)
		}
		b.WriteByte(']')
	case dict:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, string(k))
		}
		slices.Sort(keys)
		b.WriteString("<<")
		for _, k := range keys {
			write(b, name(k))
			b.WriteByte(' ')
			write(b, x[name(k)])
			b.WriteByte('\n')
		}
		b.WriteString(">>")
	}
}
