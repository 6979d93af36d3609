package site

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/finsam/validation"
)

// Problem is what is wrong with one field of a submitted form or API body:
// the field's name (the form input's name, which is also the API's JSON
// name), a stable code for programs and tests, and, where the domain
// explains the problem itself (the rules engine does), its explanation in
// Swedish and English, shown instead of the code's message.
type Problem struct {
	Field string
	Code  string
	// DetailSV and DetailEN are the domain's own explanation, if any.
	DetailSV, DetailEN string
	// Line is the 1-based line of an uploaded file the problem is on, 0
	// for none: a file's field may have a problem on each of its lines.
	Line int
}

// Key is the field as the API names it: with the line of a file,
// "table[line 3]".
func (p Problem) Key() string {
	if p.Line > 0 {
		return p.Field + "[line " + strconv.Itoa(p.Line) + "]"
	}
	return p.Field
}

// ProblemsOf is the field problems err holds, as the form model: the web's
// own Problems, or the problems a domain package's validation found
// (validation.Problems, worded by the catalogue like the web's); ok is false
// when err holds none.
func ProblemsOf(err error) (ps Problems, ok bool) {
	if errors.As(err, &ps) {
		return ps, true
	}
	var vps validation.Problems
	if !errors.As(err, &vps) {
		return nil, false
	}
	for _, p := range vps {
		ps.Add(p.Field, p.Code)
	}
	return ps, true
}

// Problems are the problems of one submitted form or body, in the order
// found; the first problem of a field wins. Pages show them next to their
// fields and in a summary; the API answers them as 422 validation_failed
// with one entry per field. A Problems is an error, so a validation that
// runs inside a transaction can return it to roll the transaction back and
// a handler can return it to Fail.
type Problems []Problem

// Add records that field has the problem code, unless it has one already.
func (ps *Problems) Add(field, code string) {
	ps.AddDetail(field, code, "", "")
}

// AddDetail is Add with the domain's own explanation.
func (ps *Problems) AddDetail(field, code, sv, en string) {
	ps.AddProblem(Problem{Field: field, Code: code, DetailSV: sv, DetailEN: en})
}

// AddProblem records p, unless its field (on its line) has a problem
// already.
func (ps *Problems) AddProblem(p Problem) {
	for _, q := range *ps {
		if q.Field == p.Field && q.Line == p.Line {
			return
		}
	}
	*ps = append(*ps, p)
}

// Has reports whether field has a problem.
func (ps Problems) Has(field string) bool { return ps.Code(field) != "" }

// Code is the code of field's problem, or "".
func (ps Problems) Code(field string) string {
	for _, p := range ps {
		if p.Field == field {
			return p.Code
		}
	}
	return ""
}

// Any reports whether there is a problem.
func (ps Problems) Any() bool { return len(ps) > 0 }

func (ps Problems) Error() string {
	var codes []string
	for _, p := range ps {
		codes = append(codes, p.Key()+": "+p.Code)
	}
	return "invalid input: " + strings.Join(codes, ", ")
}

// WithMessages is the problems as an error whose answer words each
// problem with the message prefix+code of the server's catalogue
// ("case.err." + "required"), where the domain gives no explanation of its
// own.
func (ps Problems) WithMessages(prefix string) error { return problemsIn{ps, prefix} }

// problemsIn are problems with the catalogue prefix of their messages.
type problemsIn struct {
	ps     Problems
	prefix string
}

func (e problemsIn) Error() string { return e.ps.Error() }
func (e problemsIn) Unwrap() error { return e.ps }

// messagePrefix is the catalogue prefix of err's problems' messages, "" if
// it has none.
func messagePrefix(err error) string {
	var in problemsIn
	if errors.As(err, &in) {
		return in.prefix
	}
	return ""
}

// Message is p in words in lang: the domain's explanation, or the message
// prefix+code of c ("case.err." + "required"); with no prefix, the code.
func (p Problem) Message(c Catalogue, lang, prefix string) string {
	switch {
	case lang == "en" && p.DetailEN != "":
		return p.DetailEN
	case p.DetailSV != "" && lang != "en":
		return p.DetailSV
	case p.DetailEN != "":
		return p.DetailEN
	}
	if prefix == "" {
		return p.Code
	}
	return c.T(lang, prefix+p.Code)
}

// FieldErrors are the problems as the API answers them, with English
// messages from c under prefix.
func (ps Problems) FieldErrors(c Catalogue, prefix string) []FieldError {
	out := make([]FieldError, 0, len(ps))
	for _, p := range ps {
		out = append(out, FieldError{Field: p.Key(), Code: p.Code, Message: p.Message(c, "en", prefix)})
	}
	return out
}

// TooLong is the problem of a text of field over max characters: its code
// is "too_long", and its words say by how much, so that the person can
// shorten the text they keep on the page ("Texten är 12 tecken för lång
// (högst 4000).").
func TooLong(field, text string, max int) Problem {
	over := utf8.RuneCountInString(text) - max
	return Problem{Field: field, Code: "too_long",
		DetailSV: fmt.Sprintf(Core.T("sv", "form.too_long"), over, max),
		DetailEN: fmt.Sprintf(Core.T("en", "form.too_long"), over, max)}
}

// TextareaValue is a posted textarea's value with its line breaks as
// browsers count them: a browser sends each as CR LF but counts it, for
// maxlength, as one character.
func TextareaValue(v string) string { return strings.ReplaceAll(v, "\r\n", "\n") }

// TextCounter is a textarea's limit in words ("Högst 4000 tecken.") and the
// words of its counter, where {n} is the number: characters left, and
// characters over the limit.
func TextCounter(lang string, max int) (count, left, over string) {
	return fmt.Sprintf(Core.T(lang, "form.count"), max), Core.T(lang, "form.left"), Core.T(lang, "form.over")
}
