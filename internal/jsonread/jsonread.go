// Package jsonread is the strict JSON reading that the hand-written
// decoders of finsam's inputs share (rules.ParseInput, certificate's
// ParseJSON): a cursor over one document with whitespace, literals,
// strings (escapes, surrogates, UTF-8) and numbers. Each decoder walks its
// own schema with it, so that it can name the offending value by its path
// ("periods[1].to", "diagnoses[0].code"), refuse repeated keys and unknown
// fields where encoding/json lets them pass, and allocate nothing for a
// valid document; see docs/adr/0024-one-strict-json-reader.md.
//
// A problem comes back as a message in English saying what is wrong at
// the cursor (Reader.I); the decoder makes it its own error, with the
// position, in its own words.
package jsonread

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Reader is a cursor over one JSON document.
type Reader struct {
	B []byte
	I int
	// Strict refuses what no text can hold: a lone UTF-16 surrogate and
	// NUL in a \u escape. Otherwise a lone surrogate becomes U+FFFD, as
	// encoding/json does, and NUL is kept.
	Strict bool

	// buf holds the last string with escapes, reused by the next.
	buf []byte
}

// WS skips whitespace.
func (r *Reader) WS() {
	for r.I < len(r.B) {
		switch r.B[r.I] {
		case ' ', '\t', '\n', '\r':
			r.I++
		default:
			return
		}
	}
}

// Peek is the next byte after whitespace, 0 at the end.
func (r *Reader) Peek() byte {
	r.WS()
	if r.I >= len(r.B) {
		return 0
	}
	return r.B[r.I]
}

// Literal consumes word (true, false, null) if it is next.
func (r *Reader) Literal(word string) bool {
	if len(r.B)-r.I < len(word) || string(r.B[r.I:r.I+len(word)]) != word {
		return false
	}
	r.I += len(word)
	return true
}

// Expect consumes c, the next byte after whitespace.
func (r *Reader) Expect(c byte) string {
	if r.Peek() != c {
		if r.I >= len(r.B) {
			return "unexpected end of input"
		}
		return "expected '" + string(c) + "'"
	}
	r.I++
	return ""
}

// Kind names the JSON value a byte starts ("string", "object", "array",
// "boolean", "null", "number"), or "" when it starts none.
func Kind(c byte) string {
	switch {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "number"
	}
	return ""
}

// String reads a string and returns its decoded bytes: a slice of the
// document when the string has no escapes, else the reader's buffer. Use
// them before the next call.
func (r *Reader) String() ([]byte, string) {
	if r.Peek() != '"' {
		return nil, "expected string"
	}
	r.I++
	start := r.I
	for r.I < len(r.B) {
		c := r.B[r.I]
		switch {
		case c == '"':
			s := r.B[start:r.I]
			r.I++
			if !validUTF8(s) {
				return nil, "invalid UTF-8 in string"
			}
			return s, ""
		case c == '\\':
			return r.escaped(start)
		case c < 0x20:
			return nil, "control character in string"
		}
		r.I++
	}
	return nil, "unterminated string"
}

func (r *Reader) escaped(start int) ([]byte, string) {
	out := append(r.buf[:0], r.B[start:r.I]...)
	for r.I < len(r.B) {
		c := r.B[r.I]
		switch {
		case c == '"':
			r.I++
			r.buf = out
			if !validUTF8(out) {
				return nil, "invalid UTF-8 in string"
			}
			return out, ""
		case c < 0x20:
			return nil, "control character in string"
		case c != '\\':
			out = append(out, c)
			r.I++
			continue
		}
		r.I++
		if r.I >= len(r.B) {
			break
		}
		e := r.B[r.I]
		r.I++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			c, msg := r.codePoint()
			if msg != "" {
				return nil, msg
			}
			out = utf8.AppendRune(out, c)
		default:
			return nil, "invalid escape"
		}
	}
	return nil, "unterminated string"
}

// codePoint reads the hex digits of a \u escape (the cursor after the
// "u") and the second half of a surrogate pair.
func (r *Reader) codePoint() (rune, string) {
	c, ok := r.hex4()
	if !ok {
		return 0, "invalid \\u escape"
	}
	isHigh, isLow := c >= 0xD800 && c < 0xDC00, c >= 0xDC00 && c < 0xE000
	switch {
	case r.Strict && (isHigh || isLow):
		// A surrogate must be the first half of a pair; a lone one has no
		// character to stand for.
		if r.I+1 >= len(r.B) || r.B[r.I] != '\\' || r.B[r.I+1] != 'u' {
			return 0, "lone surrogate in \\u escape"
		}
		r.I += 2
		c2, ok := r.hex4()
		if !ok {
			return 0, "invalid \\u escape"
		}
		if !isHigh || c2 < 0xDC00 || c2 >= 0xE000 {
			return 0, "lone surrogate in \\u escape"
		}
		c = 0x10000 + (c-0xD800)<<10 + (c2 - 0xDC00)
	case isHigh:
		// Followed by a low surrogate it is one character; alone it is
		// U+FFFD and what follows is read on its own.
		hi := c
		c = utf8.RuneError
		if r.I+1 < len(r.B) && r.B[r.I] == '\\' && r.B[r.I+1] == 'u' {
			save := r.I
			r.I += 2
			c2, ok := r.hex4()
			if ok && c2 >= 0xDC00 && c2 < 0xE000 {
				c = 0x10000 + (hi-0xD800)<<10 + (c2 - 0xDC00)
			} else {
				r.I = save
			}
		}
	case isLow:
		c = utf8.RuneError
	}
	if r.Strict && c == 0 {
		// NUL cannot be stored in PostgreSQL text.
		return 0, "NUL character in string"
	}
	return c, ""
}

