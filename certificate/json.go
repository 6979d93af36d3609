package certificate

import (
	"strconv"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/internal/jsonread"
)

// ParseJSON decodes one certificate in finsam's JSON form strictly: the
// body must be a single object; unknown fields, repeated keys, wrong JSON
// types, malformed dates and trailing data are *ParseError, with the JSON
// path of the value. null is accepted for every
// field and means "not given" (the zero value), because clients commonly
// write absent optional values as null.
//
// Rule violations (a missing diagnosis, overlapping periods) are not
// errors here; Validate reports them all at once. Limiting the body size is
// the caller's job. Nesting cannot go deeper than the schema (root, list,
// element, value): any value where the schema has none is refused at its
// first byte, so deeply nested input costs nothing.
//
// The decoder is written for exactly this schema because encoding/json
// cannot name the offending list element, lets repeated keys win silently
// and would need a second pass to refuse unknown fields inside elements.
func ParseJSON(data []byte) (*Certificate, error) {
	p := jparser{jsonread.Reader{B: data, Strict: true}}
	c := new(Certificate)
	if err := p.certificate(c); err != nil {
		return nil, err
	}
	if c.Version == "" {
		c.Version = NewestVersion
	}
	p.WS()
	if p.I < len(p.B) {
		return nil, &ParseError{Code: ParseTrailingData,
			Message: "unexpected data after the certificate object at byte " + strconv.Itoa(p.I)}
	}
	return c, nil
}

// loc is the JSON path of a value, built into a string only when an error
// needs it: key alone when arr is "", else arr[idx] or arr[idx].key.
type loc struct {
	arr string
	idx int
	key string
}

func (l loc) String() string {
	if l.arr == "" {
		return l.key
	}
	s := indexed(l.arr, l.idx)
	if l.key != "" {
		s += "." + l.key
	}
	return s
}

// child is the path of key inside the object at l.
func (l loc) child(key string) loc {
	if l.arr == "" {
		if l.key == "" {
			return loc{key: key}
		}
		return loc{key: l.key + "." + key}
	}
	if l.key == "" {
		return loc{arr: l.arr, idx: l.idx, key: key}
	}
	return loc{key: l.String() + "." + key}
}

// jparser decodes the schema over the shared strict reader
// (internal/jsonread), strict about strings: a certificate's text is
// stored in PostgreSQL, which holds no NUL and no lone surrogate.
type jparser struct {
	jsonread.Reader
}

func (p *jparser) syntax(msg string) *ParseError {
	if p.I >= len(p.B) {
		msg = "unexpected end of input"
	}
	return &ParseError{Code: ParseInvalidJSON, Message: "malformed JSON at byte " + strconv.Itoa(p.I) + ": " + msg}
}

// typeErr reports a value of the wrong JSON type at l, or a syntax error
// when the byte starts no JSON value at all.
func (p *jparser) typeErr(l loc, want string) *ParseError {
	got := jsonread.Kind(p.Peek())
	if got == "" {
		return p.syntax("expected a JSON value")
	}
	return &ParseError{Field: l.String(), Code: ParseInvalidType, Message: "expected " + want + ", got " + got}
}

// null consumes a null if it is next.
func (p *jparser) null() (bool, *ParseError) {
	if p.Peek() != 'n' {
		return false, nil
	}
	if !p.Literal("null") {
		return false, p.syntax("invalid literal")
	}
	return true, nil
}

// fieldIter walks the keys of one object.
type fieldIter struct {
	at     loc
	fields []string
	seen   uint64
	first  bool
}

// begin starts an object at l; ok is false when the value is null.
func (p *jparser) begin(l loc, fields []string) (it fieldIter, ok bool, err *ParseError) {
	if isNull, err := p.null(); err != nil || isNull {
		return it, false, err
	}
	if p.Peek() != '{' {
		return it, false, p.typeErr(l, "object")
	}
	p.I++
	return fieldIter{at: l, fields: fields, first: true}, true, nil
}

