package pdfua

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// The object model: what the checks need of a PDF. A value is one of
// nil (null), bool, float64 (numbers), name, string (a decoded string),
// []any (array), dict and ref.
type (
	name string
	dict map[name]any
	ref  struct{ num, gen int }
)

// document is the objects of a PDF by number and its trailer.
type document struct {
	objects map[int]any
	// streams are the data of the streams, by object number, as in the
	// file (still encoded).
	streams map[int][]byte
	trailer dict
	// startxref is where the last cross-reference section begins, for an
	// incremental update's /Prev.
	startxref int
	// classic says the last section is a cross-reference table, not a
	// stream.
	classic bool
}

var objStart = regexp.MustCompile(`(?:^|[\s>\]])(\d+)\s+(\d+)\s+obj\b`)

// read parses every indirect object of a PDF written with classic
// cross-reference tables or streams, in file order, so that an incremental
// update's objects replace the originals. Objects inside object streams
// (/Type /ObjStm) are not read: the caller is told.
func read(pdf []byte) (*document, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("not a PDF")
	}
	d := &document{objects: map[int]any{}, streams: map[int][]byte{}}
	pos := 0
	for {
		loc := objStart.FindSubmatchIndex(pdf[pos:])
		if loc == nil {
			break
		}
		num, _ := strconv.Atoi(string(pdf[pos+loc[2] : pos+loc[3]]))
		p := &parser{b: pdf, i: pos + loc[1]}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("object %d: %w", num, err)
		}
		d.objects[num] = v
		p.space()
		if bytes.HasPrefix(pdf[p.i:], []byte("stream")) {
			if obj, ok := v.(dict); ok && obj["Type"] == name("ObjStm") {
				return nil, errors.New("the PDF keeps objects in object streams, which this reader does not read")
			}
			if obj, ok := v.(dict); ok && obj["Type"] == name("XRef") {
				d.trailer = obj
			}
			p.i += len("stream")
			if p.i < len(pdf) && pdf[p.i] == '\r' {
				p.i++
			}
			if p.i < len(pdf) && pdf[p.i] == '\n' {
				p.i++
			}
			end := bytes.Index(pdf[p.i:], []byte("endstream"))
			if end < 0 {
				return nil, fmt.Errorf("object %d: a stream without end", num)
			}
			d.streams[num] = bytes.TrimRight(pdf[p.i:p.i+end], "\r\n")
			p.i += end + len("endstream")
		}
		pos = p.i
	}
	if i := bytes.LastIndex(pdf, []byte("trailer")); i >= 0 {
		p := &parser{b: pdf, i: i + len("trailer")}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("trailer: %w", err)
		}
		if t, ok := v.(dict); ok {
			d.trailer = t
		}
	}
	if d.trailer == nil {
		return nil, errors.New("no trailer")
	}
	if i := bytes.LastIndex(pdf, []byte("startxref")); i >= 0 {
		p := &parser{b: pdf, i: i + len("startxref")}
		if v, err := p.value(); err == nil {
			if n, ok := v.(float64); ok {
				d.startxref = int(n)
				d.classic = bytes.HasPrefix(pdf[min(d.startxref, len(pdf)):], []byte("xref"))
			}
		}
	}
	return d, nil
}

// resolve follows a reference.
func (d *document) resolve(v any) any {
	for range 32 { // a chain of references longer than this is a loop
		r, ok := v.(ref)
		if !ok {
			return v
		}
		v = d.objects[r.num]
	}
	return nil
}

func (d *document) dict(v any) dict {
	x, _ := d.resolve(v).(dict)
	return x
}

func (d *document) array(v any) []any {
	switch x := d.resolve(v).(type) {
	case []any:
		return x
	case nil:
		return nil
	default:
		return []any{x}
	}
}

func (d *document) str(v any) string {
	s, _ := d.resolve(v).(string)
	return s
}

