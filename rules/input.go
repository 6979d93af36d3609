package rules

import (
	"math"
	"strconv"

	"github.com/finsam/finsam/internal/jsonread"
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
	p := parser{jsonread.Reader{B: data}}
	in, err := p.input()
	if err != nil {
		return Input{}, err
	}
	return in, nil
}

// parser is a small strict JSON decoder for exactly the Input schema over
// the shared strict reader (internal/jsonread). It exists because
// encoding/json cannot name the offending array element ("periods[1].to"),
// accepts numbers in strings for json.Number, lets duplicate keys win
// silently and is several times slower on this shape, which matters for
// the nightly batch.
type parser struct {
	jsonread.Reader
}

func (p *parser) syntax(msg string) *Error {
	at := strconv.Itoa(p.I)
	return newError(CodeInvalidJSON, "", "malformed JSON at byte "+at+": "+msg,
		"felaktig JSON vid byte "+at+": "+msg)
}

func (p *parser) expect(c byte) *Error {
	if msg := p.Expect(c); msg != "" {
		return p.syntax(msg)
	}
	return nil
}

// kindOf names a JSON value by its first byte, for type errors.
func kindOf(c byte) string {
	if k := jsonread.Kind(c); k != "" {
		return k
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

// str reads a JSON string; the bytes are valid until the next call.
func (p *parser) str() ([]byte, *Error) {
	s, msg := p.String()
	if msg != "" {
		return nil, p.syntax(msg)
	}
	return s, nil
}

// number reads a JSON number.
func (p *parser) number() (float64, *Error) {
	v, msg := p.Number()
	if msg != "" {
		return 0, p.syntax(msg)
	}
	return v, nil
}

// skipValue skips any JSON value; used only to report the type of a wrong
// value after the error has been decided, so it need not be fast.
func (p *parser) skipValue() *Error {
	if msg := p.Skip(); msg != "" {
		return p.syntax(msg)
	}
	return nil
}

// wrongType reports a type error for field, but a syntax error first if the
// value is not even valid JSON.
func (p *parser) wrongType(field, want string) *Error {
	c := p.Peek()
	if err := p.skipValue(); err != nil {
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
	if p.Peek() != '"' {
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
	if c := p.Peek(); c != '{' {
		if p.I >= len(p.B) {
			return in, p.syntax("empty input")
		}
		if err := p.skipValue(); err != nil {
			return in, err
		}
		return in, typeError("", "object", c)
	}
	p.I++
	var seen inputFields
	if err := p.members(func(key []byte) *Error { return p.inputField(&in, key, &seen) }); err != nil {
		return in, err
	}
	if p.Peek() != 0 || p.I < len(p.B) {
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

// members reads the members of an object whose '{' has been read, up to
// and with its '}', handing each key to field to read the value that
// follows the colon.
func (p *parser) members(field func(key []byte) *Error) *Error {
	if p.Peek() == '}' {
		p.I++
		return nil
	}
	for {
		key, err := p.str()
		if err != nil {
			return err
		}
		if err := p.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		if p.Peek() != ',' {
			return p.expect('}')
		}
		p.I++
	}
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
	if p.Peek() != '"' {
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
	if c := p.Peek(); c != '-' && (c < '0' || c > '9') {
		return 0, p.wrongType(name, "number")
	}
	return p.number()
}

// boolOrNull reads true, false or null (false) for the field name.
func (p *parser) boolOrNull(name string) (bool, *Error) {
	var word string
	switch p.Peek() {
	case 't':
		word = "true"
	case 'f':
		word = "false"
	case 'n':
		word = "null"
	default:
		return false, p.wrongType(name, "boolean")
	}
	if !p.Literal(word) {
		return false, p.syntax("invalid literal")
	}
	return word == "true", nil
}

// dateOrNull reads a date string or null (the zero date) for the
// top-level field name.
func (p *parser) dateOrNull(name string) (Date, *Error) {
	if p.Peek() == 'n' {
		if !p.Literal("null") {
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
	if p.Peek() != '[' {
		return nil, p.wrongType("periods", "array")
	}
	p.I++
	out := make([]Period, 0, 4)
	if p.Peek() == ']' {
		p.I++
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
		if p.Peek() == ',' {
			p.I++
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
	if p.Peek() != '{' {
		return per, p.wrongType("periods["+strconv.Itoa(idx)+"]", "object")
	}
	p.I++
	const (
		seenFrom = 1 << iota
		seenTo
		seenDegree
	)
	seen := 0
	err := p.members(func(key []byte) *Error {
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
			return newError(CodeUnknownField, f, "unknown field "+strconv.Quote(string(key)),
				"okänt fält "+strconv.Quote(string(key)))
		}
		if seen&bit != 0 {
			return newError(CodeInvalidJSON, periodField(idx, string(key)),
				"field appears more than once", "fältet förekommer mer än en gång")
		}
		seen |= bit
		var err *Error
		switch bit {
		case seenFrom:
			per.From, err = p.date(idx, "from")
		case seenTo:
			if p.Peek() != 'n' {
				per.To, err = p.date(idx, "to")
			} else if !p.Literal("null") {
				err = p.syntax("invalid literal")
			}
		case seenDegree:
			c := p.Peek()
			if c != '-' && (c < '0' || c > '9') {
				return p.wrongType(periodField(idx, "degree"), "number")
			}
			v, err := p.number()
			if err != nil {
				return err
			}
			if v != 25 && v != 50 && v != 75 && v != 100 {
				return errDegree(idx)
			}
			per.Degree = int(v)
		}
		return err
	})
	if err != nil {
		return per, err
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
