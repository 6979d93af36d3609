package rules

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Employment is the insured person's relation to work on the evaluated
// date. It decides who pays the first 14 days, which karens applies and
// whether the unemployed daily maximum applies.
type Employment string

// The employments the engine knows.
const (
	Employee     Employment = "employee"
	Unemployed   Employment = "unemployed"
	SelfEmployed Employment = "self_employed"
)

func (e Employment) valid() bool {
	return e == Employee || e == Unemployed || e == SelfEmployed
}

// Period is one sick-leave period (sjukperiod as certified) with its degree
// of reduced work capacity.
type Period struct {
	From Date `json:"from"`
	// To is the last day of the period; the zero Date means open-ended.
	To Date `json:"to"`
	// Degree is 25, 50, 75 or 100 (percent of full sickness benefit).
	Degree int `json:"degree"`
}

// Input is the situation to evaluate. Its JSON form:
//
//	{"date":"YYYY-MM-DD","employment":"employee|unemployed|self_employed",
//	 "annual_income":<kr>,"periods":[{"from":"…","to":"…","degree":100}],
//	 "serious_illness":false,
//	 "birth_date":"YYYY-MM-DD","karenstid_days":14,"karenstid_from":"YYYY-MM-DD"}
//
// The last three are optional.
type Input struct {
	Date           Date       `json:"date"`
	Employment     Employment `json:"employment"`
	AnnualIncome   float64    `json:"annual_income"`
	Periods        []Period   `json:"periods"`
	SeriousIllness bool       `json:"serious_illness"`
	// BirthDate is the insured person's date of birth, for the age limit
	// of SFB 27 kap. 36 §; the zero Date when unknown, and then the rule is
	// not applied (the trace says so).
	BirthDate Date `json:"birth_date,omitzero"`
	// KarenstidDays is a self-employed person's chosen karenstid in days
	// (SFB 27 kap. 29–30 §§: 1, 14, 30, 60 or 90 from 2013); 0 for the
	// default karensdagar.
	KarenstidDays int `json:"karenstid_days,omitzero"`
	// KarenstidFrom is the first day the chosen karenstid applies, after
	// any uppsägningstid (27 kap. 31 §): sjukperioder that began earlier
	// keep the default karensdagar. The zero Date: every sjukperiod.
	KarenstidFrom Date `json:"karenstid_from,omitzero"`
}

// karenstidValues are the karenstider the law has offered at some time;
// which of them may be chosen on a date is the parameter
// karenstid_choices_self_employed.
func karenstidValue(n float64) bool {
	switch n {
	case 1, 3, 14, 30, 60, 90:
		return true
	}
	return false
}

// maxPeriods bounds the work one input can ask for; a real case has a few
// dozen certificates at most.
const maxPeriods = 1000

// maxIncomeKr rejects incomes that would overflow the integer arithmetic
// long before they could mean anything (the SGI cap is far below).
const maxIncomeKr = 1e12

// ParseInput decodes one input object strictly: unknown fields, duplicate
// fields, wrong JSON types, malformed dates and trailing data are errors.
// Semantic checks that need the parameters (date ranges, overlaps) are left
// to Evaluate. Errors are *Error.
func ParseInput(data []byte) (Input, error) {
	p := parser{b: data}
	in, err := p.input()
	if err != nil {
		return Input{}, err
	}
	return in, nil
}

// parser is a small strict JSON decoder for exactly the Input schema. It
// exists because encoding/json cannot name the offending array element
// ("periods[1].to"), accepts numbers in strings for json.Number, lets
// duplicate keys win silently and is several times slower on this shape,
// which matters for the nightly batch.
type parser struct {
	b   []byte
	i   int
	buf [64]byte // scratch for keys and short strings
}

func (p *parser) syntax(msg string) *Error {
	at := strconv.Itoa(p.i)
	return newError(CodeInvalidJSON, "", "malformed JSON at byte "+at+": "+msg,
		"felaktig JSON vid byte "+at+": "+msg)
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	p.ws()
	if p.i >= len(p.b) {
		return 0
	}
	return p.b[p.i]
}