func (r *Reader) hex4() (rune, bool) {
	if r.I+4 > len(r.B) {
		return 0, false
	}
	var c rune
	for _, h := range r.B[r.I : r.I+4] {
		switch {
		case h >= '0' && h <= '9':
			c = c<<4 | rune(h-'0')
		case h >= 'a' && h <= 'f':
			c = c<<4 | rune(h-'a'+10)
		case h >= 'A' && h <= 'F':
			c = c<<4 | rune(h-'A'+10)
		default:
			return 0, false
		}
	}
	r.I += 4
	return c, true
}

// validUTF8 is utf8.Valid with a fast path for short ASCII strings (the
// dates, codes and ids most fields hold), where the call costs more than
// the check; utf8.Valid itself reads long text a word at a time.
func validUTF8(s []byte) bool {
	if len(s) <= 16 {
		for _, c := range s {
			if c >= 0x80 {
				return utf8.Valid(s)
			}
		}
		return true
	}
	return utf8.Valid(s)
}

// Number reads a JSON number. Plain integers of up to 15 digits are
// converted without strconv (and so without allocating); a number too
// large for a float64 is +Inf.
func (r *Reader) Number() (float64, string) {
	r.WS()
	start := r.I
	if r.I < len(r.B) && r.B[r.I] == '-' {
		r.I++
	}
	if r.I >= len(r.B) {
		return 0, "expected number"
	}
	switch c := r.B[r.I]; {
	case c == '0':
		r.I++
	case c >= '1' && c <= '9':
		r.digits()
	default:
		return 0, "expected number"
	}
	simple := true
	if r.I < len(r.B) && r.B[r.I] == '.' {
		simple = false
		r.I++
		if r.I >= len(r.B) || r.B[r.I] < '0' || r.B[r.I] > '9' {
			return 0, "expected digit after decimal point"
		}
		r.digits()
	}
	if r.I < len(r.B) && (r.B[r.I] == 'e' || r.B[r.I] == 'E') {
		simple = false
		r.I++
		if r.I < len(r.B) && (r.B[r.I] == '+' || r.B[r.I] == '-') {
			r.I++
		}
		if r.I >= len(r.B) || r.B[r.I] < '0' || r.B[r.I] > '9' {
			return 0, "expected digit in exponent"
		}
		r.digits()
	}
	lit := r.B[start:r.I]
	if simple && len(lit) <= 15 {
		neg := lit[0] == '-'
		if neg {
			lit = lit[1:]
		}
		var v int64
		for _, c := range lit {
			v = v*10 + int64(c-'0')
		}
		if neg {
			v = -v
		}
		return float64(v), ""
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		// Only range errors are possible after the grammar check above.
		return math.Inf(1), ""
	}
	return f, ""
}

func (r *Reader) digits() {
	for r.I < len(r.B) && r.B[r.I] >= '0' && r.B[r.I] <= '9' {
		r.I++
	}
}

// Skip skips any JSON value, checking its grammar, nested at most 64
// deep.
func (r *Reader) Skip() string { return r.skip(0) }

func (r *Reader) skip(depth int) string {
	if depth > 64 {
		return "nesting too deep"
	}
	switch c := r.Peek(); c {
	case '"':
		_, msg := r.String()
		return msg
	case '{':
		return r.skipElements('}', func() string {
			if _, msg := r.String(); msg != "" {
				return msg
			}
			if msg := r.Expect(':'); msg != "" {
				return msg
			}
			return r.skip(depth + 1)
		})
	case '[':
		return r.skipElements(']', func() string { return r.skip(depth + 1) })
	case 't':
		if r.Literal("true") {
			return ""
		}
	case 'f':
		if r.Literal("false") {
			return ""
		}
	case 'n':
		if r.Literal("null") {
			return ""
		}
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			_, msg := r.Number()
			return msg
		}
	}
	return "invalid value"
}

// skipElements skips the comma-separated elements of the object or array
// whose opening bracket is next, each with elem, and the closing bracket
// end.
func (r *Reader) skipElements(end byte, elem func() string) string {
	r.I++
	if r.Peek() == end {
		r.I++
		return ""
	}
	for {
		if msg := elem(); msg != "" {
			return msg
		}
		if r.Peek() != ',' {
			return r.Expect(end)
		}
		r.I++
	}
}