// parser reads PDF syntax (ISO 32000-1, 7.2 and 7.3) from b at i.
type parser struct {
	b []byte
	i int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

// space skips white space and comments.
func (p *parser) space() {
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case isSpace(c):
			p.i++
		case c == '%':
			for p.i < len(p.b) && p.b[p.i] != '\n' && p.b[p.i] != '\r' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *parser) word() string {
	s := p.i
	for p.i < len(p.b) && !isSpace(p.b[p.i]) && !isDelim(p.b[p.i]) {
		p.i++
	}
	return string(p.b[s:p.i])
}

var errEnd = errors.New("unexpected end")

func (p *parser) value() (any, error) {
	p.space()
	if p.i >= len(p.b) {
		return nil, errEnd
	}
	switch c := p.b[p.i]; {
	case c == '/':
		p.i++
		return name(unescapeName(p.word())), nil
	case c == '(':
		return p.literal()
	case c == '<' && p.i+1 < len(p.b) && p.b[p.i+1] == '<':
		p.i += 2
		d := dict{}
		for {
			p.space()
			if p.i+1 < len(p.b) && p.b[p.i] == '>' && p.b[p.i+1] == '>' {
				p.i += 2
				return d, nil
			}
			k, err := p.value()
			if err != nil {
				return nil, err
			}
			kn, ok := k.(name)
			if !ok {
				return nil, fmt.Errorf("a dictionary key %v is not a name", k)
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			d[kn] = v
		}
	case c == '<':
		p.i++
		e := bytes.IndexByte(p.b[p.i:], '>')
		if e < 0 {
			return nil, errEnd
		}
		var hex []byte
		for _, h := range p.b[p.i : p.i+e] {
			if !isSpace(h) {
				hex = append(hex, h)
			}
		}
		p.i += e + 1
		if len(hex)%2 == 1 {
			hex = append(hex, '0')
		}
		out := make([]byte, len(hex)/2)
		for j := range out {
			v, err := strconv.ParseUint(string(hex[2*j:2*j+2]), 16, 8)
			if err != nil {
				return nil, fmt.Errorf("hex string: %w", err)
			}
			out[j] = byte(v)
		}
		return textString(out), nil
	case c == '[':
		p.i++
		var a []any
		for {
			p.space()
			if p.i < len(p.b) && p.b[p.i] == ']' {
				p.i++
				return a, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	}
	w := p.word()
	switch w {
	case "":
		return nil, fmt.Errorf("unexpected %q", p.b[p.i])
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	n, err := strconv.ParseFloat(w, 64)
	if err != nil {
		return nil, fmt.Errorf("unknown token %q", w)
	}
	// A number followed by "g R" is a reference.
	save := p.i
	p.space()
	g := p.word()
	p.space()
	if _, err := strconv.Atoi(g); err == nil && p.i < len(p.b) && p.b[p.i] == 'R' && (p.i+1 == len(p.b) || isSpace(p.b[p.i+1]) || isDelim(p.b[p.i+1])) {
		p.i++
		gn, _ := strconv.Atoi(g)
		return ref{int(n), gn}, nil
	}
	p.i = save
	return n, nil
}

// literal reads a literal string.
func (p *parser) literal() (any, error) {
	raw, n, ok := LiteralString(p.b[p.i:])
	if !ok {
		return nil, errEnd
	}
	p.i += n
	return textString(raw), nil
}

// LiteralString reads the PDF literal string at the start of b, "(" and
// all (ISO 32000-1, 7.3.4.2): its bytes with escapes resolved, how many
// bytes of b it took, and whether it was closed.
func LiteralString(b []byte) (raw []byte, n int, ok bool) {
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			i++
			switch e := b[i]; e {
			case 'n':
				raw = append(raw, '\n')
			case 'r':
				raw = append(raw, '\r')
			case 't':
				raw = append(raw, '\t')
			case 'b':
				raw = append(raw, '\b')
			case 'f':
				raw = append(raw, '\f')
			case '\r', '\n':
			default:
				if e >= '0' && e <= '7' {
					v, j := 0, 0
					for ; j < 3 && i+j < len(b) && b[i+j] >= '0' && b[i+j] <= '7'; j++ {
						v = v*8 + int(b[i+j]-'0')
					}
					raw = append(raw, byte(v))
					i += j - 1
				} else {
					raw = append(raw, e)
				}
			}
		case c == '(':
			if depth > 0 {
				raw = append(raw, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return raw, i + 1, true
			}
			raw = append(raw, c)
		default:
			raw = append(raw, c)
		}
	}
	return raw, len(b), false
}

// textString decodes a PDF text string: UTF-16BE with its byte order mark,
// UTF-8 with its mark (PDF 2.0), else PDFDocEncoding, read here as Latin-1
// (they differ only in signs no check looks at).
func textString(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff:
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	case len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf:
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// unescapeName decodes #xx in a name.
func unescapeName(s string) string {
	if !bytes.Contains([]byte(s), []byte("#")) {
		return s
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return string(out)
}