func (p *parser) expect(c byte) *Error {
	if p.peek() != c {
		if p.i >= len(p.b) {
			return p.syntax("unexpected end of input")
		}
		return p.syntax("expected '" + string(c) + "'")
	}
	p.i++
	return nil
}

// kind names a JSON value by its first byte, for type errors.
func kindOf(c byte) string {
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
	return "invalid value"
}

func typeError(field, want string, got byte) *Error {
	k := kindOf(got)
	return newError(CodeInvalidType, field, "expected "+want+", got "+k,
		"fel typ: väntade "+svType(want)+", fick "+svType(k))
}

func svType(k string) string {
	switch k {
	case "string":
		return "sträng"
	case "object":
		return "objekt"
	case "array":
		return "lista"
	case "boolean":
		return "sant/falskt"
	case "null":
		return "null"
	case "number":
		return "tal"
	case "date string":
		return "datumsträng"
	}
	return "ogiltigt värde"
}

// str reads a JSON string. It returns a slice of the input when the string
// has no escapes and otherwise decodes into p.buf (or a new slice when the
// string is long); callers must use the result before the next call.
func (p *parser) str() ([]byte, *Error) {
	if p.peek() != '"' {
		return nil, p.syntax("expected string")
	}
	p.i++
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			if !validUTF8(s) {
				return nil, p.syntax("invalid UTF-8 in string")
			}
			return s, nil
		case c == '\\':
			return p.strEscaped(start)
		case c < 0x20:
			return nil, p.syntax("control character in string")
		}
		p.i++
	}
	return nil, p.syntax("unterminated string")
}

func (p *parser) strEscaped(start int) ([]byte, *Error) {
	out := append(p.buf[:0], p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !validUTF8(out) {
				return nil, p.syntax("invalid UTF-8 in string")
			}
			return out, nil
		case c < 0x20:
			return nil, p.syntax("control character in string")
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.b) {
			break
		}
		e := p.b[p.i]
		p.i++
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
			r, ok := p.hex4()
			if !ok {
				return nil, p.syntax("invalid \\u escape")
			}
			if r >= 0xD800 && r < 0xDC00 {
				// A high surrogate must be followed by a low one; a lone
				// surrogate becomes U+FFFD as in encoding/json.
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					r2, ok := p.hex4()
					if ok && r2 >= 0xDC00 && r2 < 0xE000 {
						r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
					} else {
						p.i = save
						r = 0xFFFD
					}
				} else {
					r = 0xFFFD
				}
			} else if r >= 0xDC00 && r < 0xE000 {
				r = 0xFFFD
			}
			out = appendRune(out, r)
		default:
			return nil, p.syntax("invalid escape")
		}
	}
	return nil, p.syntax("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	var r rune
	for _, c := range p.b[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}

func appendRune(b []byte, r rune) []byte {
	switch {
	case r < 0x80:
		return append(b, byte(r))
	case r < 0x800:
		return append(b, byte(0xC0|r>>6), byte(0x80|r&0x3F))
	case r < 0x10000:
		return append(b, byte(0xE0|r>>12), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return append(b, byte(0xF0|r>>18), byte(0x80|(r>>12)&0x3F), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
}

// validUTF8 is utf8.Valid with an ASCII fast path; the dates and codes this
// parser reads are ASCII.
func validUTF8(s []byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return validUTF8Slow(s[i:])
		}
	}
	return true
}

// number reads a JSON number. Plain integers are converted without strconv
// (and so without allocating).
func (p *parser) number() (float64, *Error) {
	p.ws()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	if p.i >= len(p.b) {
		return 0, p.syntax("expected number")
	}
	switch c := p.b[p.i]; {
	case c == '0':
		p.i++
	case c >= '1' && c <= '9':
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
		}
	default:
		return 0, p.syntax("expected number")
	}
	simple := true
	if p.i < len(p.b) && p.b[p.i] == '.' {
		simple = false
		p.i++
		if p.i >= len(p.b) || p.b[p.i] < '0' || p.b[p.i] > '9' {
			return 0, p.syntax("expected digit after decimal point")
		}
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		simple = false
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.i >= len(p.b) || p.b[p.i] < '0' || p.b[p.i] > '9' {
			return 0, p.syntax("expected digit in exponent")
		}
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
		}
	}
	lit := p.b[start:p.i]
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
		return float64(v), nil
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		// Only range errors are possible after the grammar check above.
		return math.Inf(1), nil
	}
	return f, nil
}