// next reads the next key and its colon and returns the field's index, or
// -1 at the end of the object.
func (p *jparser) next(it *fieldIter) (int, *ParseError) {
	c := p.Peek()
	if c == '}' {
		p.I++
		return -1, nil
	}
	if !it.first {
		if c != ',' {
			return 0, p.syntax("expected ',' or '}'")
		}
		p.I++
		c = p.Peek()
	}
	it.first = false
	if c != '"' {
		return 0, p.syntax("expected a string key")
	}
	key, err := p.rawString()
	if err != nil {
		return 0, err
	}
	idx := -1
	for j, f := range it.fields {
		if string(key) == f {
			idx = j
			break
		}
	}
	if idx < 0 {
		return 0, &ParseError{Field: it.at.child(string(key)).String(), Code: ParseUnknownField,
			Message: "unknown field " + strconv.Quote(string(key))}
	}
	if it.seen&(1<<idx) != 0 {
		return 0, &ParseError{Field: it.at.child(it.fields[idx]).String(), Code: ParseDuplicateField,
			Message: "field " + strconv.Quote(it.fields[idx]) + " appears more than once"}
	}
	it.seen |= 1 << idx
	if p.Peek() != ':' {
		return 0, p.syntax("expected ':'")
	}
	p.I++
	return idx, nil
}

// arrayIter walks the elements of one array.
type arrayIter struct {
	n int
}

// beginArray starts an array at l; ok is false when the value is null.
func (p *jparser) beginArray(l loc) (ok bool, err *ParseError) {
	if isNull, err := p.null(); err != nil || isNull {
		return false, err
	}
	if p.Peek() != '[' {
		return false, p.typeErr(l, "array")
	}
	p.I++
	return true, nil
}

// nextElem reports whether another element follows, consuming the comma.
func (p *jparser) nextElem(it *arrayIter) (bool, *ParseError) {
	c := p.Peek()
	if c == ']' {
		p.I++
		return false, nil
	}
	if it.n > 0 {
		if c != ',' {
			return false, p.syntax("expected ',' or ']'")
		}
		p.I++
	}
	it.n++
	return true, nil
}

// maxListLen bounds every list so that a hostile body cannot make the
// decoder build huge slices; Validate's limits are far lower (3 diagnoses,
// 4 periods, 10 work measures), this only keeps memory proportional.
const maxListLen = 100

func (p *jparser) tooMany(l loc) *ParseError {
	return &ParseError{Field: l.String(), Code: ParseTooManyElements,
		Message: "more than " + strconv.Itoa(maxListLen) + " elements"}
}

// rawString reads a JSON string and returns its decoded bytes, valid until
// the next call.
func (p *jparser) rawString() ([]byte, *ParseError) {
	s, msg := p.String()
	if msg != "" {
		return nil, p.syntax(msg)
	}
	return s, nil
}

