// Package pdftext pulls the text out of the PDFs finsam writes (with
// go-pdf/fpdf and its core fonts), so that tests can check what a PDF
// says. It is no general PDF reader: it inflates the content streams
// (FlateDecode or none), takes every string shown with Tj or TJ, and reads
// the bytes as cp1252, the encoding fpdf's core fonts use.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"strings"

	"github.com/finsam/finsam/internal/pdfua"
)

// Extract returns the text of every page, one shown string a line.
func Extract(pdf []byte) (string, error) {
	pages, err := Pages(pdf)
	return strings.Join(pages, ""), err
}

// Pages returns the text of each page, one shown string a line. fpdf
// writes one content stream per page, in page order, and no other stream
// of text, so the n-th content stream is the n-th page.
func Pages(pdf []byte) ([]string, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("pdftext: not a PDF")
	}
	var pages []string
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		// "endstream" also contains "stream": skip it.
		if i >= 3 && string(rest[i-3:i]) == "end" {
			rest = rest[i+6:]
			continue
		}
		dict := rest[max(0, bytes.LastIndex(rest[:i], []byte("<<"))):i]
		start := i + 6
		if len(rest) > i+6 && rest[i+6] == '\n' {
			start = i + 7
		} else if len(rest) > i+7 && rest[i+6] == '\r' && rest[i+7] == '\n' {
			start = i + 8
		}
		end := bytes.Index(rest[start:], []byte("endstream"))
		if end < 0 {
			return nil, errors.New("pdftext: a stream without end")
		}
		data := rest[start : start+end]
		rest = rest[start+end+9:]
		if bytes.Contains(dict, []byte("/Length1")) || bytes.Contains(dict, []byte("/Subtype")) {
			continue // fonts and images
		}
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				continue // not a content stream we can read
			}
			inflated, err := io.ReadAll(zr)
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				continue
			}
			data = inflated
		}
		var out strings.Builder
		shown(data, &out)
		pages = append(pages, out.String())
	}
	return pages, nil
}

// shown writes the strings of a content stream's text operators.
func shown(content []byte, out *strings.Builder) {
	var pending []string
	for i := 0; i < len(content); i++ {
		switch c := content[i]; {
		case c == '(':
			s, n := literal(content[i:])
			pending = append(pending, s)
			i += n - 1
		case c == 'T' && i+1 < len(content) && (content[i+1] == 'j' || content[i+1] == 'J'):
			if len(pending) > 0 {
				out.WriteString(strings.Join(pending, ""))
				out.WriteByte('\n')
			}
			pending = pending[:0]
		}
	}
}

// literal reads a PDF literal string at the start of b and returns it
// decoded as cp1252, with how many bytes it took.
func literal(b []byte) (string, int) {
	raw, n, _ := pdfua.LiteralString(b)
	return cp1252(raw), n
}

// cp1252 decodes Windows-1252: Latin-1 with typographic signs in
// 0x80–0x9f.
func cp1252(b []byte) string {
	high := map[byte]rune{0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x99: '™'}
	var sb strings.Builder
	for _, c := range b {
		if r, ok := high[c]; ok {
			sb.WriteRune(r)
			continue
		}
		sb.WriteRune(rune(c))
	}
	return sb.String()
}