func (p *parser) literal(word string) bool {
	if p.i+len(word) > len(p.b) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// skipValue skips any JSON value; used only to report the type of a wrong
// value after the error has been decided, so it need not be fast.
func (p *parser) skipValue(depth int) *Error {
	if depth > 64 {
		return p.syntax("nesting too deep")
	}
	switch c := p.peek(); c {
	case '"':
		_, err := p.str()
		return err
	case '{':
		p.i++
		if p.peek() == '}' {
			p.i++
			return nil
		}
		for {
			if _, err := p.str(); err != nil {
				return err
			}
			if err := p.expect(':'); err != nil {
				return err
			}
			if err := p.skipValue(depth + 1); err != nil {
				return err
			}
			if p.peek() == ',' {
				p.i++
				continue
			}
			return p.expect('}')
		}
	case '[':
		p.i++
		if p.peek() == ']' {
			p.i++
			return nil
		}
		for {
			if err := p.skipValue(depth + 1); err != nil {
				return err
			}
			if p.peek() == ',' {
				p.i++
				continue
			}
			return p.expect(']')
		}
	case 't':
		if p.literal("true") {
			return nil
		}
	case 'f':
		if p.literal("false") {
			return nil
		}
	case 'n':
		if p.literal("null") {
			return nil
		}
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			_, err := p.number()
			return err
		}
	}
	return p.syntax("invalid value")
}

// wrongType reports a type error for field, but a syntax error first if the
// value is not even valid JSON.
func (p *parser) wrongType(field, want string) *Error {
	c := p.peek()
	if err := p.skipValue(0); err != nil {
		return err
	}
	return typeError(field, want, c)
}

// date reads a date string; idx is the period index, or -1 for the
// top-level "date". The field path is built only for an error, so that
// decoding a valid line does not allocate for it.
func (p *parser) date(idx int, name string) (Date, *Error) {
	field := func() string {
		if idx < 0 {
			return name
		}
		return periodField(idx, name)
	}
	if p.peek() != '"' {
		return Date{}, p.wrongType(field(), "date string")
	}
	s, err := p.str()
	if err != nil {
		return Date{}, err
	}
	d, derr := ParseDate(string(s))
	if derr != nil {
		return Date{}, newError(CodeInvalidDate, field(),
			"not a valid date: "+strconv.Quote(string(s))+" ("+derr.Error()+")",
			"ogiltigt datum: "+strconv.Quote(string(s))+" (ska vara ÅÅÅÅ-MM-DD och finnas i kalendern)")
	}
	return d, nil
}

// inputFields is the set of an input object's fields read so far.
type inputFields int

// The fields of an input object.
const (
	seenDate inputFields = 1 << iota
	seenEmployment
	seenIncome
	seenPeriods
	seenSerious
	seenBirth
	seenKarenstid
	seenKarenstidFrom
)

// mark records that the field has been read, and refuses it the second
// time.
func (s *inputFields) mark(bit inputFields, name string) *Error {
	if *s&bit != 0 {
		return newError(CodeInvalidJSON, name, "field appears more than once", "fältet förekommer mer än en gång")
	}
	*s |= bit
	return nil
}

func (p *parser) input() (Input, *Error) {
	var in Input
	if c := p.peek(); c != '{' {
		if p.i >= len(p.b) {
			return in, p.syntax("empty input")
		}
		if err := p.skipValue(0); err != nil {
			return in, err
		}
		return in, typeError("", "object", c)
	}
	p.i++
	var seen inputFields
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			key, err := p.str()
			if err != nil {
				return in, err
			}
			if err := p.expect(':'); err != nil {
				return in, err
			}
			if err := p.inputField(&in, key, &seen); err != nil {
				return in, err
			}
			if p.peek() == ',' {
				p.i++
				continue
			}
			if err := p.expect('}'); err != nil {
				return in, err
			}
			break
		}
	}
	if p.peek() != 0 || p.i < len(p.b) {
		return in, p.syntax("data after the object")
	}
	for _, f := range [...]struct {
		bit  inputFields
		name string
	}{{seenDate, "date"}, {seenEmployment, "employment"}, {seenIncome, "annual_income"}, {seenPeriods, "periods"}} {
		if seen&f.bit == 0 {
			return in, errMissing(f.name)
		}
	}
	return in, nil
}