// str reads a string or null ("").
func (p *jparser) str(l loc) (string, *ParseError) {
	if isNull, err := p.null(); err != nil || isNull {
		return "", err
	}
	if p.Peek() != '"' {
		return "", p.typeErr(l, "string")
	}
	b, err := p.rawString()
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// boolean reads true, false or null (false).
func (p *jparser) boolean(l loc) (bool, *ParseError) {
	v, err := p.nullBool(l)
	return v != nil && *v, err
}

var (
	trueVal, falseVal = true, false
)

// nullBool reads true, false or null (nil). The pointers it returns are
// shared and must not be written through; ParseJSON copies them.
func (p *jparser) nullBool(l loc) (*bool, *ParseError) {
	switch p.Peek() {
	case 'n':
		_, err := p.null()
		return nil, err
	case 't':
		if p.Literal("true") {
			return &trueVal, nil
		}
	case 'f':
		if p.Literal("false") {
			return &falseVal, nil
		}
	default:
		return nil, p.typeErr(l, "boolean")
	}
	return nil, p.syntax("invalid literal")
}

// integer reads a whole number or null (0).
func (p *jparser) integer(l loc) (int, *ParseError) {
	if isNull, err := p.null(); err != nil || isNull {
		return 0, err
	}
	c := p.Peek()
	if jsonread.Kind(c) != "number" {
		return 0, p.typeErr(l, "integer")
	}
	start := p.I
	if c == '-' {
		p.I++
	}
	digits := p.I
	for p.I < len(p.B) && p.B[p.I] >= '0' && p.B[p.I] <= '9' {
		p.I++
	}
	n := p.I - digits
	if n == 0 || (n > 1 && p.B[digits] == '0') {
		return 0, p.syntax("invalid number")
	}
	if p.I < len(p.B) && (p.B[p.I] == '.' || p.B[p.I] == 'e' || p.B[p.I] == 'E') {
		return 0, &ParseError{Field: l.String(), Code: ParseInvalidNumber, Message: "expected a whole number"}
	}
	if n > 9 {
		return 0, &ParseError{Field: l.String(), Code: ParseInvalidNumber, Message: "number out of range"}
	}
	v, _ := strconv.Atoi(string(p.B[start:p.I]))
	return v, nil
}

// date reads "YYYY-MM-DD" or null (the zero Date).
func (p *jparser) date(l loc) (Date, *ParseError) {
	if isNull, err := p.null(); err != nil || isNull {
		return Date{}, err
	}
	if p.Peek() != '"' {
		return Date{}, p.typeErr(l, "date string")
	}
	b, err := p.rawString()
	if err != nil {
		return Date{}, err
	}
	d, derr := civil.Parse(b)
	if derr != nil {
		return Date{}, &ParseError{Field: l.String(), Code: ParseInvalidDate, Message: derr.Error()}
	}
	return d, nil
}

// dateTime reads an RFC 3339 date-time, or one without an offset (Swedish
// local time), or null.
func (p *jparser) dateTime(l loc) (time.Time, *ParseError) {
	if isNull, err := p.null(); err != nil || isNull {
		return time.Time{}, err
	}
	if p.Peek() != '"' {
		return time.Time{}, p.typeErr(l, "date-time string")
	}
	b, err := p.rawString()
	if err != nil {
		return time.Time{}, err
	}
	t, terr := parseDateTime(string(b))
	if terr != nil {
		return time.Time{}, &ParseError{Field: l.String(), Code: ParseInvalidDateTime,
			Message: "expected an RFC 3339 date-time such as 2026-03-02T10:15:00+01:00, or without the offset for Swedish local time"}
	}
	return t, nil
}

// stringList reads an array of strings or null.
func (p *jparser) stringList(l loc) ([]string, *ParseError) {
	ok, err := p.beginArray(l)
	if !ok || err != nil {
		return nil, err
	}
	out := []string{}
	var it arrayIter
	for {
		more, err := p.nextElem(&it)
		if err != nil {
			return nil, err
		}
		if !more {
			return out, nil
		}
		el := loc{arr: l.key, idx: len(out)}
		if len(out) == maxListLen {
			return nil, p.tooMany(l)
		}
		if p.Peek() != '"' {
			return nil, p.typeErr(el, "string")
		}
		s, err := p.str(el)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
}

var certificateFields = []string{
	"id", "signed_at", "patient", "issuer", "smittskydd", "basis", "not_examined_reason", "occupation",
	"current_work", "diagnoses", "functional_impairment", "activity_limitation", "ongoing_treatment",
	"planned_treatment", "sick_leave", "early_start_reason", "fmb_motivation", "working_time_distribution",
	"working_time_motivation", "travel_to_work", "prognosis", "work_measures", "work_measures_text", "other",
	"contact_fk", "contact_reason", "relation", "version", "schema_2016", "labour_market_programme", "additional",
}

func (p *jparser) certificate(c *Certificate) *ParseError {
	root := loc{}
	if p.Peek() == 'n' {
		return p.typeErr(root, "object")
	}
	it, _, err := p.begin(root, certificateFields)
	if err != nil {
		return err
	}
	for {
		idx, err := p.next(&it)
		if err != nil {
			return err
		}
		if idx < 0 {
			return nil
		}
		l := loc{key: certificateFields[idx]}
		switch idx {
		case 0:
			c.ID, err = p.str(l)
		case 1:
			c.SignedAt, err = p.dateTime(l)
		case 2:
			err = p.patient(l, &c.Patient)
		case 3:
			err = p.issuer(l, &c.Issuer)
		case 4:
			c.Smittskydd, err = p.boolean(l)
		case 5:
			c.Basis, err = p.basisList(l)
		case 6:
			c.NotExaminedReason, err = p.str(l)
		case 7:
			c.Occupation, err = p.stringList(l)
		case 8:
			c.CurrentWork, err = p.str(l)
		case 9:
			c.Diagnoses, err = p.diagnosisList(l)
		case 10:
			c.FunctionalImpairment, err = p.str(l)
		case 11:
			c.ActivityLimitation, err = p.str(l)
		case 12:
			c.OngoingTreatment, err = p.str(l)
		case 13:
			c.PlannedTreatment, err = p.str(l)
		case 14:
			c.SickLeave, err = p.sickLeaveList(l)
		case 15:
			c.EarlyStartReason, err = p.str(l)
		case 16:
			c.FMBMotivation, err = p.str(l)
		case 17:
			var b *bool
			b, err = p.nullBool(l)
			if b != nil {
				v := *b
				c.WorkingTimeDistribution = &v
			} else {
				c.WorkingTimeDistribution = nil
			}
		case 18:
			c.WorkingTimeMotivation, err = p.str(l)
		case 19:
			c.TravelToWork, err = p.boolean(l)
		case 20:
			c.Prognosis, err = p.prognosis(l)
		case 21:
			c.WorkMeasures, err = p.stringList(l)
		case 22:
			c.WorkMeasuresText, err = p.str(l)
		case 23:
			c.Other, err = p.str(l)
		case 24:
			c.ContactFK, err = p.boolean(l)
		case 25:
			c.ContactReason, err = p.str(l)
		case 26:
			c.Relation, err = p.relation(l)
		case 27:
			var v string
			if v, err = p.str(l); err == nil && v != "" {
				var ok bool
				if c.Version, ok = NormalizeVersion(v); !ok {
					err = &ParseError{Field: "version", Code: ParseUnsupportedVersion,
						Message: "version " + strconv.Quote(v) + " is not supported: finsam reads 1.x (lisjp v1) and 2.x (FK7804 v2)"}
				}
			}
		case 28:
			c.Schema2016, err = p.boolean(l)
		case 29:
			c.LabourMarketProgramme, err = p.str(l)
		case 30:
			c.Additional, err = p.additionalList(l)
		}
		if err != nil {
			return err
		}
	}
}

var additionalFields = []string{"id", "text"}

func (p *jparser) additionalList(l loc) ([]AdditionalAnswer, *ParseError) {
	list, err := objectList(p, l, additionalFields, func(a *AdditionalAnswer, idx int, fl loc) (err *ParseError) {
		if idx == 0 {
			a.ID, err = p.str(fl)
		} else {
			a.Text, err = p.str(fl)
		}
		return err
	})
	if len(list) == 0 {
		return nil, err
	}
	return list, err
}

var patientFields = []string{"personnummer"}

func (p *jparser) patient(l loc, pt *Patient) *ParseError {
	it, ok, err := p.begin(l, patientFields)
	if !ok || err != nil {
		return err
	}
	for {
		idx, err := p.next(&it)
		if err != nil || idx < 0 {
			return err
		}
		if pt.Personnummer, err = p.str(loc{key: "patient.personnummer"}); err != nil {
			return err
		}
	}
}

var issuerFields = []string{"hsa_id", "name", "unit_hsa_id", "unit_name", "care_provider_hsa_id", "care_provider_name"}

var issuerPaths = []string{"issuer.hsa_id", "issuer.name", "issuer.unit_hsa_id", "issuer.unit_name",
	"issuer.care_provider_hsa_id", "issuer.care_provider_name"}

func (p *jparser) issuer(l loc, is *Issuer) *ParseError {
	it, ok, err := p.begin(l, issuerFields)
	if !ok || err != nil {
		return err
	}
	targets := [...]*string{&is.HSAID, &is.Name, &is.UnitHSAID, &is.UnitName, &is.CareProviderHSAID, &is.CareProviderName}
	for {
		idx, err := p.next(&it)
		if err != nil || idx < 0 {
			return err
		}
		if *targets[idx], err = p.str(loc{key: issuerPaths[idx]}); err != nil {
			return err
		}
	}
}

// objectList reads an array of objects with the given fields into []T;
// field sets one field of an element from the value at fl.
func objectList[T any](p *jparser, l loc, fields []string, field func(e *T, idx int, fl loc) *ParseError) ([]T, *ParseError) {
	ok, err := p.beginArray(l)
	if !ok || err != nil {
		return nil, err
	}
	out := []T{}
	var ai arrayIter
	for {
		more, err := p.nextElem(&ai)
		if err != nil || !more {
			return out, err
		}
		if len(out) == maxListLen {
			return nil, p.tooMany(l)
		}
		el := loc{arr: l.key, idx: len(out)}
		if p.Peek() != '{' {
			return nil, p.typeErr(el, "object")
		}
		it, _, err := p.begin(el, fields)
		if err != nil {
			return nil, err
		}
		var e T
		for {
			idx, err := p.next(&it)
			if err != nil {
				return nil, err
			}
			if idx < 0 {
				break
			}
			if err := field(&e, idx, loc{arr: l.key, idx: len(out), key: fields[idx]}); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
}

var basisFields = []string{"type", "date", "description"}

func (p *jparser) basisList(l loc) ([]Basis, *ParseError) {
	return objectList(p, l, basisFields, func(b *Basis, idx int, fl loc) (err *ParseError) {
		switch idx {
		case 0:
			b.Type, err = p.str(fl)
		case 1:
			b.Date, err = p.date(fl)
		case 2:
			b.Description, err = p.str(fl)
		}
		return err
	})
}

var diagnosisFields = []string{"code", "text", "system"}

func (p *jparser) diagnosisList(l loc) ([]Diagnosis, *ParseError) {
	return objectList(p, l, diagnosisFields, func(d *Diagnosis, idx int, fl loc) (err *ParseError) {
		switch idx {
		case 0:
			d.Code, err = p.str(fl)
		case 1:
			d.Text, err = p.str(fl)
		case 2:
			d.System, err = p.str(fl)
		}
		return err
	})
}

var sickLeaveFields = []string{"degree", "from", "to"}

func (p *jparser) sickLeaveList(l loc) ([]SickLeave, *ParseError) {
	return objectList(p, l, sickLeaveFields, func(s *SickLeave, idx int, fl loc) (err *ParseError) {
		switch idx {
		case 0:
			s.Degree, err = p.str(fl)
		case 1:
			s.From, err = p.date(fl)
		case 2:
			s.To, err = p.date(fl)
		}
		return err
	})
}

var prognosisFields = []string{"type", "days", "months", "description"}

var prognosisPaths = []string{"prognosis.type", "prognosis.days", "prognosis.months", "prognosis.description"}

func (p *jparser) prognosis(l loc) (*Prognosis, *ParseError) {
	it, ok, err := p.begin(l, prognosisFields)
	if !ok || err != nil {
		return nil, err
	}
	pr := new(Prognosis)
	for {
		idx, err := p.next(&it)
		if err != nil {
			return nil, err
		}
		if idx < 0 {
			return pr, nil
		}
		fl := loc{key: prognosisPaths[idx]}
		switch idx {
		case 0:
			pr.Type, err = p.str(fl)
		case 1:
			pr.Days, err = p.integer(fl)
		case 2:
			pr.Months, err = p.integer(fl)
		case 3:
			pr.Description, err = p.str(fl)
		}
		if err != nil {
			return nil, err
		}
	}
}

var relationFields = []string{"type", "certificate_id"}

func (p *jparser) relation(l loc) (*Relation, *ParseError) {
	it, ok, err := p.begin(l, relationFields)
	if !ok || err != nil {
		return nil, err
	}
	r := new(Relation)
	for {
		idx, err := p.next(&it)
		if err != nil {
			return nil, err
		}
		if idx < 0 {
			return r, nil
		}
		if idx == 0 {
			r.Type, err = p.str(loc{key: "relation.type"})
		} else {
			r.CertificateID, err = p.str(loc{key: "relation.certificate_id"})
		}
		if err != nil {
			return nil, err
		}
	}
}