// inputField reads the value of the input object's field key into in.
func (p *parser) inputField(in *Input, key []byte, seen *inputFields) *Error {
	var err *Error
	switch string(key) {
	case "date":
		if err := seen.mark(seenDate, "date"); err != nil {
			return err
		}
		in.Date, err = p.date(-1, "date")
	case "employment":
		if err := seen.mark(seenEmployment, "employment"); err != nil {
			return err
		}
		in.Employment, err = p.employment()
	case "annual_income":
		if err := seen.mark(seenIncome, "annual_income"); err != nil {
			return err
		}
		v, err := p.numberField("annual_income")
		if err != nil {
			return err
		}
		if v == 0 {
			v = 0 // drop the sign of -0 so that the input round-trips
		}
		in.AnnualIncome = v
		return checkIncome(v)
	case "periods":
		if err := seen.mark(seenPeriods, "periods"); err != nil {
			return err
		}
		in.Periods, err = p.periods()
	case "serious_illness":
		if err := seen.mark(seenSerious, "serious_illness"); err != nil {
			return err
		}
		in.SeriousIllness, err = p.boolOrNull("serious_illness")
	case "birth_date":
		if err := seen.mark(seenBirth, "birth_date"); err != nil {
			return err
		}
		in.BirthDate, err = p.dateOrNull("birth_date")
	case "karenstid_from":
		if err := seen.mark(seenKarenstidFrom, "karenstid_from"); err != nil {
			return err
		}
		in.KarenstidFrom, err = p.dateOrNull("karenstid_from")
	case "karenstid_days":
		if err := seen.mark(seenKarenstid, "karenstid_days"); err != nil {
			return err
		}
		v, err := p.numberField("karenstid_days")
		if err != nil {
			return err
		}
		if !karenstidValue(v) {
			return errKarenstidValue()
		}
		in.KarenstidDays = int(v)
	default:
		name := string(key)
		return newError(CodeUnknownField, name, "unknown field "+strconv.Quote(name),
			"okänt fält "+strconv.Quote(name))
	}
	return err
}

// employment reads the employment string, one of the three known.
func (p *parser) employment() (Employment, *Error) {
	if p.peek() != '"' {
		return "", p.wrongType("employment", "string")
	}
	s, err := p.str()
	if err != nil {
		return "", err
	}
	switch string(s) {
	case string(Employee):
		return Employee, nil
	case string(Unemployed):
		return Unemployed, nil
	case string(SelfEmployed):
		return SelfEmployed, nil
	}
	return "", errUnknownEmployment(string(s))
}

// numberField reads the number of the top-level field name.
func (p *parser) numberField(name string) (float64, *Error) {
	if c := p.peek(); c != '-' && (c < '0' || c > '9') {
		return 0, p.wrongType(name, "number")
	}
	return p.number()
}

// boolOrNull reads true, false or null (false) for the field name.
func (p *parser) boolOrNull(name string) (bool, *Error) {
	var word string
	switch p.peek() {
	case 't':
		word = "true"
	case 'f':
		word = "false"
	case 'n':
		word = "null"
	default:
		return false, p.wrongType(name, "boolean")
	}
	if !p.literal(word) {
		return false, p.syntax("invalid literal")
	}
	return word == "true", nil
}

// dateOrNull reads a date string or null (the zero date) for the
// top-level field name.
func (p *parser) dateOrNull(name string) (Date, *Error) {
	if p.peek() == 'n' {
		if !p.literal("null") {
			return Date{}, p.syntax("invalid literal")
		}
		return Date{}, nil
	}
	return p.date(-1, name)
}

func errKarenstidValue() *Error {
	return newError(CodeInvalidKarenstid, "karenstid_days",
		"karenstid_days must be 1, 14, 30, 60 or 90 (3 before 2010-07-01)",
		"karenstiden ska vara 1, 14, 30, 60 eller 90 dagar (3 före 2010-07-01)")
}

func errMissing(field string) *Error {
	return newError(CodeMissingField, field, "required field is missing", "obligatoriskt fält saknas")
}

func errUnknownEmployment(s string) *Error {
	return newError(CodeUnknownEmployment, "employment",
		"unknown employment "+strconv.Quote(s)+"; use employee, unemployed or self_employed",
		"okänd sysselsättning "+strconv.Quote(s)+"; ange employee (anställd), unemployed (arbetslös) eller self_employed (egenföretagare)")
}

func checkIncome(v float64) *Error {
	switch {
	case v < 0:
		return newError(CodeNegativeIncome, "annual_income", "annual income must not be negative",
			"årsinkomsten får inte vara negativ")
	case math.IsNaN(v) || v > maxIncomeKr:
		return newError(CodeInvalidIncome, "annual_income", "annual income is not a usable amount in kronor",
			"årsinkomsten är inte ett rimligt belopp i kronor")
	}
	return nil
}

func (p *parser) periods() ([]Period, *Error) {
	if p.peek() != '[' {
		return nil, p.wrongType("periods", "array")
	}
	p.i++
	out := make([]Period, 0, 4)
	if p.peek() == ']' {
		p.i++
		return out, nil
	}
	for {
		idx := len(out)
		if idx >= maxPeriods {
			return nil, newError(CodeTooManyPeriods, "periods",
				"more than "+strconv.Itoa(maxPeriods)+" periods", "fler än "+strconv.Itoa(maxPeriods)+" perioder")
		}
		per, err := p.period(idx)
		if err != nil {
			return nil, err
		}
		out = append(out, per)
		if p.peek() == ',' {
			p.i++
			continue
		}
		if err := p.expect(']'); err != nil {
			return nil, err
		}
		return out, nil
	}
}

func (p *parser) period(idx int) (Period, *Error) {
	var per Period
	if p.peek() != '{' {
		return per, p.wrongType("periods["+strconv.Itoa(idx)+"]", "object")
	}
	p.i++
	const (
		seenFrom = 1 << iota
		seenTo
		seenDegree
	)
	seen := 0
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			key, err := p.str()
			if err != nil {
				return per, err
			}
			if err := p.expect(':'); err != nil {
				return per, err
			}
			var bit int
			switch string(key) {
			case "from":
				bit = seenFrom
			case "to":
				bit = seenTo
			case "degree":
				bit = seenDegree
			default:
				f := periodField(idx, string(key))
				return per, newError(CodeUnknownField, f, "unknown field "+strconv.Quote(string(key)),
					"okänt fält "+strconv.Quote(string(key)))
			}
			if seen&bit != 0 {
				return per, newError(CodeInvalidJSON, periodField(idx, string(key)),
					"field appears more than once", "fältet förekommer mer än en gång")
			}
			seen |= bit
			switch bit {
			case seenFrom:
				if per.From, err = p.date(idx, "from"); err != nil {
					return per, err
				}
			case seenTo:
				if p.peek() == 'n' {
					if !p.literal("null") {
						return per, p.syntax("invalid literal")
					}
				} else if per.To, err = p.date(idx, "to"); err != nil {
					return per, err
				}
			case seenDegree:
				c := p.peek()
				if c != '-' && (c < '0' || c > '9') {
					return per, p.wrongType(periodField(idx, "degree"), "number")
				}
				v, err := p.number()
				if err != nil {
					return per, err
				}
				if v != 25 && v != 50 && v != 75 && v != 100 {
					return per, errDegree(idx)
				}
				per.Degree = int(v)
			}
			if p.peek() == ',' {
				p.i++
				continue
			}
			if err := p.expect('}'); err != nil {
				return per, err
			}
			break
		}
	}
	if seen&seenFrom == 0 {
		return per, errMissing(periodField(idx, "from"))
	}
	if seen&seenDegree == 0 {
		return per, errMissing(periodField(idx, "degree"))
	}
	return per, nil
}

func errDegree(idx int) *Error {
	return newError(CodeInvalidDegree, periodField(idx, "degree"),
		"degree must be 25, 50, 75 or 100", "sjukskrivningsgraden ska vara 25, 50, 75 eller 100")
}

func validUTF8Slow(s []byte) bool { return utf8.Valid(s) }
